"""Targets: where each organisation means to be on each metric, and by when.

The only code that changes the ``target`` table. Like figures, a target never changes silently:
every save or removal is checked against the acting person, writes a ``target_revision`` row and
an audit event in the same transaction, and bumps the data version so every page shows it at once.
An organisation may keep two targets per metric: the 10x one and a planned (incremental) one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.catalogue_store import list_metrics
from data.models import TARGET_KINDS, Target, TargetRevision, utcnow
from data.text_rules import TEXT_KEY, control_character, describe
from data.versioning import bump_data_version
from metrics.periods import Quarter
from metrics.targets import TargetError, TargetPlan

MAX_OWNER_LENGTH = 200
MAX_NOTE_LENGTH = 2000
TARGET_COLUMNS = [
    "organisation_id", "metric_id", "kind", "baseline_period", "baseline_value", "target_period",
    "target_value", "owner", "note", "version", "updated_at", "updated_by",
]
HISTORY_COLUMNS = [
    "id", "organisation_id", "metric_id", "kind", "action", "baseline_period", "baseline_value",
    "target_period", "target_value", "owner", "note", "version", "changed_at", "changed_by",
]
SaveAction = Literal["create", "change", "unchanged"]


@dataclass(frozen=True)
class TargetInput:
    """A target someone wants stored. ``expected_version`` (0: they saw none) guards against
    overwriting a colleague's change made meanwhile."""

    organisation_id: int
    metric_id: int
    kind: str
    baseline_quarter: Quarter
    baseline_value: float
    target_quarter: Quarter
    target_value: float
    owner: str = ""
    note: str = ""
    expected_version: int | None = None

    @property
    def plan(self) -> TargetPlan:
        return TargetPlan(self.baseline_quarter, self.baseline_value, self.target_quarter, self.target_value)


@dataclass(frozen=True)
class TargetSaved:
    action: SaveAction
    version: int


class TargetConflict(RuntimeError):
    """Someone else changed or removed this target after the person loaded it."""

    key = "targets.conflict"


def save_target(*, session: Session, actor: Actor, target: TargetInput) -> TargetSaved:
    """Create or change one target, with its revision and audit event; an unchanged save writes nothing."""
    actor.require_edit(target.organisation_id)
    _validate(session, target)
    row = _current(session, target.organisation_id, target.metric_id, target.kind)
    seen = row.version if row is not None else 0
    if target.expected_version is not None and target.expected_version != seen:
        raise TargetConflict(f"target version {seen}, expected {target.expected_version}")
    values = {
        "baseline_period": target.baseline_quarter.index, "baseline_value": float(target.baseline_value),
        "target_period": target.target_quarter.index, "target_value": float(target.target_value),
        "owner": target.owner.strip(), "note": target.note.strip(),
    }
    if row is not None and all(getattr(row, name) == value for name, value in values.items()):
        return TargetSaved("unchanged", row.version)
    now = utcnow()
    action: SaveAction
    if row is None:
        action = "create"
        row = Target(organisation_id=target.organisation_id, metric_id=target.metric_id, kind=target.kind,
                     version=1, updated_at=now, updated_by=actor.username, **values)
        session.add(row)
    else:
        action = "change"
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1
        row.updated_at, row.updated_by = now, actor.username
    session.add(TargetRevision(organisation_id=target.organisation_id, metric_id=target.metric_id, kind=target.kind,
                               action=action, version=row.version, changed_at=now, changed_by=actor.username, **values))
    _audit(session, actor, f"target.{action}", target.organisation_id, target.metric_id, target.kind, values)
    session.flush()
    return TargetSaved(action, row.version)


def remove_target(
    *, session: Session, actor: Actor, organisation_id: int, metric_id: int, kind: str, expected_version: int | None = None
) -> bool:
    """Remove a target (its history stays); False if there was none."""
    actor.require_edit(organisation_id)
    row = _current(session, organisation_id, metric_id, kind)
    if row is None:
        return False
    if expected_version is not None and expected_version != row.version:
        raise TargetConflict(f"target version {row.version}, expected {expected_version}")
    now = utcnow()
    session.add(TargetRevision(organisation_id=organisation_id, metric_id=metric_id, kind=kind, action="remove",
                               version=row.version + 1, changed_at=now, changed_by=actor.username))
    session.delete(row)
    _audit(session, actor, "target.remove", organisation_id, metric_id, kind, {"version": row.version})
    session.flush()
    return True


