"""What the pages share: translation, formatting, charts, page setup and cached reads."""
