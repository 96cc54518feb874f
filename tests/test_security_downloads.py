"""Issue 11 finding 5, as the attack: a download button drawn while signed in, clicked after the
account was deactivated or the session went idle, delivers nothing (Styrelserapport, Importera, Mätetal i detalj)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from streamlit.runtime.media_file_manager import MediaFileManager

from data.accounts import set_active
from data.actors import SYSTEM, Actor
from data.db import reading, writing
from data.models import AuditEvent, Organisation, SignIn, utcnow
from tests.apptest_support import open_app
from ui.downloads import DownloadRefused


@pytest.fixture
def registered(monkeypatch):
    """Every deferred download callable a page registers with Streamlit, by file name."""
    callables = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):
        callables[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, element_id=element_id)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return callables


def _viewer(url: str) -> Actor:
    with reading(url) as session:
        granlunda = session.scalar(select(Organisation.id).where(Organisation.code == "demo-granlunda"))
    return Actor("demo-viewer", "viewer", frozenset({granlunda}))


def _refusals(url: str) -> int:
    with reading(url) as session:
        return len(list(session.scalars(select(AuditEvent.id).where(
            AuditEvent.action == "permission.denied", AuditEvent.detail.contains("security.download_signed_out")))))


PAGES = [("board", "varden-demo-"), ("import_data", "effekt-demo-"), ("metric_detail", "demo-granlunda-")]


def _download(registered: dict, prefix: str):
    (name,) = [n for n in registered if n.startswith(prefix) and n.endswith(".csv")]
    return registered[name]


@pytest.mark.parametrize(("page", "prefix"), PAGES)
def test_a_download_after_deactivation_delivers_nothing(demo_url, monkeypatch, registered, page, prefix):
    open_app(demo_url, monkeypatch, page=page, actor=_viewer(demo_url))
    make = _download(registered, prefix)
    assert b"demo-" in make()  # while signed in, the file is made
    with writing(demo_url) as session:
        set_active(session=session, actor=SYSTEM, username="demo-viewer", active=False)
    with pytest.raises(DownloadRefused):
        make()
    assert _refusals(demo_url) == 1


@pytest.mark.parametrize(("page", "prefix"), PAGES)
def test_a_download_after_the_idle_timeout_delivers_nothing(demo_url, monkeypatch, registered, page, prefix):
    open_app(demo_url, monkeypatch, page=page, actor=_viewer(demo_url))
    make = _download(registered, prefix)
    with writing(demo_url) as session:  # 31 minutes without a click
        session.execute(update(SignIn).values(last_seen_at=utcnow() - dt.timedelta(minutes=31)))
    with pytest.raises(DownloadRefused):
        make()
    with reading(demo_url) as session:
        reasons = set(session.scalars(select(SignIn.ended_reason)))
    assert reasons == {"idle"}
    assert _refusals(demo_url) == 1
