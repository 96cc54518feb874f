"""Single sign-on: the provider's identity mapped to an Effekt account; roles from Effekt's tables.

There is no identity provider here, so ``st.user`` is seeded through AppTest's ``at.user``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from data.accounts import add_account, set_active
from data.actors import SYSTEM
from data.db import reading, writing
from data.models import Account
from tests.apptest_support import open_app, shown_text

STRONG = "Vq3t9LmZ0pX7rK2sWc8yNd4hJf6bGa1e"
AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": STRONG,
                 "client_id": "effekt", "client_secret": STRONG,
                 "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}}
ISSUER = "https://idp.example"


def identity(email="greta@ekbacka.se", subject="sub-1", verified=True, role_claim=None):
    user = {"is_logged_in": True, "iss": ISSUER, "sub": subject, "email": email, "email_verified": verified}
    if role_claim:
        user["roles"] = role_claim
    return user


@pytest.fixture
def sso_db(demo_url):
    with writing(demo_url) as session:
        add_account(session=session, actor=SYSTEM, username="greta", role="viewer", email="Greta@Ekbacka.se")
    return demo_url


def test_a_verified_email_registered_by_an_administrator_signs_in_with_effekts_role(sso_db, monkeypatch):
    # The provider claims an admin role; Effekt ignores it: greta is a viewer in Effekt's tables.
    at = open_app(sso_db, monkeypatch, signed_in=False, user=identity(role_claim=["admin"]), secrets=AUTH)
    assert "Inloggad som greta (läsare)" in shown_text(at)
    with reading(sso_db) as session:
        bound = session.execute(select(Account.sso_issuer, Account.sso_subject).where(Account.username == "greta")).one()
    assert tuple(bound) == (ISSUER, "sub-1")
    # Bound now: the same subject signs in even if the provider later reports another e-mail.
    again = open_app(sso_db, monkeypatch, signed_in=False, user=identity(email="new@ekbacka.se"), secrets=AUTH)
    assert "Inloggad som greta (läsare)" in shown_text(again)


@pytest.mark.parametrize("user", [
    identity(verified=False),                       # e-mail not verified by the provider
    identity(email="stranger@ekbacka.se"),          # nobody registered this e-mail
    {"is_logged_in": False},                        # not signed in at the provider
], ids=["unverified", "unknown", "not-logged-in"])
def test_unmapped_identities_get_no_access(sso_db, monkeypatch, user):
    at = open_app(sso_db, monkeypatch, signed_in=False, user=user, secrets=AUTH)
    assert "Inloggad som" not in shown_text(at)
    assert not at.dataframe
    assert at.title[0].value == "Logga in"


def test_a_deactivated_account_cannot_sign_in_through_the_provider(sso_db, monkeypatch):
    with writing(sso_db) as session:
        set_active(session=session, actor=SYSTEM, username="greta", active=False)
    at = open_app(sso_db, monkeypatch, signed_in=False, user=identity(), secrets=AUTH)
    assert "greta@ekbacka.se har inget aktivt konto i Effekt" in shown_text(at)


@pytest.mark.parametrize(("cookie_secret", "message"), [
    ("changeme", "känt exempelvärde"), ("short-secret-12", "för kort"), ("", "saknas"),
])
def test_weak_or_missing_secrets_stop_the_app(sso_db, monkeypatch, cookie_secret, message):
    secrets = {"auth": {**AUTH["auth"], "cookie_secret": cookie_secret}}
    at = open_app(sso_db, monkeypatch, signed_in=True, secrets=secrets)
    assert message in at.error[0].value
    assert "[auth] cookie_secret" in at.error[0].value
    assert not at.dataframe
    assert "Inloggad som" not in shown_text(at)
