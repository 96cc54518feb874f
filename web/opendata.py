"""Open data."""

ROUTES: list = []
