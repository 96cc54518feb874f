"""Accounts and their roles and organisations: adding, changing, deactivating, resetting a password.

Every change that takes access away ends the account's server-side sign-in records in the same
transaction, so the person's access ends at their very next interaction, in every replica.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from data.actors import ROLES, AccountError, Actor
from data.audit import record_event
from data.models import (
    Account,
    AccountOrganisation,
    DataVersion,
    Measurement,
    Organisation,
    SignIn,
    utcnow,
)
from data.passwords import check_password, hash_password
from data.usernames import check_username, normalise_username


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


def has_accounts(*, session: Session) -> bool:
    return session.scalar(select(Account.id).limit(1)) is not None


def list_accounts(*, session: Session, actor: Actor) -> list[AccountInfo]:
    """Every account, by name (administrators only: the list says who has access to what)."""
    actor.require_admin()
    rows = list(session.scalars(select(Account).order_by(Account.username)))
    return [account_info(session, row) for row in rows]


def get_account(*, session: Session, username: str) -> AccountInfo | None:
    row = account_row(session, normalise_username(username))
    return account_info(session, row) if row else None


def actor_for(*, session: Session, username: str, origin: str) -> Actor:
    """The actor an active account acts as (the CLI's ``--as``); unknown or inactive refuses."""
    name = normalise_username(username)
    row = account_row(session, name)
    if row is None or not row.active:
        raise AccountError("account.unknown_or_inactive", username=name)
    return actor_of(session, row, origin)


def account_row(session: Session, name: str) -> Account | None:
    """The account by its stored name; ``name`` has been through :func:`normalise_username`."""
    return session.scalar(select(Account).where(Account.username == name))


def _organisation_ids(session: Session, account_id: int) -> tuple[int, ...]:
    return tuple(sorted(session.scalars(
        select(AccountOrganisation.organisation_id).where(AccountOrganisation.account_id == account_id)
    )))


def account_info(session: Session, row: Account) -> AccountInfo:
    return AccountInfo(
        id=row.id, username=row.username, role=row.role, organisation_ids=_organisation_ids(session, row.id),
        active=row.active, is_demo=row.is_demo, email=row.email, sso_issuer=row.sso_issuer,
        sso_subject=row.sso_subject, has_password=row.password_hash is not None,
    )


def actor_of(session: Session, row: Account, origin: str) -> Actor:
    organisations = _organisation_ids(session, row.id) if row.role in _BELONGS else ()
    return Actor(username=row.username, role=row.role, organisation_ids=frozenset(organisations), origin=origin)


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
    info = _create(session, name, "admin", (), password, None, False)
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
    info = _create(session, normalise_username(username), role, tuple(organisation_ids), password, email,
                   is_demo)
    record_event(session=session, actor=actor, action="account.add", detail={
        "username": info.username, "role": info.role, "organisations": list(info.organisation_ids),
        "email": info.email,
    })
    return info


def _create(
    session: Session, name: str, role: str, organisation_ids: tuple[int, ...],
    password: str | None, email: str | None, is_demo: bool,
) -> AccountInfo:
    """Validate everything first (name, role, organisations, password), then write the account."""
    check_username(name)
    if account_row(session, name) is not None:
        raise AccountError("account.name_taken", username=name)
    _check_role(session, role, organisation_ids)
    if password is not None:
        check_password(password, name)
    elif email is None:
        raise AccountError("account.needs_password_or_email")
    row = Account(
        username=name, role=role, active=True, is_demo=is_demo, email=clean_email(email),
        password_hash=hash_password(password) if password is not None else None, created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    _set_organisations(session, row.id, organisation_ids if role in _BELONGS else ())
    return account_info(session, row)


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
    end_sign_ins(session, row.id, "role_changed")
    record_event(session=session, actor=actor, action="account.role", detail={
        "username": row.username, "before": before,
        "after": {"role": role, "organisations": list(_organisation_ids(session, row.id))},
    })
    return account_info(session, row)


def reset_password(*, session: Session, actor: Actor, username: str, password: str) -> None:
    """A new password (administrators, or the person themselves); every sign-in of the account ends."""
    name = normalise_username(username)
    row = _existing(session, name) if actor.username == name else None
    if row is None:
        actor.require_admin()
        row = _existing(session, name)
    check_password(password, row.username)
    row.password_hash = hash_password(password)
    end_sign_ins(session, row.id, "password_reset")
    record_event(session=session, actor=actor, action="account.password", detail={"username": row.username})


def set_active(*, session: Session, actor: Actor, username: str, active: bool) -> None:
    """Deactivate (access ends at the next interaction) or reactivate an account."""
    actor.require_admin()
    row = _existing(session, normalise_username(username))
    if not active and row.role == "admin":
        _keep_an_administrator(session, row.id)
    row.active = active
    if not active:
        end_sign_ins(session, row.id, "deactivated")
    record_event(session=session, actor=actor, action="account.activate" if active else "account.deactivate",
                 detail={"username": row.username})


def set_sso_identity(
    *, session: Session, actor: Actor, username: str, email: str | None,
    issuer: str | None = None, subject: str | None = None,
) -> None:
    """Register the e-mail (and optionally the issuer and subject) single sign-on maps to this account."""
    actor.require_admin()
    row = _existing(session, normalise_username(username))
    row.email = clean_email(email)
    if issuer is not None or subject is not None:
        row.sso_issuer, row.sso_subject = issuer, subject
    record_event(session=session, actor=actor, action="account.sso", detail={
        "username": row.username, "email": row.email, "issuer": row.sso_issuer, "subject": row.sso_subject,
    })


def _existing(session: Session, name: str) -> Account:
    """The account an administrator acts on (``name`` normalised); unknown refuses."""
    row = account_row(session, name)
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


def clean_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email or None


def end_sign_ins(session: Session, account_id: int, reason: str) -> None:
    session.execute(
        update(SignIn).where(SignIn.account_id == account_id, SignIn.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_reason=reason)
    )
