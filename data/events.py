"""Events on the timeline: what happened in a quarter that explains a move in the numbers.

A launch of an e-service, a reorganisation, a new survey method: per organisation and optionally
per metric. Editors of that organisation and administrators add, change and remove them; every
change is permission-checked here, audited, written to ``timeline_event_revision`` and bumps the
data version. A method change is a break in the series (:mod:`metrics.breaks`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.models import EVENT_KINDS, Metric, Organisation, TimelineEvent, TimelineEventRevision, utcnow
from data.versioning import bump_data_version
from metrics import clock
from metrics.periods import Quarter

MAX_TITLE_LENGTH = 200
MAX_NOTE_LENGTH = 2000
METHOD_CHANGE = "method_change"


class EventRejected(ValueError):
    """An event that may not be stored; ``key`` and ``params`` make the translated message."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)


@dataclass(frozen=True)
class EventInfo:
    """One event as plain data for pages, charts, downloads and the board pack."""

    id: int
    organisation_id: int
    quarter: Quarter
    kind: str
    title: str
    note: str = ""
    metric_code: str | None = None
    updated_by: str = ""
    updated_at: dt.datetime | None = None

    def applies_to(self, metric_code: str) -> bool:
        """An event without a metric concerns all the organisation's metrics."""
        return self.metric_code is None or self.metric_code == metric_code


@dataclass(frozen=True)
class NewEvent:
    organisation_id: int
    quarter: Quarter
    title: str
    kind: str = "other"
    note: str = ""
    metric_code: str | None = None


def list_events(
    *, session: Session, organisation_ids: set[int] | None = None, metric_code: str | None = None
) -> list[EventInfo]:
    """Events oldest first; only some organisations' and only those concerning one metric when asked."""
    query = select(TimelineEvent, Metric.code).outerjoin(Metric, Metric.id == TimelineEvent.metric_id)
    if organisation_ids is not None:
        query = query.where(TimelineEvent.organisation_id.in_(sorted(organisation_ids)))
    rows = session.execute(query.order_by(TimelineEvent.period, TimelineEvent.id)).all()
    events = [_info(row, code) for row, code in rows]
    return [e for e in events if metric_code is None or e.applies_to(metric_code)]


def method_changes(events: list[EventInfo]) -> list[tuple[int, str | None]]:
    """(quarter index, metric code or None) of the method changes: the input of :mod:`metrics.breaks`."""
    return [(e.quarter.index, e.metric_code) for e in events if e.kind == METHOD_CHANGE]


def add_event(*, session: Session, actor: Actor, event: NewEvent) -> int:
    """Record an event; returns its id."""
    _organisation(session, event.organisation_id)
    actor.require_edit(event.organisation_id)
    metric_id = _checked(session, event)
    row = TimelineEvent(
        organisation_id=event.organisation_id, metric_id=metric_id, period=event.quarter.index, kind=event.kind,
        title=event.title.strip(), note=event.note.strip(), version=1, updated_at=utcnow(),
        updated_by=actor.username,
    )
    session.add(row)
    session.flush()
    _history(session, actor, row, "add")
    return row.id


def change_event(*, session: Session, actor: Actor, event_id: int, event: NewEvent) -> None:
    """Change an event's quarter, title, kind, note or metric (not its organisation)."""
    row = _row(session, event_id)
    actor.require_edit(row.organisation_id)
    if event.organisation_id != row.organisation_id:
        raise EventRejected("event.move_organisation")
    row.metric_id = _checked(session, event)
    row.period, row.kind = event.quarter.index, event.kind
    row.title, row.note = event.title.strip(), event.note.strip()
    row.version += 1
    row.updated_at, row.updated_by = utcnow(), actor.username
    _history(session, actor, row, "change")


def remove_event(*, session: Session, actor: Actor, event_id: int) -> EventInfo:
    """Remove an event; its history stays."""
    row = _row(session, event_id)
    actor.require_edit(row.organisation_id)
    code = session.get(Metric, row.metric_id).code if row.metric_id else None  # type: ignore[union-attr]
    info = _info(row, code)
    row.version += 1
    _history(session, actor, row, "remove")
    session.delete(row)
    return info


def _checked(session: Session, event: NewEvent) -> int | None:
    """Validate the texts, the kind and the quarter; the metric's id (None for all metrics)."""
    title = event.title.strip()
    if not title:
        raise EventRejected("event.title_missing")
    if len(title) > MAX_TITLE_LENGTH:
        raise EventRejected("event.title_too_long", limit=MAX_TITLE_LENGTH)
    if len(event.note.strip()) > MAX_NOTE_LENGTH:
        raise EventRejected("event.note_too_long", limit=MAX_NOTE_LENGTH)
    if _has_control(title) or _has_control(event.note, allowed="\n\t\r"):
        raise EventRejected("event.control_characters")
    if event.kind not in EVENT_KINDS:
        raise EventRejected("event.kind_unknown", kind=event.kind, kinds=", ".join(EVENT_KINDS))
    current = Quarter.containing(clock.today())
    if event.quarter > current:
        raise EventRejected("event.future", quarter=str(event.quarter), current=str(current))
    if not event.metric_code:
        return None
    metric_id = session.scalar(select(Metric.id).where(Metric.code == event.metric_code))
    if metric_id is None:
        raise EventRejected("event.metric_unknown", metric=event.metric_code)
    return metric_id


def _has_control(text: str, allowed: str = "") -> bool:
    return any((ord(c) < 32 or 0x7F <= ord(c) < 0xA0) and c not in allowed for c in text)


def _organisation(session: Session, organisation_id: int) -> None:
    if session.get(Organisation, organisation_id) is None:
        raise EventRejected("event.organisation_unknown", id=organisation_id)


def _row(session: Session, event_id: int) -> TimelineEvent:
    row = session.get(TimelineEvent, event_id)
    if row is None:
        raise EventRejected("event.unknown", id=event_id)
    return row


def _history(session: Session, actor: Actor, row: TimelineEvent, action: str) -> None:
    """The revision row, the audit row and the data version: in the same transaction as the change."""
    session.add(TimelineEventRevision(
        event_id=row.id, organisation_id=row.organisation_id, action=action, metric_id=row.metric_id,
        period=row.period, kind=row.kind, title=row.title, note=row.note, version=row.version,
        changed_at=utcnow(), changed_by=actor.username,
    ))
    bump_data_version(session)
    record_event(session=session, actor=actor, action=f"event.{action}", organisation_id=row.organisation_id,
                 detail={"event": row.id, "quarter": str(Quarter.from_index(row.period)), "kind": row.kind,
                         "title": row.title})


def event_history(*, session: Session, event_id: int) -> list[dict[str, object]]:
    """Every revision of one event, oldest first: what it said after each change (before a removal)."""
    rows = session.scalars(select(TimelineEventRevision).where(TimelineEventRevision.event_id == event_id)
                           .order_by(TimelineEventRevision.id))
    return [{"action": r.action, "version": r.version, "quarter": str(Quarter.from_index(r.period)),
             "kind": r.kind, "title": r.title, "note": r.note, "by": r.changed_by, "at": r.changed_at} for r in rows]


def _info(row: TimelineEvent, metric_code: str | None) -> EventInfo:
    return EventInfo(id=row.id, organisation_id=row.organisation_id, quarter=Quarter.from_index(row.period),
                     kind=row.kind, title=row.title, note=row.note, metric_code=metric_code,
                     updated_by=row.updated_by, updated_at=row.updated_at)
