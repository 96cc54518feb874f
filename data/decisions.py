"""The decisions and experiments register: what a board decided to do or test, who owns it, by when.

The workshop's agenda ends every meeting with an experiment to follow up "within a set time"; the
next board pack lists what was decided at the last meeting, so each pack closes the loop on the
last one. Every change is permission-checked, audited and bumps the data version.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.models import Decision, Metric, utcnow
from data.text_rules import TEXT_KEY, control_character, describe
from data.versioning import bump_data_version
from metrics.errors import EffektError
from metrics.experiments import DIRECTIONS
from metrics.periods import Quarter

MAX_WHAT_LENGTH = 300  # a decision is a line on a slide; the note holds the rest
MAX_OWNER_LENGTH = 200  # the column's size
MAX_NOTE_LENGTH = 2000
OUTCOMES = ("worked", "did_not_work", "too_early", "stopped")
LESSONS_METRIC = "lessons_shared"


class DecisionRejected(EffektError, ValueError):
    """A decision that may not be stored; ``key`` and ``params`` make the translated message."""


@dataclass(frozen=True)
class DecisionInfo:
    """One recorded decision, as plain data for pages and reports."""

    id: int
    organisation_id: int
    decided: Quarter
    what: str
    owner: str
    due: Quarter | None
    done: bool
    note: str = ""
    experiment: Experiment | None = None
    outcome: str | None = None  # worked / did_not_work / too_early / stopped
    lesson: str = ""
    lessons_feed: bool = False


@dataclass(frozen=True)
class Experiment:
    """What an experiment should move: metric codes, the expected direction (up/down) and size, the
    start quarter and the follow-up quarter."""

    metric_codes: tuple[str, ...]
    start: Quarter
    follow_up: Quarter
    direction: str | None = None
    size: float | None = None


@dataclass(frozen=True)
class NewDecision:
    organisation_id: int
    decided: Quarter
    what: str
    owner: str = ""
    due: Quarter | None = None
    done: bool = False
    note: str = ""
    experiment: Experiment | None = None


def list_decisions(
    *, session: Session, organisation_id: int, decided: Quarter | None = None
) -> list[DecisionInfo]:
    """An organisation's decisions, oldest meeting first; only one meeting's when ``decided`` is given."""
    query = select(Decision).where(Decision.organisation_id == organisation_id)
    if decided is not None:
        query = query.where(Decision.decided_period == decided.index)
    rows = session.scalars(query.order_by(Decision.decided_period, Decision.id))
    return [_info(row) for row in rows]


def last_meeting_decisions(*, session: Session, organisation_id: int, quarter: Quarter) -> list[DecisionInfo]:
    """The decisions of the most recent meeting before ``quarter``: what this pack follows up."""
    latest = session.scalar(
        select(Decision.decided_period)
        .where(Decision.organisation_id == organisation_id, Decision.decided_period < quarter.index)
        .order_by(Decision.decided_period.desc())
        .limit(1)
    )
    if latest is None:
        return []
    return list_decisions(session=session, organisation_id=organisation_id, decided=Quarter.from_index(latest))


def add_decision(*, session: Session, actor: Actor, decision: NewDecision) -> int:
    """Record a decision; returns its id."""
    actor.require_edit(decision.organisation_id)
    _validate(decision.what, decision.decided, decision.due, decision.owner, decision.note)
    row = Decision(
        organisation_id=decision.organisation_id, decided_period=decision.decided.index,
        what=decision.what.strip(), owner=decision.owner.strip(),
        due_period=decision.due.index if decision.due else None, done=decision.done,
        note=decision.note.strip(), updated_at=utcnow(), updated_by=actor.username,
    )
    if decision.experiment is not None:
        _set_experiment(session, row, decision.experiment)
    session.add(row)
    session.flush()
    _changed(session, actor, "decision.add", decision.organisation_id, row.id, what=row.what)
    return row.id


def update_decision(
    *, session: Session, actor: Actor, decision_id: int, what: str, owner: str,
    due: Quarter | None, done: bool, note: str = "",
) -> None:
    """Change a decision: rewording, a new owner or due quarter, or marking it done."""
    row = _row(session, decision_id)
    actor.require_edit(row.organisation_id)
    _validate(what, Quarter.from_index(row.decided_period), due, owner, note)
    row.what, row.owner, row.note = what.strip(), owner.strip(), note.strip()
    row.due_period = due.index if due else None
    row.done = done
    row.updated_at, row.updated_by = utcnow(), actor.username
    _changed(session, actor, "decision.update", row.organisation_id, row.id, done=done)


def set_decision_done(*, session: Session, actor: Actor, decision_id: int, done: bool) -> None:
    """Tick a decision off (or reopen it)."""
    row = _row(session, decision_id)
    actor.require_edit(row.organisation_id)
    row.done = done
    row.updated_at, row.updated_by = utcnow(), actor.username
    _changed(session, actor, "decision.done" if done else "decision.reopen", row.organisation_id, row.id)


def delete_decision(*, session: Session, actor: Actor, decision_id: int) -> None:
    row = _row(session, decision_id)
    actor.require_edit(row.organisation_id)
    organisation_id, what = row.organisation_id, row.what
    session.execute(delete(Decision).where(Decision.id == decision_id))
    _changed(session, actor, "decision.delete", organisation_id, decision_id, what=what)


def _set_experiment(session: Session, row: Decision, experiment: Experiment) -> None:
    """Check and store what the experiment should move and when it is followed up."""
    known = set(session.scalars(select(Metric.code)))
    unknown = [code for code in experiment.metric_codes if code not in known]
    if unknown or not experiment.metric_codes:
        raise DecisionRejected("experiment.metric_unknown", metric=", ".join(unknown) or "–")
    if experiment.follow_up < experiment.start:
        raise DecisionRejected("experiment.follow_up_before_start", start=str(experiment.start),
                               follow_up=str(experiment.follow_up))
    if experiment.direction not in (None, *DIRECTIONS):
        raise DecisionRejected("experiment.direction_unknown", direction=str(experiment.direction))
    if experiment.size is not None and not (math.isfinite(experiment.size) and experiment.size >= 0):
        raise DecisionRejected("experiment.size_invalid")
    row.metric_codes = ",".join(experiment.metric_codes)
    row.start_period, row.follow_up_period = experiment.start.index, experiment.follow_up.index
    row.expected_direction, row.expected_size = experiment.direction, experiment.size


def record_outcome(*, session: Session, actor: Actor, decision_id: int, outcome: str, lesson: str = "",
                   feed_lessons: bool = False) -> None:
    """The owner's verdict on an experiment and what was learned. With ``feed_lessons`` (a choice in
    the form, never automatic) the organisation's count of recorded lessons for the follow-up
    quarter is stored as its "Delade lärdomar" figure for that quarter."""
    row = _row(session, decision_id)
    actor.require_edit(row.organisation_id)
    if outcome not in OUTCOMES:
        raise DecisionRejected("experiment.outcome_unknown", outcome=outcome)
    if len(lesson.strip()) > MAX_NOTE_LENGTH:
        raise DecisionRejected("invalid.decision.note_too_long", limit=MAX_NOTE_LENGTH)
    row.outcome, row.lesson, row.lessons_feed = outcome, lesson.strip(), feed_lessons and bool(lesson.strip())
    row.updated_at, row.updated_by = utcnow(), actor.username
    session.flush()
    _changed(session, actor, "decision.outcome", row.organisation_id, row.id, outcome=outcome)
    if row.lessons_feed:
        _feed_lessons(session, actor, row)


def _feed_lessons(session: Session, actor: Actor, row: Decision) -> None:
    """Store the count of lessons fed into the follow-up quarter as the lessons metric's figure."""
    from data.figures import Figure, save_figures  # figures imports much; only this path needs it

    period = row.follow_up_period if row.follow_up_period is not None else row.decided_period
    metric_id = session.scalar(select(Metric.id).where(Metric.code == LESSONS_METRIC))
    if metric_id is None:
        return
    count = len(list(session.scalars(select(Decision.id).where(
        Decision.organisation_id == row.organisation_id, Decision.lessons_feed.is_(True),
        Decision.follow_up_period == period))))
    save_figures(session=session, actor=actor, via="form", figures=[Figure(
        row.organisation_id, metric_id, Quarter.from_index(period), float(count),
        comment=f"{count} lärdomar från försök (beslutsregistret)")])


