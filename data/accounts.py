"""Accounts, passwords and server-side sign-in records.

Passwords are stored only as argon2id hashes (argon2-cffi) and never logged. A sign-in creates a
``sign_in`` row; the browser session keeps only a random token whose SHA-256 is that row's key.
Every run of the app calls :func:`resume_sign_in`, which reloads the account from the database,
so deactivating an account, changing its role or organisations, or resetting its password ends
the person's access at their very next interaction, in every replica.

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
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from data.actors import ROLES, Actor
from data.audit import record_event
from data.models import (
    Account,
    AccountOrganisation,
    DataVersion,
    FailedSignIn,
    Measurement,
    Organisation,
    SignIn,
    utcnow,
)

MIN_PASSWORD_LENGTH = 10
MIN_USERNAME_LENGTH = 2
MAX_USERNAME_LENGTH = 100
# Besides (Latin) letters and ASCII digits, the only characters a user name may hold.
USERNAME_PUNCTUATION = "._-@"
LOCKOUT_FAILURES = 10
LOCKOUT_WINDOW = dt.timedelta(minutes=15)
DEFAULT_IDLE_TIMEOUT = dt.timedelta(minutes=30)
# Refreshing last_seen_at at most this often keeps a run from writing on every click.
_TOUCH_EVERY = dt.timedelta(seconds=60)

_hasher = PasswordHasher()
# Verified against when the name is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

# Demo accounts exist only together with the demo organisations (created and removed with them).
DEMO_PASSWORD = "effekt-demo-2018"
DEMO_ACCOUNTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("demo-admin", "admin", ()),
    ("demo-editor", "editor", ("demo-ekbacka",)),
    ("demo-viewer", "viewer", ("demo-granlunda",)),
)
# On the reserved .example domain (RFC 2606), so a reminder to a demo account never reaches anyone.
DEMO_EMAILS = {"demo-admin": "demo-admin@effekt.example", "demo-editor": "demo-editor@ekbacka.example",
               "demo-viewer": "demo-viewer@granlunda.example"}


class AccountError(ValueError):
    """An account change that cannot be made; ``key`` and ``params`` make the translated message."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}" if params else key)


@dataclass(frozen=True)
class AccountInfo:
    id: int
    username: str
    role: str
    organisation_ids: tuple[int, ...]
    active: bool
    is_demo: bool
    email: str | None
    sso_issuer: str | None
    sso_subject: str | None
    has_password: bool


@dataclass(frozen=True)
class SignInOutcome:
    """``ok`` with a token and the actor, or ``failed`` / ``locked`` with neither."""

    status: Literal["ok", "failed", "locked"]
    token: str | None = None
    actor: Actor | None = None


# --- passwords -------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; always spends one argon2 verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_password(password: str, username: str = "") -> None:
    """Refuse passwords that are short or just the account name (``username`` already normalised)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("account.password_short", minimum=MIN_PASSWORD_LENGTH)
    if username and _fold(password) == username:
        raise AccountError("account.password_is_name")


def _fold(name: str) -> str:
    """NFKC, case folded, NFKC again (so folding twice changes nothing), Unicode whitespace stripped."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold()).strip()


def normalise_username(name: str) -> str:
    """The one form of a user name that is stored, looked up, signed in with and counted by the lock-out.

    Applied once where a name comes in. ``str.strip`` removes every Unicode whitespace (tabs,
    no-break, em and ideographic spaces) and NFKC has already turned the exotic ones into spaces;
    a name that is still too long is refused, never cut, so no two spellings can meet in one form
    for the lookup and another for the failure count.
    """
    folded = _fold(name)
    if len(folded) > MAX_USERNAME_LENGTH:
        raise AccountError("security.username_too_long", maximum=MAX_USERNAME_LENGTH)
    return folded


