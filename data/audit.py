"""The audit log: who did what, when, from where. Written in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.models import AuditEvent, utcnow


def record_event(
    *,
    session: Session,
    actor: Actor,
    action: str,
    organisation_id: int | None = None,
    detail: dict[str, object] | None = None,
) -> None:
    session.add(
        AuditEvent(
            at=utcnow(),
            actor=actor.username,
            action=action,
            organisation_id=organisation_id,
            detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str),
            origin=actor.origin,
        )
    )


AUDIT_COLUMNS = ["at", "actor", "action", "organisation_id", "detail", "origin"]
# The kinds of event the audit log can be filtered by: each is a prefix of the action names.
ACTION_GROUPS = {
    "signin": ("signin.",),
    "account": ("account.",),
    "figures": ("figures.", "import.", "target", "restore", "rounds.", "event."),
    "organisation": ("organisation.",),
    "metric": ("metric.", "catalogue."),
    "demo": ("demo.",),
    "denied": ("permission.",),
}


def audit_frame(
    *,
    session: Session,
    limit: int | None = 500,
    actor: str | None = None,
    groups: Sequence[str] = (),
    organisation_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> pd.DataFrame:
    """The newest audit events first, optionally only one person's, some kinds, one organisation's, or a period's."""
    query = select(*(getattr(AuditEvent, c) for c in AUDIT_COLUMNS))
    if actor:
        query = query.where(AuditEvent.actor == actor)
    prefixes = [prefix for group in groups for prefix in ACTION_GROUPS[group]]
    if prefixes:
        query = query.where(or_(*(AuditEvent.action.startswith(prefix) for prefix in prefixes)))
    if organisation_id is not None:
        query = query.where(AuditEvent.organisation_id == organisation_id)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    query = query.order_by(AuditEvent.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return pd.DataFrame(session.execute(query).all(), columns=AUDIT_COLUMNS)
