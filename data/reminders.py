"""Who is to be reminded or sent the digest for a quarter, and the record of what was sent.

Reminders go to each active editor of an active organisation that has not signed off the quarter,
at most once per account and quarter within ``EFFEKT_REMINDER_INTERVAL_DAYS`` (7). The digest goes,
after the deadline, once per quarter to each account that opted in, for each of its organisations.
Every message sent or refused is a ``mail_delivery`` row and an audit event, in the caller's
transaction. The texts are composed in ``reports/rounds.py``; this module knows no words.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.deadlines import Deadline, deadline_for
from data.models import Account, AccountOrganisation, MailDelivery, Organisation, utcnow
from data.settings import get_settings
from data.signoff import SignOffError, missing_metrics, quarter_params, require_ended, signoffs_for_quarter
from metrics import clock
from metrics.periods import Quarter


@dataclass(frozen=True)
class OrganisationDue:
    organisation_id: int
    name: str
    code: str
    missing_metric_ids: tuple[int, ...]


@dataclass(frozen=True)
class Recipient:
    """One account and the organisations one message is about."""

    username: str
    address: str | None
    language: str
    organisations: tuple[OrganisationDue, ...]


@dataclass(frozen=True)
class MailPlan:
    kind: str  # reminder / digest
    quarter: Quarter
    deadline: Deadline
    due: tuple[Recipient, ...]  # to be mailed now
    without_address: tuple[Recipient, ...]  # skipped: no e-mail address on the account
    held: tuple[Recipient, ...]  # already sent within the interval (reminder) or for the quarter (digest)


@dataclass(frozen=True)
class Outcome:
    """What became of one recipient's message (from ``data.mail.Delivery``)."""

    recipient: Recipient
    sent: bool
    error: str = ""


def _organisations_due(session: Session, quarter: Quarter, signed_off: bool | None) -> dict[int, OrganisationDue]:
    """Active organisations (only those not signed off when ``signed_off`` is False) with what is missing."""
    skip = set(signoffs_for_quarter(session=session, quarter=quarter)) if signed_off is False else set()
    rows = session.execute(select(Organisation.id, Organisation.name, Organisation.code)
                           .where(Organisation.active.is_(True)).order_by(Organisation.name))
    return {
        id_: OrganisationDue(id_, name, code, tuple(missing_metrics(session=session, organisation_id=id_, quarter=quarter)))
        for id_, name, code in rows if id_ not in skip
    }


def _accounts(session: Session, organisation_ids: Sequence[int], *, digest: bool) -> dict[int, list[tuple[Account, int]]]:
    """Active accounts linked to the organisations: editors (reminders) or digest subscribers."""
    query = (select(Account, AccountOrganisation.organisation_id)
             .join(AccountOrganisation, AccountOrganisation.account_id == Account.id)
             .where(Account.active.is_(True), AccountOrganisation.organisation_id.in_(list(organisation_ids)))
             .order_by(Account.username))
    query = query.where(Account.digest.is_(True)) if digest else query.where(Account.role == "editor")
    grouped: dict[int, list[tuple[Account, int]]] = defaultdict(list)
    for account, organisation_id in session.execute(query):
        grouped[account.id].append((account, organisation_id))
    return grouped


def _already_sent(session: Session, kind: str, quarter: Quarter, since: dt.datetime | None) -> set[tuple[str, int | None]]:
    query = select(MailDelivery.username, MailDelivery.organisation_id).where(
        MailDelivery.kind == kind, MailDelivery.period == quarter.index, MailDelivery.outcome == "sent")
    if since is not None:
        query = query.where(MailDelivery.at >= since)
    return {(who, organisation) for who, organisation in session.execute(query)}


