"""Opening the app in AppTest the same way in every page test.

Every AppTest goes through :func:`open_app`, so how a person gets into the app is decided in one
place: the account for ``actor`` is made (or brought to that role) in the test database and a real
server-side sign-in record is started for it, exactly as the sign-in form does; the session then
holds only that record's token, like a browser session after signing in.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data.accounts import add_account, change_role, get_account
from data.actors import SYSTEM, Actor
from data.bootstrap import prepare_database
from data.db import writing
from data.settings import get_settings
from data.sign_ins import start_sign_in
from ui.signin import TOKEN_KEY

ROOT = Path(__file__).resolve().parents[1]
TEST_ADMIN = Actor(username="test-admin", role="admin")
TEST_PASSWORD = "test-password-not-secret"


def sign_in_token(database_url: str, actor: Actor) -> str:
    """Make sure an account like ``actor`` exists and start a sign-in for it; returns the token."""
    prepare_database(database_url, demo_if_empty=get_settings().demo_on_empty)
    organisations = sorted(actor.organisation_ids) if actor.role in ("editor", "viewer") else []
    with writing(database_url) as session:
        account = get_account(session=session, username=actor.username)
        if account is None:
            account = add_account(session=session, actor=SYSTEM, username=actor.username, role=actor.role,
                                  organisation_ids=organisations, password=TEST_PASSWORD)
        elif account.role != actor.role or list(account.organisation_ids) != organisations or not account.active:
            account = change_role(session=session, actor=SYSTEM, username=actor.username, role=actor.role,
                                  organisation_ids=organisations)
        return start_sign_in(session=session, account_id=account.id, origin="apptest")


def open_app(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    *,
    page: str | None = None,
    actor: Actor | None = None,
    signed_in: bool = True,
    user: dict[str, Any] | None = None,
    secrets: dict[str, Any] | None = None,
) -> AppTest:
    """Run the dashboard on a database signed in as ``actor`` (default: an administrator), or
    signed out with ``signed_in=False``; optionally on ``app_pages/<page>.py``; fails on any exception.
    ``user`` and ``secrets`` seed ``st.user`` and ``st.secrets`` (single sign-on tests)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if user is not None:
        at.user = user
    if secrets is not None:
        at.secrets.update(secrets)
    if signed_in:
        at.session_state[TOKEN_KEY] = sign_in_token(database_url, actor or TEST_ADMIN)
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    """All the text elements a person reads on the page, one per line."""
    kinds = ("title", "header", "subheader", "caption", "markdown", "info", "success", "warning", "error")
    return "\n".join(str(element.value) for kind in kinds for element in getattr(at, kind))


class _TableReader(HTMLParser):
    """Reads the HTML tables ui.tables draws: caption, header row, body rows (cells as shown)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002 - HTMLParser's signature
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None:
            self.tables[-1]["rows"][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell.append(data)


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every HTML table on the page (``ui.tables.show_table``) as a frame of the texts shown,
    its caption in ``frame.attrs["caption"]``."""
    frames = []
    for element in at.get("html"):
        reader = _TableReader()
        reader.feed(str(element.value))
        for table in reader.tables:
            header, *rows = table["rows"]
            frame = pd.DataFrame(rows, columns=header)
            frame.attrs["caption"] = table["caption"]
            frames.append(frame)
    return frames
