"""The sign-in cookie as the Streamlit side sees it: resume a run from it, point at /signin.

When the app is served by the ASGI app (``web/app.py``, ``cli.py serve``), the server-rendered
page ``/signin`` checks the password and sets an HttpOnly cookie holding the random token of the
server-side sign-in record (the database keeps only its SHA-256). Streamlit cannot set cookies,
but every run can read them (``st.context.cookies``, taken from the websocket's handshake), so a
refresh or a new tab resumes the same record. Ending the record (sign-out in any tab, idle
timeout, deactivation, role change, password reset) ends every tab at its next interaction: the
token in the cookie then resumes nothing. Under a bare ``streamlit run`` (development, AppTest)
there are no routes, and the in-app form of ``ui/signin.py`` signs in for the session only.
"""

from __future__ import annotations

import html
import os
import re
from urllib.parse import quote, urlparse

import streamlit as st

COOKIE_NAME = "effekt_signin"
# Set by web/app.py: the routes (and so /signin and its cookie) exist in this process.
SERVED_ENV = "EFFEKT_SIGNIN_PAGE"
# Tokens in this session that resumed nothing: never tried again from the same (stale) cookie.
_SPENT_KEY = "auth_spent_cookie_token"


def cookie_mode() -> bool:
    """Whether the sign-in page and its cookie are served (the ASGI app), not the in-app form."""
    return os.environ.get(SERVED_ENV) == "1"


def cookie_token() -> str | None:
    """The sign-in token from the browser's cookie, unless this session already found it dead."""
    if not cookie_mode():
        return None
    try:
        token = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001 - no request context (AppTest, bare mode)
        return None
    if not token or token == st.session_state.get(_SPENT_KEY):
        return None
    return str(token)


def forget_token(token: str | None) -> None:
    """Remember that ``token`` resumes nothing, so the stale cookie is not tried on every run."""
    if token:
        st.session_state[_SPENT_KEY] = token


def safe_next(path: str | None) -> str:
    """A local path to return to after signing in; anything else (another host, ``//x``) is ``/``."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    parsed = urlparse(path)
    if parsed.scheme or parsed.netloc or not re.fullmatch(r"[A-Za-z0-9_\-/]*", parsed.path):
        return "/"
    return parsed.path or "/"


def sign_in_link(label: str, language: str) -> None:
    """The gate's way to the sign-in page, back to the page asked for afterwards."""
    try:
        current = urlparse(st.context.url or "").path
    except Exception:  # noqa: BLE001 - no request context
        current = "/"
    target = f"/signin?next={quote(safe_next(current), safe='/')}&lang={language}"
    st.markdown(
        f'<a href="{html.escape(target)}" target="_self" data-testid="effekt-signin-link" '
        f'style="font-size:1.2rem;font-weight:600">{html.escape(label)}</a>',
        unsafe_allow_html=True,
    )