def _validate(what: str, decided: Quarter, due: Quarter | None, owner: str = "", note: str = "") -> None:
    if not what.strip():
        raise DecisionRejected("decision.what_missing")
    for text, multiline in ((what, True), (owner, False), (note, True)):
        character = control_character(text, multiline=multiline)
        if character is not None:
            raise DecisionRejected(TEXT_KEY, character=describe(character))
    if len(what.strip()) > MAX_WHAT_LENGTH:
        raise DecisionRejected("decision.too_long", limit=MAX_WHAT_LENGTH)
    if due is not None and due < decided:
        raise DecisionRejected("decision.due_before_decided", due=str(due), decided=str(decided))
    _validate_texts(owner, note)


def _validate_texts(owner: str, note: str) -> None:
    if len(owner.strip()) > MAX_OWNER_LENGTH:
        raise DecisionRejected("invalid.decision.owner_too_long", limit=MAX_OWNER_LENGTH)
    if len(note.strip()) > MAX_NOTE_LENGTH:
        raise DecisionRejected("invalid.decision.note_too_long", limit=MAX_NOTE_LENGTH)


def _row(session: Session, decision_id: int) -> Decision:
    row = session.get(Decision, decision_id)
    if row is None:
        raise DecisionRejected("decision.unknown", id=decision_id)
    return row


def _changed(session: Session, actor: Actor, action: str, organisation_id: int, decision_id: int,
             **detail: object) -> None:
    bump_data_version(session)
    record_event(session=session, actor=actor, action=action, organisation_id=organisation_id,
                 detail={"decision": decision_id, **detail})


def _info(row: Decision) -> DecisionInfo:
    return DecisionInfo(
        id=row.id, organisation_id=row.organisation_id, decided=Quarter.from_index(row.decided_period),
        what=row.what, owner=row.owner,
        due=Quarter.from_index(row.due_period) if row.due_period is not None else None,
        done=row.done, note=row.note, experiment=_experiment(row), outcome=row.outcome, lesson=row.lesson or "",
        lessons_feed=bool(row.lessons_feed),
    )


def _experiment(row: Decision) -> Experiment | None:
    if not row.metric_codes or row.start_period is None or row.follow_up_period is None:
        return None
    return Experiment(tuple(row.metric_codes.split(",")), Quarter.from_index(row.start_period),
                      Quarter.from_index(row.follow_up_period), row.expected_direction, row.expected_size)
