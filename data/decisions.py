"""The decisions and experiments register: what a board decided to do or test, who owns it, by when.

The workshop's agenda ends every meeting with an experiment to follow up "within a set time"; the
next board pack lists what was decided at the last meeting, so each pack closes the loop on the
last one. Every change is permission-checked, audited and bumps the data version.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.models import Decision, utcnow
from data.text_rules import TEXT_KEY, control_character, describe
from data.versioning import bump_data_version
from metrics.errors import EffektError
from metrics.periods import Quarter

MAX_WHAT_LENGTH = 300  # a decision is a line on a slide; the note holds the rest
MAX_OWNER_LENGTH = 200  # the column's size
MAX_NOTE_LENGTH = 2000


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


@dataclass(frozen=True)
class NewDecision:
    organisation_id: int
    decided: Quarter
    what: str
    owner: str = ""
    due: Quarter | None = None
    done: bool = False
    note: str = ""


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
        done=row.done, note=row.note,
    )
