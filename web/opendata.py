"""Open data (not yet)."""

from starlette.routing import Route

ROUTES: list[Route] = []
