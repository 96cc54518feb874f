"""Opening the app in AppTest the same way in every page test.

Every AppTest goes through :func:`open_app`, so how a person gets into the app (today: straight
in as the local operator; once accounts exist: signed in with a role) is decided in one place.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.actors import Actor
from ui.page import ACTOR_KEY

ROOT = Path(__file__).resolve().parents[1]


def open_app(
    database_url: str, monkeypatch: pytest.MonkeyPatch, *, page: str | None = None, actor: Actor | None = None
) -> AppTest:
    """Run the dashboard on a database as ``actor`` (default: an administrator), optionally on
    ``pages/<page>.py``; fails on any exception."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if actor is not None:
        at.session_state[ACTOR_KEY] = actor
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    """All the text elements a person reads on the page, one per line."""
    kinds = ("title", "header", "subheader", "caption", "markdown", "info", "success", "warning", "error")
    return "\n".join(str(element.value) for kind in kinds for element in getattr(at, kind))
