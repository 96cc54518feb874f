"""The reporting API under /api/v1."""

ROUTES: list = []
