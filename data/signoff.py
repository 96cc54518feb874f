"""Sign-off ("klarmarkera"): an organisation vouches for its quarter, which locks its figures.

A sign-off row without ``reopened_at`` locks the (organisation, quarter): ``data.figures`` asks
:func:`locked_cells` before it writes anything, so the form, the grid, the import, the CLI
and any API refuse alike. Reopening (administrators, with a reason) keeps the row, so history and
as-of views still show what was signed off when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.deadlines import RoundError
from data.models import Measurement, Metric, Organisation, SignOff, utcnow
from data.versioning import bump_data_version
from metrics import clock
from metrics.disclosure import Rule
from metrics.periods import Quarter
from metrics.submissions import missing_metric_ids

Cell = tuple[int, int]  # (organisation id, quarter index)


SignOffError = RoundError  # a sign-off or reopening that cannot be made


@dataclass(frozen=True)
class SignOffInfo:
    organisation_id: int
    quarter: Quarter
    signed_by: str
    signed_at: dt.datetime
    note: str
    missing: int
    reopened_by: str | None = None
    reopened_at: dt.datetime | None = None
    reopen_reason: str | None = None


def quarter_params(quarter: Quarter) -> dict[str, str]:
    """A quarter for a message in either language ("2026 K3" / "2026 Q3"); strings, so the year
    is not formatted as a number."""
    return {"year": str(quarter.year), "q": str(quarter.q)}


def _info(row: SignOff) -> SignOffInfo:
    return SignOffInfo(row.organisation_id, Quarter.from_index(row.period), row.signed_by, row.signed_at, row.note,
                       row.missing, row.reopened_by, row.reopened_at, row.reopen_reason)


def _in_force(moment: dt.datetime | None) -> ColumnElement[bool]:
    """Sign-offs in force now, or at a moment (signed by then and not reopened by then)."""
    if moment is None:
        return SignOff.reopened_at.is_(None)
    return and_(SignOff.signed_at <= moment, or_(SignOff.reopened_at.is_(None), SignOff.reopened_at > moment))


def signoffs_for_quarter(
    *, session: Session, quarter: Quarter, as_of: dt.datetime | None = None
) -> dict[int, SignOffInfo]:
    """Organisation id -> the sign-off in force for the quarter (now, or at ``as_of``)."""
    rows = session.scalars(select(SignOff).where(SignOff.period == quarter.index, _in_force(as_of))
                           .order_by(SignOff.id))
    return {row.organisation_id: _info(row) for row in rows}


def signoff_of(
    *, session: Session, organisation_id: int, quarter: Quarter, as_of: dt.datetime | None = None
) -> SignOffInfo | None:
    return signoffs_for_quarter(session=session, quarter=quarter, as_of=as_of).get(organisation_id)


def signed_off_quarters(*, session: Session, as_of: dt.datetime | None = None) -> frozenset[Cell]:
    """Every (organisation id, quarter index) signed off now or at ``as_of``: the peer statistics'
    hook when ``Settings.peer_signed_off_only`` is on."""
    return frozenset((o, p) for o, p in session.execute(
        select(SignOff.organisation_id, SignOff.period).where(_in_force(as_of))))


def vouched_rule(*, session: Session, rule: Rule, signed_off_only: bool, as_of: dt.datetime | None = None) -> Rule:
    """The disclosure rule with the signed-off cells when peer statistics count only vouched
    figures (the setting ``peer_signed_off_only``); the rule unchanged otherwise."""
    if not signed_off_only:
        return rule
    return replace(rule, signed_off=signed_off_quarters(session=session, as_of=as_of))


def locked_cells(*, session: Session, organisation_ids: Iterable[int], periods: Iterable[int]) -> set[Cell]:
    """The signed-off (locked) cells among these organisations and quarters. Called on every figure
    write: one indexed query over what is touched, empty in the usual case."""
    query = select(SignOff.organisation_id, SignOff.period).where(
        SignOff.reopened_at.is_(None), SignOff.organisation_id.in_(list(organisation_ids)),
        SignOff.period.in_(list(periods)))
    return {(int(o), int(p)) for o, p in session.execute(query)}


def locked_params(*, session: Session, cell: Cell) -> dict[str, str]:
    """The parameters of the ``rounds.locked`` message for a locked cell."""
    name = session.scalar(select(Organisation.name).where(Organisation.id == cell[0])) or "?"
    return {**quarter_params(Quarter.from_index(cell[1])), "organisation": name}


def missing_metrics(*, session: Session, organisation_id: int, quarter: Quarter) -> list[int]:
    """The active metrics (catalogue order) the organisation has no figure for in the quarter."""
    active = list(session.scalars(select(Metric.id).where(Metric.active.is_(True))
                                  .order_by(Metric.position, Metric.id)))
    have = list(session.scalars(select(Measurement.metric_id).where(
        Measurement.organisation_id == organisation_id, Measurement.period == quarter.index)))
    return missing_metric_ids(pd.DataFrame({"metric_id": have, "period": quarter.index}), active, quarter.index)


def require_ended(quarter: Quarter, today: dt.date | None = None) -> None:
    """Rounds are about quarters that have ended; a later quarter is a mistake in the input."""
    if quarter.index > Quarter.last_completed(today or clock.today()).index:
        raise SignOffError("rounds.quarter_not_ended", **quarter_params(quarter))


def sign_off(
    *, session: Session, actor: Actor, organisation_id: int, quarter: Quarter, note: str = "",
    today: dt.date | None = None,
) -> SignOffInfo:
    """Sign off the organisation's quarter (its editors and administrators); locks its figures.

    Complete: no note needed. Figures missing: a note saying what is missing and why is required.
    """
    actor.require_edit(organisation_id)
    require_ended(quarter, today)
    if signoff_of(session=session, organisation_id=organisation_id, quarter=quarter) is not None:
        raise SignOffError("rounds.already_signed_off", **locked_params(session=session, cell=(organisation_id, quarter.index)))
    missing = missing_metrics(session=session, organisation_id=organisation_id, quarter=quarter)
    note = note.strip()
    if missing and not note:
        raise SignOffError("rounds.note_required", count=len(missing))
    row = SignOff(organisation_id=organisation_id, period=quarter.index, signed_by=actor.username,
                  signed_at=utcnow(), note=note, missing=len(missing))
    session.add(row)
    session.flush()
    bump_data_version(session)
    record_event(session=session, actor=actor, action="rounds.signoff", organisation_id=organisation_id,
                 detail={"quarter": str(quarter), "missing": len(missing), "note": note})
    return _info(row)


def reopen(
    *, session: Session, actor: Actor, organisation_id: int, quarter: Quarter, reason: str,
) -> SignOffInfo:
    """Open a signed-off quarter again (administrators only, with a reason); the sign-off stays in history."""
    actor.require_admin()
    reason = reason.strip()
    if not reason:
        raise SignOffError("rounds.reason_required")
    row = session.scalars(select(SignOff).where(
        SignOff.organisation_id == organisation_id, SignOff.period == quarter.index, SignOff.reopened_at.is_(None))
    ).first()
    if row is None:
        raise SignOffError("rounds.not_signed_off", **locked_params(session=session, cell=(organisation_id, quarter.index)))
    row.reopened_by, row.reopened_at, row.reopen_reason = actor.username, utcnow(), reason
    session.flush()
    bump_data_version(session)
    record_event(session=session, actor=actor, action="rounds.reopen", organisation_id=organisation_id,
                 detail={"quarter": str(quarter), "reason": reason})
    return _info(row)


def signoff_history(*, session: Session, organisation_id: int) -> list[SignOffInfo]:
    """Every sign-off of the organisation, newest first, reopened ones included."""
    rows = session.scalars(select(SignOff).where(SignOff.organisation_id == organisation_id)
                           .order_by(SignOff.id.desc()))
    return [_info(row) for row in rows]
