"""API tokens: how a system (a survey tool, a case system) reports figures as an account.

A token is named, belongs to one account and acts with exactly that account's permissions,
reloaded on every request (a deactivated account's tokens stop at once). It is shown once, when
made; only its SHA-256 is stored. It may expire (the last day it works) and can be revoked.
Administrators manage every token (also a viewer's, for a system that only reads), an editor
their own. Every create, revoke and refusal is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.accounts import actor_for
from data.actors import AccountError, Actor, PermissionDenied
from data.audit import record_event
from data.models import Account, ApiToken, utcnow
from data.usernames import normalise_username
from metrics import clock

TOKEN_PREFIX = "effekt_"
MAX_NAME_LENGTH = 100
# Recording the last use at most this often keeps a busy integration from writing on every call.
_TOUCH_EVERY = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class TokenInfo:
    id: int
    username: str
    name: str
    created_at: dt.datetime
    created_by: str
    expires_on: dt.date | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def state(self, today: dt.date) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_on is not None and self.expires_on < today:
            return "expired"
        return "active"


@dataclass(frozen=True)
class TokenActor:
    """Who a valid token acts as, and which token (the rate limit counts per token)."""

    token_id: int
    actor: Actor


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    *, session: Session, actor: Actor, username: str, name: str, expires_on: dt.date | None = None,
) -> tuple[TokenInfo, str]:
    """A new token for an account; returns it with the secret, which is never shown again."""
    account = _account(session, username)
    _require_manage(actor, account, "api.permission_token_own")
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise AccountError("api.token_bad_name", limit=MAX_NAME_LENGTH)
    if not account.active:
        raise AccountError("api.token_role")
    if expires_on is not None and expires_on < clock.today():
        raise AccountError("api.token_expiry_past", date=expires_on.isoformat())
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(account_id=account.id, name=name, token_hash=token_hash(secret), created_at=utcnow(),
                   created_by=actor.username, expires_on=expires_on)
    session.add(row)
    session.flush()
    record_event(session=session, actor=actor, action="api.token_create", detail={
        "token_id": row.id, "username": account.username, "name": name,
        "expires_on": expires_on.isoformat() if expires_on else None,
    })
    return _info(row, account.username), secret


def list_tokens(*, session: Session, actor: Actor, username: str | None = None) -> list[TokenInfo]:
    """Tokens by account and name: an administrator's of any (or one) account, an editor's own."""
    if not actor.is_admin:
        if actor.role != "editor" or (username is not None and normalise_username(username) != actor.username):
            raise _denied(actor, "api.permission_token_own")
        username = actor.username
    query = select(ApiToken, Account.username).join(Account, Account.id == ApiToken.account_id)
    if username is not None:
        query = query.where(Account.username == normalise_username(username))
    rows = session.execute(query.order_by(Account.username, ApiToken.name, ApiToken.id))
    return [_info(token, owner) for token, owner in rows]


def revoke_token(*, session: Session, actor: Actor, token_id: int) -> TokenInfo:
    """Revoke at once: the next request with it gets 401. Revoking twice changes nothing."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise AccountError("api.token_unknown", id=token_id)
    account = session.get(Account, row.account_id)
    assert account is not None
    _require_manage(actor, account, "api.permission_token_own")
    if row.revoked_at is None:
        row.revoked_at, row.revoked_by = utcnow(), actor.username
        record_event(session=session, actor=actor, action="api.token_revoke",
                     detail={"token_id": row.id, "username": account.username, "name": row.name})
    return _info(row, account.username)


def authenticate(*, session: Session, secret: str, origin: str, now: dt.datetime | None = None) -> TokenActor | None:
    """The account a token acts as, or None (unknown, revoked, expired, account inactive; audited)."""
    now = now or utcnow()
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret))) if secret else None
    reason = _refusal(session, row)
    if reason is not None:
        who = Actor(username="(api token)", role="signed_out", origin=origin)
        record_event(session=session, actor=who, action="api.token_refused",
                     detail={"reason": reason, "token_id": row.id if row else None})
        return None
    assert row is not None
    account = session.get(Account, row.account_id)
    assert account is not None
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
        row.last_used_at = now
    return TokenActor(row.id, actor_for(session=session, username=account.username, origin=f"{origin} token {row.id}"))


def _refusal(session: Session, row: ApiToken | None) -> str | None:
    if row is None:
        return "unknown"
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_on is not None and row.expires_on < clock.today():
        return "expired"
    account = session.get(Account, row.account_id)
    if account is None or not account.active:
        return "inactive"
    return None


def _account(session: Session, username: str) -> Account:
    row = session.scalar(select(Account).where(Account.username == normalise_username(username)))
    if row is None:
        raise AccountError("account.unknown_or_inactive", username=username)
    return row


def _require_manage(actor: Actor, account: Account, key: str) -> None:
    """Administrators manage every token; an editor only the tokens of their own account."""
    if actor.is_admin or (actor.role == "editor" and actor.username == account.username):
        return
    raise _denied(actor, key)


def _denied(actor: Actor, key: str) -> PermissionDenied:
    error = PermissionDenied(key, username=actor.username)
    error.actor = actor
    return error


def _info(row: ApiToken, username: str) -> TokenInfo:
    return TokenInfo(row.id, username, row.name, row.created_at, row.created_by, row.expires_on,
                     row.last_used_at, row.revoked_at)
