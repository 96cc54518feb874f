"""Accounts: hashing, lock-out, sign-in records that end at once, demo accounts, the sign-in gate."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from data.accounts import add_account, change_role, create_first_admin, reset_password, set_active
from data.actors import SYSTEM, AccountError
from data.db import reading, writing
from data.demo import remove_demo
from data.demo_accounts import DEMO_PASSWORD, demo_accounts
from data.models import Account, AuditEvent, utcnow
from data.organisations import NewOrganisation, add_organisations
from data.passwords import verify_password
from data.secret_checks import secret_problem
from data.sign_ins import LOCKOUT_FAILURES, attempt_sign_in, end_sign_in, resume_sign_in, start_sign_in
from tests.apptest_support import open_app, shown_text

PASSWORD = "a-long-enough-password"


def make(url, username="anna", role="viewer", organisations=()):
    with writing(url) as session:
        return add_account(session=session, actor=SYSTEM, username=username, role=role,
                           organisation_ids=organisations, password=PASSWORD)


def sign_in(url, username="anna", password=PASSWORD, now=None):
    with writing(url) as session:
        return attempt_sign_in(session=session, username=username, password=password, origin="test", now=now)


def resume(url, token, now=None, idle=dt.timedelta(minutes=30)):
    with writing(url) as session:
        return resume_sign_in(session=session, token=token, origin="test", idle_timeout=idle, now=now)


def actions(url):
    with reading(url) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_passwords_are_stored_as_argon2_hashes_only(ready_url):
    make(ready_url)
    with reading(ready_url) as session:
        stored = session.scalar(select(Account.password_hash).where(Account.username == "anna"))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert verify_password(stored, PASSWORD)
    assert not verify_password(stored, PASSWORD + "x")
    assert not verify_password(None, PASSWORD)


def test_short_passwords_and_taken_names_are_refused(ready_url):
    make(ready_url)
    with pytest.raises(AccountError) as short, writing(ready_url) as session:
        add_account(session=session, actor=SYSTEM, username="bo", role="viewer", password="kort")
    assert short.value.key == "account.password_short"
    with pytest.raises(AccountError) as taken, writing(ready_url) as session:
        add_account(session=session, actor=SYSTEM, username=" ANNA ", role="viewer", password=PASSWORD)
    assert taken.value.key == "account.name_taken"


def test_sign_in_succeeds_with_the_right_password_and_fails_alike_for_unknown_names(ready_url):
    make(ready_url)
    ok = sign_in(ready_url)
    assert ok.status == "ok"
    assert ok.actor.username == "anna"
    assert ok.actor.role == "viewer"
    assert sign_in(ready_url, password="wrong-password").status == "failed"
    assert sign_in(ready_url, username="nobody").status == "failed"
    assert actions(ready_url)[-3:] == ["signin.ok", "signin.failed", "signin.failed"]


def test_lock_out_after_ten_failures_in_fifteen_minutes_for_existing_and_unknown_names(ready_url):
    make(ready_url)
    start = utcnow()
    for name in ("anna", "nobody"):
        outcomes = [sign_in(ready_url, username=name, password="wrong-password", now=start).status
                    for _ in range(LOCKOUT_FAILURES)]
        assert outcomes == ["failed"] * (LOCKOUT_FAILURES - 1) + ["locked"]
        assert sign_in(ready_url, username=name, password="wrong-password", now=start).status == "locked"
    # Even the right password is refused while locked, with the same answer as for an unknown name.
    assert sign_in(ready_url, now=start + dt.timedelta(minutes=5)).status == "locked"
    assert sign_in(ready_url, now=start + dt.timedelta(minutes=16)).status == "ok"
    assert "signin.lockout" in actions(ready_url)


def test_deactivation_role_change_and_password_reset_end_access_at_the_next_interaction(ready_url):
    with writing(ready_url) as session:
        a, = add_organisations(session=session, actor=SYSTEM, organisations=[NewOrganisation("a", "A", "kommun")])
    make(ready_url, role="editor", organisations=[a])
    token = sign_in(ready_url).token
    assert resume(ready_url, token).can_edit(a)
    with writing(ready_url) as session:
        change_role(session=session, actor=SYSTEM, username="anna", role="viewer")
    assert resume(ready_url, token) is None
    token = sign_in(ready_url).token
    assert resume(ready_url, token).role == "viewer"
    with writing(ready_url) as session:
        reset_password(session=session, actor=SYSTEM, username="anna", password="another-long-password")
    assert resume(ready_url, token) is None
    assert sign_in(ready_url).status == "failed"
    token = sign_in(ready_url, password="another-long-password").token
    with writing(ready_url) as session:
        set_active(session=session, actor=SYSTEM, username="anna", active=False)
    assert resume(ready_url, token) is None
    assert sign_in(ready_url, password="another-long-password").status == "failed"


def test_idle_timeout_and_sign_out_end_the_record(ready_url):
    info = make(ready_url)
    with writing(ready_url) as session:
        token = start_sign_in(session=session, account_id=info.id, origin="test")
    later = utcnow() + dt.timedelta(minutes=31)
    assert resume(ready_url, token, now=later) is None
    assert resume(ready_url, token) is None  # ended for good, not just stale
    token = sign_in(ready_url).token
    with writing(ready_url) as session:
        end_sign_in(session=session, token=token)
    assert resume(ready_url, token) is None
    assert "signin.idle" in actions(ready_url)
    assert "signin.end" in actions(ready_url)


def test_the_last_active_administrator_cannot_be_deactivated_or_demoted(ready_url):
    make(ready_url, username="root", role="admin")
    for change in (
        lambda s: set_active(session=s, actor=SYSTEM, username="root", active=False),
        lambda s: change_role(session=s, actor=SYSTEM, username="root", role="viewer"),
    ):
        with pytest.raises(AccountError) as error, writing(ready_url) as session:
            change(session)
        assert error.value.key == "account.last_admin"


def test_the_first_administrator_can_be_made_only_once(ready_url):
    with writing(ready_url) as session:
        create_first_admin(session=session, username="founder", password=PASSWORD, origin="test")
    with pytest.raises(AccountError) as error, writing(ready_url) as session:
        create_first_admin(session=session, username="intruder", password=PASSWORD, origin="test")
    assert error.value.key == "account.first_exists"


def test_demo_accounts_exist_only_with_the_demo_data(demo_url, ready_url):
    with reading(demo_url) as session:
        names = {a.username: a.role for a in demo_accounts(session=session)}
    assert names == {"demo-admin": "admin", "demo-editor": "editor", "demo-viewer": "viewer"}
    editor = sign_in(demo_url, username="demo-editor", password=DEMO_PASSWORD).actor
    assert len(editor.organisation_ids) == 1
    with writing(demo_url) as session:
        remove_demo(session=session, actor=SYSTEM)
    with reading(demo_url) as session:
        assert demo_accounts(session=session) == []
        assert session.scalar(select(Account.id)) is None
    assert sign_in(demo_url, username="demo-admin", password=DEMO_PASSWORD).status == "failed"
    with reading(ready_url) as session:  # never any default account outside demo mode
        assert session.scalar(select(Account.id)) is None


@pytest.mark.parametrize(("value", "problem"), [
    (None, "secret.missing"), ("", "secret.missing"), ("changeme", "secret.example"),
    ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "secret.example"), ("abcdefghij12", "secret.short"),
    ("Vq3t9LmZ0pX7rK2sWc8yNd4hJf6bGa1e", None),
])
def test_secrets_missing_short_or_known_examples_are_refused(value, problem):
    assert secret_problem(value) == problem


# --- the gate in the app ----------------------------------------------------------------------

@pytest.fixture
def empty_app_db(tmp_path, monkeypatch):
    monkeypatch.setenv("EFFEKT_DEMO_ON_EMPTY", "0")
    return f"sqlite:///{tmp_path / 'empty.db'}"


def test_first_start_asks_for_the_first_administrator_once(empty_app_db, monkeypatch):
    at = open_app(empty_app_db, monkeypatch, signed_in=False)
    assert at.title[0].value == "Skapa den första administratören"
    at.text_input(key="signin_first_username").set_value("grundare")
    at.text_input(key="signin_first_password").set_value(PASSWORD)
    at.text_input(key="signin_first_repeat").set_value(PASSWORD)
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert "Inloggad som grundare (administratör)" in shown_text(at)
    assert at.title[0].value == "Översikt"
    again = open_app(empty_app_db, monkeypatch, signed_in=False)
    assert again.title[0].value == "Logga in"
    assert "Skapa den första administratören" not in shown_text(again)


def test_sign_in_page_shows_demo_accounts_and_signs_in(demo_url, monkeypatch):
    at = open_app(demo_url, monkeypatch, signed_in=False)
    assert at.title[0].value == "Logga in"
    assert "demo-editor" in shown_text(at)
    assert DEMO_PASSWORD in shown_text(at)
    assert not at.get("plotly_chart")
    assert not at.dataframe
    at.text_input(key="signin_username").set_value("demo-viewer")
    at.text_input(key="signin_password").set_value("wrong-password")
    at.form_submit_button[0].click().run()
    assert "Fel användarnamn eller lösenord." in shown_text(at)
    at.text_input(key="signin_username").set_value("demo-viewer")
    at.text_input(key="signin_password").set_value(DEMO_PASSWORD)
    at.form_submit_button[0].click().run()
    assert "Inloggad som demo-viewer (läsare)" in shown_text(at)
    # A refresh is a new session with empty session state: it asks to sign in again.
    refreshed = open_app(demo_url, monkeypatch, signed_in=False)
    assert refreshed.title[0].value == "Logga in"
    assert "Inloggad som" not in shown_text(refreshed)
    at.button(key="signin_sign_out").click().run()
    assert at.title[0].value == "Logga in"
    with reading(demo_url) as session:
        assert session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "signin.end"


def test_the_lock_out_message_is_the_same_for_unknown_and_existing_names(demo_url, monkeypatch):
    messages = []
    for name in ("demo-viewer", "nobody-here"):
        at = open_app(demo_url, monkeypatch, signed_in=False)
        for _ in range(LOCKOUT_FAILURES):
            at.text_input(key="signin_username").set_value(name)
            at.text_input(key="signin_password").set_value("wrong-password")
            at.form_submit_button[0].click().run()
        messages.append(at.error[0].value)
    assert messages == ["För många misslyckade försök. Vänta 15 minuter och försök igen."] * 2


def test_no_demo_accounts_are_offered_outside_demo_mode(ready_url, monkeypatch):
    monkeypatch.setenv("EFFEKT_DEMO_ON_EMPTY", "0")
    make(ready_url, username="root", role="admin")
    at = open_app(ready_url, monkeypatch, signed_in=False)
    assert at.title[0].value == "Logga in"
    assert "Exempelkonton" not in shown_text(at)
    assert DEMO_PASSWORD not in shown_text(at)


def test_deactivating_an_account_signs_the_person_out_at_their_next_click(demo_url, monkeypatch):
    from data.actors import Actor

    at = open_app(demo_url, monkeypatch, actor=Actor("vera", "viewer"))
    assert "Inloggad som vera (läsare)" in shown_text(at)
    with writing(demo_url) as session:
        set_active(session=session, actor=SYSTEM, username="vera", active=False)
    at.run()
    assert at.title[0].value == "Logga in"
    assert "Du är utloggad" in shown_text(at)


def test_after_signing_out_no_page_can_be_reached(demo_url, monkeypatch):
    at = open_app(demo_url, monkeypatch, page="admin")
    assert at.title[0].value == "Administration"
    at.button(key="signin_sign_out").click().run()
    assert at.title[0].value == "Logga in"
    with pytest.raises(ValueError, match="Known pages: \\['Logga in'\\]"):
        at.switch_page("app_pages/admin.py")
    assert not at.dataframe
