"""API tokens in the data layer: shown once, stored as SHA-256, expiry, revocation, last use,
who may manage whose, and every create, revoke and refusal in the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from data.accounts import actor_for, get_account, set_active
from data.actors import SYSTEM, AccountError, PermissionDenied
from data.api_tokens import authenticate, create_token, list_tokens, revoke_token
from data.db import reading, writing
from data.models import ApiToken, AuditEvent
from metrics.clock import fixed_today
from tests.conftest import TODAY
from tools.live_server import ROOT


def _actions(url: str) -> list[str]:
    with reading(url) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _as(url: str, username: str):
    with reading(url) as session:
        return actor_for(session=session, username=username, origin="test")


def test_a_token_is_shown_once_stored_as_its_sha256_and_acts_as_its_account(demo_url):
    with fixed_today(TODAY), writing(demo_url) as session:
        info, secret = create_token(session=session, actor=SYSTEM, username="demo-editor", name="Enkätverktyget")
    with reading(demo_url) as session:
        stored = session.scalar(select(ApiToken.token_hash).where(ApiToken.id == info.id))
        editor = get_account(session=session, username="demo-editor")
    assert secret.startswith("effekt_")
    assert len(secret) == 50
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in stored
    with fixed_today(TODAY), writing(demo_url) as session:
        found = authenticate(session=session, secret=secret, origin="api 127.0.0.1")
    assert found is not None
    assert found.token_id == info.id
    assert (found.actor.username, found.actor.role) == ("demo-editor", "editor")
    assert found.actor.organisation_ids == frozenset(editor.organisation_ids)
    with reading(demo_url) as session:
        [listed] = list_tokens(session=session, actor=SYSTEM, username="demo-editor")
    assert listed.name == "Enkätverktyget"
    assert listed.last_used_at is not None
    assert listed.state(TODAY) == "active"
    assert "api.token_create" in _actions(demo_url)


def test_revoked_expired_unknown_and_deactivated_tokens_act_as_nobody_and_each_refusal_is_audited(demo_url):
    with fixed_today(TODAY), writing(demo_url) as session:
        revoked, revoked_secret = create_token(session=session, actor=SYSTEM, username="demo-editor", name="r")
        _, expiring_secret = create_token(session=session, actor=SYSTEM, username="demo-editor", name="e",
                                          expires_on=TODAY)
        _, viewer_secret = create_token(session=session, actor=SYSTEM, username="demo-viewer", name="v")
        revoke_token(session=session, actor=SYSTEM, token_id=revoked.id)
        set_active(session=session, actor=SYSTEM, username="demo-viewer", active=False)
    with fixed_today(TODAY), writing(demo_url) as session:
        assert authenticate(session=session, secret=expiring_secret, origin="t") is not None  # its last day
    with fixed_today(TODAY + dt.timedelta(days=1)), writing(demo_url) as session:
        answers = [authenticate(session=session, secret=s, origin="t")
                   for s in (revoked_secret, expiring_secret, viewer_secret, "effekt_made-up", "")]
    assert answers == [None] * 5
    with reading(demo_url) as session:
        refusals = list(session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "api.token_refused")))
    assert [r.split('"reason": "')[1].split('"')[0] for r in refusals] == ["revoked", "expired", "inactive", "unknown", "unknown"]
    assert "api.token_revoke" in _actions(demo_url)


def test_an_editor_manages_only_their_own_tokens_and_a_viewer_none(demo_url):
    editor, viewer = _as(demo_url, "demo-editor"), _as(demo_url, "demo-viewer")
    with fixed_today(TODAY), writing(demo_url) as session:
        own, _ = create_token(session=session, actor=editor, username="demo-editor", name="own")
        admins, _ = create_token(session=session, actor=SYSTEM, username="demo-admin", name="admin's")
    with fixed_today(TODAY), pytest.raises(PermissionDenied), writing(demo_url) as session:
        create_token(session=session, actor=editor, username="demo-admin", name="not mine")
    with pytest.raises(PermissionDenied), writing(demo_url) as session:
        revoke_token(session=session, actor=editor, token_id=admins.id)
    with fixed_today(TODAY), pytest.raises(PermissionDenied), writing(demo_url) as session:
        create_token(session=session, actor=viewer, username="demo-viewer", name="mine?")
    with pytest.raises(PermissionDenied), writing(demo_url) as session:
        list_tokens(session=session, actor=editor, username="demo-admin")
    with reading(demo_url) as session:
        assert [t.name for t in list_tokens(session=session, actor=editor)] == ["own"]
        assert [t.name for t in list_tokens(session=session, actor=SYSTEM)] == ["admin's", "own"]
    with writing(demo_url) as session:
        assert revoke_token(session=session, actor=editor, token_id=own.id).revoked_at is not None
    assert _actions(demo_url).count("permission.denied") == 4


def test_a_token_needs_a_name_and_an_expiry_not_in_the_past(demo_url):
    with fixed_today(TODAY), pytest.raises(AccountError) as error, writing(demo_url) as session:
        create_token(session=session, actor=SYSTEM, username="demo-editor", name="x", expires_on=TODAY - dt.timedelta(days=1))
    assert (error.value.key, error.value.params) == ("api.token_expiry_past", {"date": "2025-11-14"})
    with fixed_today(TODAY), pytest.raises(AccountError) as error, writing(demo_url) as session:
        create_token(session=session, actor=SYSTEM, username="demo-editor", name="  ")
    assert error.value.key == "api.token_bad_name"


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "cli.py", "--database", url, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "EFFEKT_TODAY": TODAY.isoformat()})


def test_the_cli_prints_the_token_last_lists_it_and_revokes_it(demo_url):
    made = _cli(demo_url, "token", "add", "demo-editor", "--name", "Enkät", "--expires", "2026-06-30")
    secret = made.stdout.strip().splitlines()[-1]
    assert made.returncode == 0
    assert secret.startswith("effekt_")
    assert made.stdout.splitlines()[0] == "API-nyckel 1 (Enkät) skapad för demo-editor. Den visas bara nu, på nästa rad:"
    listed = _cli(demo_url, "token", "list", "demo-editor")
    assert listed.stdout == "1\tdemo-editor\tEnkät\tactive\t2026-06-30\t-\n"
    assert secret not in listed.stdout
    refused = _cli(demo_url, "token", "revoke", "1", "--as", "demo-viewer")
    assert refused.returncode == 1
    assert refused.stderr.strip() == "Bara en administratör, eller redaktören själv, får hantera ett kontos API-nycklar."
    assert _cli(demo_url, "token", "revoke", "1").returncode == 0
    assert "\trevoked\t" in _cli(demo_url, "token", "list").stdout
