"""Reporting deadlines: by default a number of days after the quarter ends, or a date set per quarter.

The default offset is ``EFFEKT_DEADLINE_DAYS`` (30); an administrator may set another date for a
quarter (audited). Reminders, the digest and Inrapportering all read the deadline from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.models import ReportingDeadline, utcnow
from data.settings import get_settings
from data.versioning import bump_data_version
from metrics.errors import EffektError
from metrics.periods import Quarter


class RoundError(EffektError, ValueError):
    """Something in a reporting round that cannot be done (a deadline, a sign-off, a reopening,
    a digest too early); ``key`` and ``params`` make the translated message."""


DeadlineError = RoundError


@dataclass(frozen=True)
class Deadline:
    quarter: Quarter
    due: dt.date
    set_by: str | None  # None: the default offset after the quarter's end

    def days_left(self, today: dt.date) -> int:
        """Whole days until the deadline; negative when it has passed (days late)."""
        return (self.due - today).days


def default_deadline(quarter: Quarter, days: int | None = None) -> dt.date:
    offset = get_settings().deadline_days if days is None else days
    return quarter.last_day + dt.timedelta(days=offset)


def deadline_for(*, session: Session, quarter: Quarter) -> Deadline:
    """The quarter's deadline: the date an administrator set, else the default offset."""
    row = session.get(ReportingDeadline, quarter.index)
    if row is None:
        return Deadline(quarter, default_deadline(quarter), None)
    return Deadline(quarter, row.due, row.set_by)


def set_deadline(*, session: Session, actor: Actor, quarter: Quarter, due: dt.date | None) -> Deadline:
    """Set the quarter's deadline (administrators only); ``None`` goes back to the default."""
    actor.require_admin()
    if due is not None and due <= quarter.last_day:
        raise DeadlineError("rounds.deadline_before_end", quarter=quarter.label("sv"), end=quarter.last_day.isoformat())
    row = session.get(ReportingDeadline, quarter.index)
    if due is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(ReportingDeadline(period=quarter.index, due=due, set_by=actor.username, set_at=utcnow()))
    else:
        row.due, row.set_by, row.set_at = due, actor.username, utcnow()
    session.flush()
    bump_data_version(session)
    record_event(session=session, actor=actor, action="rounds.deadline",
                 detail={"quarter": str(quarter), "due": due.isoformat() if due else None})
    return deadline_for(session=session, quarter=quarter)
