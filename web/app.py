"""The one ASGI app: the dashboard (``st.App``) plus Effekt's Starlette routes and middleware.

Run it with ``python cli.py serve`` (uvicorn), as ``make run``, the browser tests, the replica
test and the load test do. ``streamlit run dashboard.py`` still works for development, without
these routes (and so with the in-app, per-session sign-in form).
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from ui.cookie_signin import SERVED_ENV
from web import signin
from web.security import SecurityHeaders

ROOT = Path(__file__).resolve().parents[1]


def build_app() -> st.App:
    """The dashboard with the sign-in page, the API and open data beside it, headers on all."""
    os.environ[SERVED_ENV] = "1"  # the dashboard's gate links to /signin and resumes from its cookie
    from web import api, opendata, statement

    routes = [*signin.ROUTES, *api.ROUTES, *opendata.ROUTES, *statement.ROUTES]
    return st.App(str(ROOT / "dashboard.py"), routes=routes, middleware=[Middleware(SecurityHeaders)])


app = build_app()