def targets_frame(*, session: Session, organisation_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Current targets (periods as quarter indexes), for the pages and the maths."""
    query = select(*(getattr(Target, c) for c in TARGET_COLUMNS)).order_by(Target.organisation_id, Target.metric_id, Target.kind)
    if organisation_ids is not None:
        query = query.where(Target.organisation_id.in_(list(organisation_ids)))
    frame = pd.DataFrame(session.execute(query).all(), columns=TARGET_COLUMNS)
    return frame.astype({"baseline_value": "float64", "target_value": "float64"}) if len(frame) else frame


def targets_as_of(*, session: Session, moment: dt.datetime, organisation_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """The targets as they stood at ``moment`` (UTC), from their revisions, in the shape of :func:`targets_frame`.

    A board pack "as of" a date shows the targets the board had then, not ones set afterwards.
    """
    r = TargetRevision
    query = select(r.organisation_id, r.metric_id, r.kind, r.action, r.baseline_period, r.baseline_value,
                   r.target_period, r.target_value, r.owner, r.note, r.version, r.changed_at, r.changed_by,
                   ).where(r.changed_at <= moment)
    if organisation_ids is not None:
        query = query.where(r.organisation_id.in_(list(organisation_ids)))
    latest: dict[tuple[int, int, str], tuple[object, ...]] = {}
    for row in session.execute(query.order_by(r.id)):
        latest[(row.organisation_id, row.metric_id, row.kind)] = tuple(row)
    rows = [(o, m, k, *rest) for (o, m, k), (_o, _m, _k, action, *rest) in sorted(latest.items()) if action != "remove"]
    frame = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    return frame.astype({"baseline_value": "float64", "target_value": "float64"}) if len(frame) else frame


def target_history(*, session: Session, organisation_id: int, metric_id: int | None = None) -> pd.DataFrame:
    """Every change to an organisation's targets, newest first."""
    query = select(*(getattr(TargetRevision, c) for c in HISTORY_COLUMNS)).where(
        TargetRevision.organisation_id == organisation_id
    )
    if metric_id is not None:
        query = query.where(TargetRevision.metric_id == metric_id)
    return pd.DataFrame(session.execute(query.order_by(TargetRevision.id.desc())).all(), columns=HISTORY_COLUMNS)


def _validate(session: Session, target: TargetInput) -> None:
    """Defence in depth: the form checks too, but no path may store a target that cannot be followed."""
    if target.kind not in TARGET_KINDS:
        raise TargetError("targets.error.kind", kind=target.kind)
    metric = next((m for m in list_metrics(session=session) if m.id == target.metric_id), None)
    if metric is None:
        raise TargetError("metric.unknown_or_inactive")
    plan = target.plan  # raises on quarter order and zero distance
    for field, value in (("baseline", target.baseline_value), ("target", target.target_value)):
        problem = metric.range_problem(float(value))
        if problem:  # named by field: the person typed two numbers, the message says which is wrong
            raise TargetError(f"invalid.target.{field}_{problem.removeprefix('value.')}",
                              min=metric.min_value, max=metric.max_value, value=float(value))
    plan.validate_for(metric)
    if len(target.owner) > MAX_OWNER_LENGTH:
        raise TargetError("targets.error.owner_too_long", limit=MAX_OWNER_LENGTH)
    if len(target.note) > MAX_NOTE_LENGTH:
        raise TargetError("comment.too_long", limit=MAX_NOTE_LENGTH)
    for text, multiline in ((target.owner, False), (target.note, True)):
        character = control_character(text, multiline=multiline)
        if character is not None:
            raise TargetError(TEXT_KEY, character=describe(character))


def _current(session: Session, organisation_id: int, metric_id: int, kind: str) -> Target | None:
    return session.scalar(
        select(Target).where(Target.organisation_id == organisation_id, Target.metric_id == metric_id, Target.kind == kind)
        .with_for_update()
    )


def _audit(
    session: Session, actor: Actor, action: str, organisation_id: int, metric_id: int, kind: str, values: dict[str, object]
) -> None:
    bump_data_version(session)
    record_event(session=session, actor=actor, action=action, organisation_id=organisation_id,
                 detail={"metric_id": metric_id, "kind": kind, **values})
