"""The audit log: who did what, when, from where. Written in the same transaction as the change."""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import select
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


def audit_frame(*, session: Session, limit: int = 500) -> pd.DataFrame:
    """The newest audit events first."""
    rows = session.execute(
        select(
            AuditEvent.at, AuditEvent.actor, AuditEvent.action,
            AuditEvent.organisation_id, AuditEvent.detail, AuditEvent.origin,
        )
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return pd.DataFrame(rows, columns=["at", "actor", "action", "organisation_id", "detail", "origin"])