def plan_reminders(*, session: Session, actor: Actor, quarter: Quarter, today: dt.date | None = None) -> MailPlan:
    """The editors to remind for the quarter, one message per account (administrators only)."""
    actor.require_admin()
    require_ended(quarter, today)
    organisations = _organisations_due(session, quarter, signed_off=False)
    since = utcnow() - dt.timedelta(days=get_settings().reminder_interval_days)
    sent = {who for who, _ in _already_sent(session, "reminder", quarter, since)}
    recipients = [
        Recipient(links[0][0].username, links[0][0].email, links[0][0].language or "sv",
                  tuple(organisations[o] for _, o in links))
        for links in _accounts(session, list(organisations), digest=False).values()
    ]
    return _split("reminder", session, quarter, recipients, lambda r: r.username in sent)


def plan_digest(*, session: Session, actor: Actor, quarter: Quarter, today: dt.date | None = None) -> MailPlan:
    """The digest's recipients for the quarter: one message per account and organisation, after the deadline."""
    actor.require_admin()
    require_ended(quarter, today)
    deadline = deadline_for(session=session, quarter=quarter)
    if (today or clock.today()) <= deadline.due:
        raise SignOffError("rounds.digest_before_deadline", **quarter_params(quarter), date=deadline.due.isoformat())
    organisations = _organisations_due(session, quarter, signed_off=None)
    sent = _already_sent(session, "digest", quarter, None)
    recipients = [
        Recipient(account.username, account.email, account.language or "sv", (organisations[o],))
        for links in _accounts(session, list(organisations), digest=True).values() for account, o in links
    ]
    return _split("digest", session, quarter, recipients,
                  lambda r: (r.username, r.organisations[0].organisation_id) in sent)


def _split(kind: str, session: Session, quarter: Quarter, recipients: list[Recipient],
           held: Callable[[Recipient], bool]) -> MailPlan:
    return MailPlan(
        kind, quarter, deadline_for(session=session, quarter=quarter),
        due=tuple(r for r in recipients if r.address and not held(r)),
        without_address=tuple(r for r in recipients if not r.address),
        held=tuple(r for r in recipients if r.address and held(r)),
    )


def record_outcomes(*, session: Session, actor: Actor, plan: MailPlan, outcomes: Sequence[Outcome]) -> None:
    """Record and audit every message sent or refused, and the accounts skipped for want of an address."""
    actor.require_admin()
    now = utcnow()
    for outcome in outcomes:
        recipient = outcome.recipient
        organisation_id = recipient.organisations[0].organisation_id if len(recipient.organisations) == 1 else None
        state = "sent" if outcome.sent else "failed"
        session.add(MailDelivery(kind=plan.kind, username=recipient.username, address=recipient.address or "",
                                 organisation_id=organisation_id, period=plan.quarter.index, outcome=state,
                                 error=outcome.error, at=now, sent_by=actor.username))
        record_event(session=session, actor=actor, action=f"rounds.{plan.kind}_{state}", organisation_id=organisation_id,
                     detail={"quarter": str(plan.quarter), "to": recipient.username, "address": recipient.address,
                             "error": outcome.error})
    if plan.without_address:
        record_event(session=session, actor=actor, action=f"rounds.{plan.kind}_skipped",
                     detail={"quarter": str(plan.quarter), "no_address": [r.username for r in plan.without_address]})
    session.flush()


def set_mail_preferences(*, session: Session, actor: Actor, username: str, language: str | None = None,
                         digest: bool | None = None) -> None:
    """The language of a person's e-mails and whether they get the digest: the person or an administrator."""
    row = session.scalars(select(Account).where(Account.username == username.strip().lower())).first()
    if row is None or (actor.username != row.username and not actor.is_admin):
        actor.require_admin()
        if row is None:
            raise SignOffError("account.unknown_or_inactive", username=username)
    if language is not None:
        if language not in ("sv", "en"):
            raise SignOffError("rounds.bad_language", language=language)
        row.language = language
    if digest is not None:
        row.digest = digest
    session.flush()
    record_event(session=session, actor=actor, action="account.mail_preferences",
                 detail={"username": row.username, "language": row.language, "digest": row.digest})
