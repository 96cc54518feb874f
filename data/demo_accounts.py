"""The demo's administrator, editor and viewer: they exist only together with the demo
organisations, created and removed with them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data.accounts import AccountInfo, account_info, account_row, add_account
from data.actors import AccountError, Actor
from data.models import (
    Account,
    AccountOrganisation,
    Organisation,
    SignIn,
)
from data.usernames import normalise_username

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


def create_demo_accounts(*, session: Session, actor: Actor) -> int:
    """The demo's administrator, editor and viewer; made only together with the demo organisations."""
    actor.require_admin()
    codes = {code: id_ for code, id_ in session.execute(select(Organisation.code, Organisation.id))}
    made = 0
    for username, role, organisations in DEMO_ACCOUNTS:
        if account_row(session, normalise_username(username)) is None:
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
    return [account_info(session, row) for row in rows]
