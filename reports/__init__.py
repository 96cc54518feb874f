"""Board packs: the slide model and its PDF, PPTX and spreadsheet renderings (no Streamlit)."""