def check_username(name: str) -> None:
    """The name rules for a new account (``name`` already normalised): length and characters."""
    if len(name) < MIN_USERNAME_LENGTH:
        raise AccountError("security.username_short", minimum=MIN_USERNAME_LENGTH)
    for character in name:
        if not _allowed_in_name(character):
            shown = character if character.isprintable() and not character.isspace() else f"U+{ord(character):04X}"
            raise AccountError("security.username_character", character=shown,
                               allowed=" ".join(USERNAME_PUNCTUATION))


def _allowed_in_name(character: str) -> bool:
    """Latin letters (å, ä, ö, é … included), ASCII digits and a little punctuation: no look-alikes
    from other scripts, no invisible characters, no spaces."""
    if character in USERNAME_PUNCTUATION or "0" <= character <= "9":
        return True
    return character.isalpha() and unicodedata.name(character, "").startswith("LATIN ")


# --- reading ---------------------------------------------------------------------------------

def has_accounts(*, session: Session) -> bool:
    return session.scalar(select(Account.id).limit(1)) is not None


def list_accounts(*, session: Session, actor: Actor) -> list[AccountInfo]:
    """Every account, by name (administrators only: the list says who has access to what)."""
    actor.require_admin()
    rows = list(session.scalars(select(Account).order_by(Account.username)))
    return [_info(session, row) for row in rows]


def get_account(*, session: Session, username: str) -> AccountInfo | None:
    row = _row(session, normalise_username(username))
    return _info(session, row) if row else None


def actor_for(*, session: Session, username: str, origin: str) -> Actor:
    """The actor an active account acts as (the CLI's ``--as``); unknown or inactive refuses."""
    name = normalise_username(username)
    row = _row(session, name)
    if row is None or not row.active:
        raise AccountError("account.unknown_or_inactive", username=name)
    return _actor(session, row, origin)


def _row(session: Session, name: str) -> Account | None:
    """The account by its stored name; ``name`` has been through :func:`normalise_username`."""
    return session.scalar(select(Account).where(Account.username == name))


def _organisation_ids(session: Session, account_id: int) -> tuple[int, ...]:
    return tuple(sorted(session.scalars(
        select(AccountOrganisation.organisation_id).where(AccountOrganisation.account_id == account_id)
    )))


def _info(session: Session, row: Account) -> AccountInfo:
    return AccountInfo(
        id=row.id, username=row.username, role=row.role, organisation_ids=_organisation_ids(session, row.id),
        active=row.active, is_demo=row.is_demo, email=row.email, sso_issuer=row.sso_issuer,
        sso_subject=row.sso_subject, has_password=row.password_hash is not None,
    )


def _actor(session: Session, row: Account, origin: str) -> Actor:
    organisations = _organisation_ids(session, row.id) if row.role in _BELONGS else ()
    return Actor(username=row.username, role=row.role, organisation_ids=frozenset(organisations), origin=origin)


# --- changing accounts -----------------------------------------------------------------------

def first_admin_allowed(*, session: Session) -> bool:
    """Only a database that holds nothing at all (no account, organisation or figure) may be claimed
    by whoever opens the app first; anything else needs an administrator made on the command line."""
    return not has_accounts(session=session) and all(
        session.scalar(select(column).limit(1)) is None for column in (Organisation.id, Measurement.id)
    )


def create_first_admin(*, session: Session, username: str, password: str, origin: str) -> AccountInfo:
    """The one-time first administrator of an empty database; refused once an account or any data exists."""
    # Lock the data version row so two people racing on a fresh PostgreSQL database serialise here.
    session.execute(select(DataVersion.id).where(DataVersion.id == 1).with_for_update())
    if has_accounts(session=session):
        raise AccountError("account.first_exists")
    if not first_admin_allowed(session=session):
        raise AccountError("security.first_admin_has_data")
    name = normalise_username(username)
    founder = Actor(username=name, role="admin", origin=origin)
    info = _create(session, founder, name, "admin", (), password, None, False)
    record_event(session=session, actor=founder, action="account.first_admin", detail={"username": info.username})
    return info


