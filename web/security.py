"""Security headers on every HTTP response the app sends, Streamlit's own included.

A pure ASGI middleware (not ``BaseHTTPMiddleware``) so streamed responses and the websocket pass
through untouched. The Content-Security-Policy is the narrowest Streamlit 1.67 was seen to run
under in Chromium (tests/test_web_app.py and the browser journey): its one inline script is
allowed by hash, styles need ``'unsafe-inline'`` (emotion writes them at run time), plotly draws
into ``blob:`` and ``data:`` images, and nobody may frame the app (clickjacking).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import streamlit
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from presentation.i18n import LANGUAGES
from ui.accessibility import LANGUAGE_SCRIPT
from ui.streamlit_words import words_script


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def inline_script_hashes() -> list[str]:
    """The inline scripts allowed: those in Streamlit's own index.html (read from the installed
    package, so an upgrade keeps working) and the page-language and Streamlit-words scripts in each language."""
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", index, flags=re.S)
    ours = [LANGUAGE_SCRIPT.format(code=code) for code in LANGUAGES] + [words_script(code) for code in LANGUAGES]
    return [_hash(s) for s in scripts] + [_hash(script) for script in ours]


_STREAMLIT_INLINE_SCRIPT = " ".join(inline_script_hashes())

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    f"script-src 'self' {_STREAMLIT_INLINE_SCRIPT}",
    "style-src 'self' 'unsafe-inline'",
    # The page icon (a Material symbol) is fetched by Streamlit's frontend from Google's font host.
    "img-src 'self' data: blob: https://fonts.gstatic.com",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to each HTTP response (replacing any of the same name)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in SECURITY_HEADERS}
                headers = [(n, v) for n, v in message.get("headers", []) if n.lower() not in names]
                message = {**message, "headers": headers + list(SECURITY_HEADERS)}
            await send(message)

        await self.app(scope, receive, send_with_headers)
