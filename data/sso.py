"""Single sign-on: a provider's identity mapped to an Effekt account; the role always comes from
Effekt's own tables.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.accounts import actor_of, clean_email
from data.actors import Actor
from data.audit import record_event
from data.models import (
    Account,
)
from data.sign_ins import SignInOutcome, start_sign_in


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
            Account.email == clean_email(email), Account.sso_subject.is_(None)
        ))
        if row is not None:
            row.sso_issuer, row.sso_subject = issuer, subject
    who = Actor(username=(email or subject)[:100], role="signed_out", origin=origin)
    if row is None or not row.active:
        record_event(session=session, actor=who, action="signin.failed",
                     detail={"method": "sso", "issuer": issuer, "email": email})
        return SignInOutcome("failed")
    token = start_sign_in(session=session, account_id=row.id, origin=origin, method="sso")
    actor = actor_of(session, row, origin)
    record_event(session=session, actor=actor, action="signin.ok", detail={"method": "sso", "issuer": issuer})
    return SignInOutcome("ok", token, actor)
