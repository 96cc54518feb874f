"""Server-side sign-in records and the lock-out.

A sign-in creates a ``sign_in`` row; the browser keeps only a random token whose SHA-256 is that
row's key. Every run of the app calls :func:`resume_sign_in`, which reloads the account from the
database, so deactivating an account, changing its role or organisations, or resetting its password
ends the person's access at their very next interaction, in every replica.

Lock-out: after :data:`LOCKOUT_FAILURES` failed attempts for a name within :data:`LOCKOUT_WINDOW`,
that name cannot sign in until the window has passed. Failures are counted by the name typed,
whether or not such an account exists, and the messages for "wrong password", "no such account"
and "locked" are the same for existing and unknown names, so the sign-in page never reveals which
accounts exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.accounts import account_row, actor_of
from data.actors import AccountError, Actor
from data.audit import record_event
from data.models import (
    Account,
    FailedSignIn,
    SignIn,
    utcnow,
)
from data.passwords import verify_password
from data.usernames import normalise_username

LOCKOUT_FAILURES = 10


LOCKOUT_WINDOW = dt.timedelta(minutes=15)


DEFAULT_IDLE_TIMEOUT = dt.timedelta(minutes=30)


# Refreshing last_seen_at at most this often keeps a run from writing on every click.
_TOUCH_EVERY = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class SignInOutcome:
    """``ok`` with a token and the actor, or ``failed`` / ``locked`` with neither."""

    status: Literal["ok", "failed", "locked"]
    token: str | None = None
    actor: Actor | None = None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _locked(session: Session, name: str, now: dt.datetime) -> bool:
    """Whether ``name`` (normalised) has had too many failures within the window."""
    failures = session.scalar(select(func.count(FailedSignIn.id)).where(
        FailedSignIn.username == name, FailedSignIn.at > now - LOCKOUT_WINDOW,
    ))
    return bool(failures and failures >= LOCKOUT_FAILURES)


def attempt_sign_in(
    *, session: Session, username: str, password: str, origin: str, now: dt.datetime | None = None
) -> SignInOutcome:
    """Check a name and password. Returns (never raises) so the caller commits the failure record.

    The name is normalised once, here; that one form is looked up, checked for a lock and counted.
    A name too long to be any account's is refused after the same password work as any other.
    """
    now = now or utcnow()
    try:
        name = normalise_username(username)
    except AccountError:
        verify_password(None, password)
        record_event(session=session, actor=Actor(username="?", role="signed_out", origin=origin),
                     action="signin.failed", detail={"reason": "name_too_long"})
        return SignInOutcome("failed")
    who = Actor(username=name or "?", role="signed_out", origin=origin)
    row = account_row(session, name)
    locked = _locked(session, name, now)
    matches = verify_password(row.password_hash if row else None, password)
    if not locked and matches and row is not None and row.active:
        token = start_sign_in(session=session, account_id=row.id, origin=origin, method="password", now=now)
        actor = actor_of(session, row, origin)
        record_event(session=session, actor=actor, action="signin.ok", detail={"method": "password"})
        return SignInOutcome("ok", token, actor)
    session.add(FailedSignIn(username=name, at=now, origin=origin))
    session.flush()
    if locked:
        record_event(session=session, actor=who, action="signin.locked", detail={})
        return SignInOutcome("locked")
    record_event(session=session, actor=who, action="signin.failed", detail={})
    if _locked(session, name, now):
        record_event(session=session, actor=who, action="signin.lockout", detail={"failures": LOCKOUT_FAILURES})
        return SignInOutcome("locked")
    return SignInOutcome("failed")


def start_sign_in(
    *, session: Session, account_id: int, origin: str, method: str = "password", now: dt.datetime | None = None
) -> str:
    """A new server-side sign-in record; returns the token the browser session keeps."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(SignIn(token_hash=_token_hash(token), account_id=account_id, started_at=now,
                       last_seen_at=now, origin=origin[:100], method=method))
    session.flush()
    return token


def resume_sign_in(
    *, session: Session, token: str | None, origin: str, idle_timeout: dt.timedelta = DEFAULT_IDLE_TIMEOUT,
    now: dt.datetime | None = None,
) -> Actor | None:
    """The actor behind a token, reloaded from the database; None when the sign-in has ended."""
    if not token:
        return None
    now = now or utcnow()
    record = session.scalar(select(SignIn).where(SignIn.token_hash == _token_hash(token)))
    if record is None or record.ended_at is not None:
        return None
    account = session.get(Account, record.account_id)
    if account is None or not account.active:
        _end(record, now, "deactivated")
        return None
    if now - record.last_seen_at > idle_timeout:
        _end(record, now, "idle")
        record_event(session=session, actor=actor_of(session, account, origin), action="signin.idle", detail={})
        return None
    if now - record.last_seen_at > _TOUCH_EVERY:
        record.last_seen_at = now
    return actor_of(session, account, origin)


def end_sign_in(*, session: Session, token: str | None, reason: str = "signed_out") -> None:
    """Sign out: the record ends, so the token is worthless even if it was copied."""
    if not token:
        return
    record = session.scalar(select(SignIn).where(SignIn.token_hash == _token_hash(token)))
    if record is None or record.ended_at is not None:
        return
    _end(record, utcnow(), reason)
    account = session.get(Account, record.account_id)
    if account is not None:
        record_event(session=session, actor=actor_of(session, account, record.origin), action="signin.end",
                     detail={"reason": reason})


def _end(record: SignIn, now: dt.datetime, reason: str) -> None:
    record.ended_at = now
    record.ended_reason = reason
