"""Administration → API-nycklar in AppTest: an administrator makes a token (shown once) and
revokes it; an editor sees and makes only their own."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from data.accounts import actor_for
from data.actors import SYSTEM
from data.api_tokens import create_token, token_hash
from data.db import reading, writing
from data.models import ApiToken
from metrics.clock import fixed_today
from tests.apptest_support import open_app, shown_text
from tests.conftest import TODAY

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _tokens_table(at):
    """The tokens table: the one with the token columns (AppTest finds tables by position only)."""
    return next(d.value for d in at.dataframe if "Sista giltighetsdag" in d.value.columns)


def test_an_administrator_makes_a_token_that_is_shown_once_and_revokes_it(app_db, monkeypatch):
    with fixed_today(TODAY):
        at = open_app(app_db, monkeypatch, page="admin")
        at.selectbox(key="admin_token_account").set_value("demo-editor")
        at.text_input(key="admin_token_name").set_value("Enkätverktyget")
        at.date_input(key="admin_token_expires").set_value(dt.date(2026, 3, 31))
        at.button(key="FormSubmitter:admin_token_add_form-Skapa nyckel").click().run()
    assert not at.exception
    [secret] = [c.value for c in at.code]
    with reading(app_db) as session:
        token_id, stored, name, expires = session.execute(
            select(ApiToken.id, ApiToken.token_hash, ApiToken.name, ApiToken.expires_on)).one()
    assert (stored, name, expires) == (token_hash(secret), "Enkätverktyget", dt.date(2026, 3, 31))
    assert "API-nyckeln för demo-editor är skapad." in shown_text(at)
    assert "Kopiera nyckeln nu. Den visas inte igen; Effekt sparar bara ett kontrollvärde." in shown_text(at)
    with fixed_today(TODAY):
        at.run()  # the next run shows the table but never the token again
        assert secret not in shown_text(at)
        assert not at.code
        table = _tokens_table(at)
        assert list(table["Namn"]) == ["Enkätverktyget"]
        assert list(table["Läge"]) == ["giltig"]
        assert list(table["Sista giltighetsdag"]) == ["2026-03-31"]
        at.selectbox(key="admin_token_revoke_id").set_value(token_id)
        at.button(key="FormSubmitter:admin_token_revoke_form-Återkalla").click().run()
    assert f"{token_id}: demo-editor – Enkätverktyget är återkallad. Nästa anrop med den avvisas." in shown_text(at)
    with reading(app_db) as session:
        assert session.scalar(select(ApiToken.revoked_by)) == "test-admin"


def test_an_editor_sees_and_makes_only_their_own_tokens(app_db, monkeypatch):
    with fixed_today(TODAY), writing(app_db) as session:
        create_token(session=session, actor=SYSTEM, username="demo-admin", name="the admin's")
        create_token(session=session, actor=SYSTEM, username="demo-editor", name="mine")
    with reading(app_db) as session:
        editor = actor_for(session=session, username="demo-editor", origin="test")
    with fixed_today(TODAY):
        at = open_app(app_db, monkeypatch, page="admin", actor=editor)
    assert list(_tokens_table(at)["Namn"]) == ["mine"]
    assert at.selectbox(key="admin_token_account").options == ["demo-editor"]
    assert "the admin's" not in shown_text(at)