def add_account(
    *,
    session: Session,
    actor: Actor,
    username: str,
    role: str,
    organisation_ids: Iterable[int] = (),
    password: str | None = None,
    email: str | None = None,
    is_demo: bool = False,
) -> AccountInfo:
    """A new account (administrators only). Without a password it can sign in only through SSO."""
    actor.require_admin()
    info = _create(session, actor, normalise_username(username), role, tuple(organisation_ids), password, email,
                   is_demo)
    record_event(session=session, actor=actor, action="account.add", detail={
        "username": info.username, "role": info.role, "organisations": list(info.organisation_ids),
        "email": info.email,
    })
    return info


def _create(
    session: Session, actor: Actor, name: str, role: str, organisation_ids: tuple[int, ...],
    password: str | None, email: str | None, is_demo: bool,
) -> AccountInfo:
    """Validate everything first (name, role, organisations, password), then write the account."""
    check_username(name)
    if _row(session, name) is not None:
        raise AccountError("account.name_taken", username=name)
    _check_role(session, role, organisation_ids)
    if password is not None:
        check_password(password, name)
    elif email is None:
        raise AccountError("account.needs_password_or_email")
    row = Account(
        username=name, role=role, active=True, is_demo=is_demo, email=_clean_email(email),
        password_hash=hash_password(password) if password is not None else None, created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    _set_organisations(session, row.id, organisation_ids if role in _BELONGS else ())
    return _info(session, row)


def change_role(
    *, session: Session, actor: Actor, username: str, role: str, organisation_ids: Iterable[int] = ()
) -> AccountInfo:
    """Set role and organisations; the person's current sign-ins end (they sign in again)."""
    actor.require_admin()
    row = _existing(session, normalise_username(username))
    organisations = tuple(organisation_ids)
    _check_role(session, role, organisations)
    if row.role == "admin" and role != "admin":
        _keep_an_administrator(session, row.id)
    before = {"role": row.role, "organisations": list(_organisation_ids(session, row.id))}
    row.role = role
    _set_organisations(session, row.id, organisations if role in _BELONGS else ())
    _end_sign_ins(session, row.id, "role_changed")
    record_event(session=session, actor=actor, action="account.role", detail={
        "username": row.username, "before": before,
        "after": {"role": role, "organisations": list(_organisation_ids(session, row.id))},
    })
    return _info(session, row)


def reset_password(*, session: Session, actor: Actor, username: str, password: str) -> None:
    """A new password (administrators, or the person themselves); every sign-in of the account ends."""
    name = normalise_username(username)
    row = _existing(session, name) if actor.username == name else None
    if row is None:
        actor.require_admin()
        row = _existing(session, name)
    check_password(password, row.username)
    row.password_hash = hash_password(password)
    _end_sign_ins(session, row.id, "password_reset")
    record_event(session=session, actor=actor, action="account.password", detail={"username": row.username})


def set_active(*, session: Session, actor: Actor, username: str, active: bool) -> None:
    """Deactivate (access ends at the next interaction) or reactivate an account."""
    actor.require_admin()
    row = _existing(session, normalise_username(username))
    if not active and row.role == "admin":
        _keep_an_administrator(session, row.id)
    row.active = active
    if not active:
        _end_sign_ins(session, row.id, "deactivated")
    record_event(session=session, actor=actor, action="account.activate" if active else "account.deactivate",
                 detail={"username": row.username})


def set_sso_identity(
    *, session: Session, actor: Actor, username: str, email: str | None,
    issuer: str | None = None, subject: str | None = None,
) -> None:
    """Register the e-mail (and optionally the issuer and subject) single sign-on maps to this account."""
    actor.require_admin()
    row = _existing(session, normalise_username(username))
    row.email = _clean_email(email)
    if issuer is not None or subject is not None:
        row.sso_issuer, row.sso_subject = issuer, subject
    record_event(session=session, actor=actor, action="account.sso", detail={
        "username": row.username, "email": row.email, "issuer": row.sso_issuer, "subject": row.sso_subject,
    })


def _existing(session: Session, name: str) -> Account:
    """The account an administrator acts on (``name`` normalised); unknown refuses."""
    row = _row(session, name)
    if row is None:
        raise AccountError("account.unknown_or_inactive", username=name)
    return row


# Editors may change their organisations' figures; a viewer's organisations are the ones they belong
# to, which decides whose name and rank they see in comparisons (Actor.can_edit stays editor-only).
_BELONGS = ("editor", "viewer")


def _check_role(session: Session, role: str, organisation_ids: Sequence[int]) -> None:
    """The role is one of :data:`ROLES` and every organisation named exists (checked before any write)."""
    if role not in ROLES:
        raise AccountError("security.account_role", role=role, roles=", ".join(ROLES))
    if role == "editor" and not organisation_ids:
        raise AccountError("account.editor_needs_organisation")
    if organisation_ids:
        known = set(session.scalars(select(Organisation.id).where(Organisation.id.in_(list(organisation_ids)))))
        missing = sorted(set(organisation_ids) - known)
        if missing:
            raise AccountError("security.account_organisations", ids=", ".join(map(str, missing)))


def _keep_an_administrator(session: Session, account_id: int) -> None:
    others = session.scalar(select(func.count(Account.id)).where(
        Account.role == "admin", Account.active.is_(True), Account.id != account_id,
    ))
    if not others:
        raise AccountError("account.last_admin")


def _set_organisations(session: Session, account_id: int, organisation_ids: Iterable[int]) -> None:
    session.execute(delete(AccountOrganisation).where(AccountOrganisation.account_id == account_id))
    session.add_all(AccountOrganisation(account_id=account_id, organisation_id=o) for o in sorted(set(organisation_ids)))
    session.flush()


def _clean_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email or None


# --- signing in ------------------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_locked(*, session: Session, username: str, now: dt.datetime | None = None) -> bool:
    return _locked(session, normalise_username(username), now or utcnow())


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
    row = _row(session, name)
    locked = _locked(session, name, now)
    matches = verify_password(row.password_hash if row else None, password)
    if not locked and matches and row is not None and row.active:
        token = start_sign_in(session=session, account_id=row.id, origin=origin, method="password", now=now)
        actor = _actor(session, row, origin)
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
        record_event(session=session, actor=_actor(session, account, origin), action="signin.idle", detail={})
        return None
    if now - record.last_seen_at > _TOUCH_EVERY:
        record.last_seen_at = now
    return _actor(session, account, origin)


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
        record_event(session=session, actor=_actor(session, account, record.origin), action="signin.end",
                     detail={"reason": reason})


def _end(record: SignIn, now: dt.datetime, reason: str) -> None:
    record.ended_at = now
    record.ended_reason = reason


def _end_sign_ins(session: Session, account_id: int, reason: str) -> None:
    session.execute(
        update(SignIn).where(SignIn.account_id == account_id, SignIn.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_reason=reason)
    )


# --- single sign-on --------------------------------------------------------------------------

def sso_sign_in(
    *, session: Session, issuer: str, subject: str, email: str | None, email_verified: bool, origin: str
) -> SignInOutcome:
    """Map a provider identity to an Effekt account and start a sign-in.

    The identity comes from the provider; the role always comes from Effekt's tables. An identity
    matches an account by issuer and subject, or else by a verified e-mail an administrator
    registered on an account not yet bound to another identity (the match then binds it).
    """
    row = session.scalar(select(Account).where(Account.sso_issuer == issuer, Account.sso_subject == subject))
    if row is None and email and email_verified:
        row = session.scalar(select(Account).where(
            Account.email == _clean_email(email), Account.sso_subject.is_(None)
        ))
        if row is not None:
            row.sso_issuer, row.sso_subject = issuer, subject
    who = Actor(username=(email or subject)[:100], role="signed_out", origin=origin)
    if row is None or not row.active:
        record_event(session=session, actor=who, action="signin.failed",
                     detail={"method": "sso", "issuer": issuer, "email": email})
        return SignInOutcome("failed")
    token = start_sign_in(session=session, account_id=row.id, origin=origin, method="sso")
    actor = _actor(session, row, origin)
    record_event(session=session, actor=actor, action="signin.ok", detail={"method": "sso", "issuer": issuer})
    return SignInOutcome("ok", token, actor)


# --- demo accounts ---------------------------------------------------------------------------

def create_demo_accounts(*, session: Session, actor: Actor) -> int:
    """The demo's administrator, editor and viewer; made only together with the demo organisations."""
    actor.require_admin()
    codes = {code: id_ for code, id_ in session.execute(select(Organisation.code, Organisation.id))}
    made = 0
    for username, role, organisations in DEMO_ACCOUNTS:
        if _row(session, normalise_username(username)) is None:
            add_account(session=session, actor=actor, username=username, role=role, password=DEMO_PASSWORD,
                        organisation_ids=[codes[c] for c in organisations], is_demo=True,
                        email=DEMO_EMAILS.get(username))
            made += 1
    return made


def remove_demo_accounts(*, session: Session, organisation_ids: Sequence[int]) -> None:
    """Delete the demo accounts and every editor link to demo organisations (called by remove_demo).

    Refused while a demo account is the only active administrator and anything real (an account
    or organisation outside the demo) would stay: the deployment would be left without an
    administrator, and an empty account table would let anyone claim it.
    """
    demo_ids = list(session.scalars(select(Account.id).where(Account.is_demo.is_(True))))
    if _real_data_without_real_administrator(session, organisation_ids):
        raise AccountError("security.demo_removal_needs_admin")
    session.execute(delete(AccountOrganisation).where(
        AccountOrganisation.organisation_id.in_(list(organisation_ids)) | AccountOrganisation.account_id.in_(demo_ids)
    ))
    session.execute(delete(SignIn).where(SignIn.account_id.in_(demo_ids)))
    session.execute(delete(Account).where(Account.id.in_(demo_ids)))


def _real_data_without_real_administrator(session: Session, demo_organisation_ids: Sequence[int]) -> bool:
    """True when no active non-demo administrator exists but non-demo accounts or organisations do."""
    real_admin = session.scalar(select(Account.id).where(
        Account.role == "admin", Account.active.is_(True), Account.is_demo.is_(False)).limit(1))
    if real_admin is not None:
        return False
    real_account = session.scalar(select(Account.id).where(Account.is_demo.is_(False)).limit(1))
    real_organisation = session.scalar(select(Organisation.id).where(
        Organisation.id.not_in(list(demo_organisation_ids))).limit(1))
    return real_account is not None or real_organisation is not None


def demo_accounts(*, session: Session) -> list[AccountInfo]:
    """The demo accounts to show on the sign-in page: none unless the database holds demo data."""
    if session.scalar(select(Organisation.id).where(Organisation.is_demo.is_(True)).limit(1)) is None:
        return []
    rows = session.scalars(select(Account).where(Account.is_demo.is_(True), Account.active.is_(True))
                           .order_by(Account.username))
    return [_info(session, row) for row in rows]


# --- secrets ---------------------------------------------------------------------------------

MIN_SECRET_LENGTH = 32
KNOWN_EXAMPLE_SECRETS = frozenset({
    "xxx", "changeme", "change-me", "secret", "your-secret", "my secret password",
    "some_random_secret", "a_random_secret", "your_cookie_secret", "cookie_secret", "replace-me",
    "your-client-secret", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
})


def secret_problem(value: object) -> str | None:
    """Why a configured secret must be refused (missing, short, a known example), or None."""
    if not isinstance(value, str) or not value.strip():
        return "secret.missing"
    if value.strip().lower() in KNOWN_EXAMPLE_SECRETS or len(set(value)) < 8:
        return "secret.example"
    if len(value) < MIN_SECRET_LENGTH:
        return "secret.short"
    return None
