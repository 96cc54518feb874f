"""Figures: the current value per organisation × metric × quarter, and its revisions.

The only code that changes the ``measurement`` table. Every change writes a revision row in the
same transaction (a retraction is a revision with no new value), bumps the data version, and is
checked against the acting person first. A save with any conflict or invalid figure writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any, Literal

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.actors import Actor, PermissionDenied
from data.audit import record_event
from data.bulk import delete_rows, driver_timestamp, insert_rows, update_rows
from data.catalogue_store import list_metrics
from data.models import FIGURE_STATUSES, REVISION_SOURCES, Measurement, MeasurementRevision, utcnow
from data.signoff import locked_cells, locked_params
from data.text_rules import TEXT_KEY, control_character, describe
from data.versioning import bump_data_version
from metrics import clock
from metrics.errors import EffektError
from metrics.periods import Quarter

ChangeKind = Literal["new", "changed", "retracted", "unchanged"]
MAX_COMMENT_LENGTH = 2000
FIGURE_COLUMNS = [
    "organisation_id", "metric_id", "period", "value", "status", "comment",
    "version", "updated_at", "updated_by",
]
REVISION_COLUMNS = [
    "organisation_id", "metric_id", "period", "old_value", "new_value", "old_status",
    "new_status", "old_comment", "new_comment", "version", "changed_at", "changed_by",
    "via", "file_name", "file_hash",
]


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure someone wants stored. ``value=None`` retracts the current figure.

    ``expected_version`` is the version the person saw (0: they saw no figure); when given and
    no longer current, the save is a conflict instead of a silent overwrite.
    """

    organisation_id: int
    metric_id: int
    quarter: Quarter
    value: float | None
    status: str = "measured"
    comment: str = ""
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class CurrentFigure:
    id: int
    value: float
    status: str
    comment: str
    version: int
    updated_by: str
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class FigureChange:
    figure: Figure
    kind: ChangeKind
    current: CurrentFigure | None


@dataclass(frozen=True)
class SaveResult:
    created: int
    changed: int
    retracted: int
    unchanged: int
    changes: tuple[FigureChange, ...]

    @property
    def written(self) -> int:
        return self.created + self.changed + self.retracted


class FigureRejected(EffektError, ValueError):
    """A figure that may not be stored; ``key`` and ``params`` make the translated message."""

    def __init__(self, figure: Figure, key: str, **params: object) -> None:
        super().__init__(key, **params)
        self.figure = figure


class FigureConflict(RuntimeError):
    """Someone else changed these figures after the person loaded them."""

    def __init__(self, conflicts: Sequence[FigureChange]) -> None:
        self.conflicts = tuple(conflicts)
        super().__init__(f"{len(conflicts)} figure(s) changed by someone else")


def plan_changes(*, session: Session, figures: Sequence[Figure], lock: bool = False) -> list[FigureChange]:
    """Compare wanted figures with the stored ones: what would be new, changed, retracted.

    Runs once per figure on a national import (half a million), so the loop stays lean: the
    stored figures are read in one query, and when none of the cells exists yet no lookup is made.
    """
    current = _current_figures(session, figures, lock=lock)
    if not current:
        return [FigureChange(f, "new" if f.value is not None else "unchanged", None) for f in figures]
    stored_at = current.get
    return [
        FigureChange(f, _change_kind(f, stored), stored)
        for f in figures
        for stored in (stored_at((f.organisation_id, f.metric_id, f.quarter.index)),)
    ]


def save_figures(
    *,
    session: Session,
    actor: Actor,
    figures: Sequence[Figure],
    via: str,
    file_name: str | None = None,
    file_hash: str | None = None,
    today: dt.date | None = None,
) -> SaveResult:
    """Store figures all or nothing, each change with its revision; unchanged ones write nothing."""
    if via not in REVISION_SOURCES:
        raise ValueError(f"unknown revision source {via!r}")
    for organisation_id in sorted({f.organisation_id for f in figures}):
        actor.require_edit(organisation_id)
    _validate(session, figures, today or clock.today())
    plan = plan_changes(session=session, figures=figures, lock=True)
    conflicts = [c for c in plan if _is_conflict(c)]
    if conflicts:
        raise FigureConflict(conflicts)
    return _store(session, actor, plan, via, file_name, file_hash, figures)


def _store(
    session: Session,
    actor: Actor,
    plan: Sequence[FigureChange],
    via: str,
    file_name: str | None,
    file_hash: str | None,
    figures: Sequence[Figure],
) -> SaveResult:
    """Write a checked plan, bump the data version and audit it."""
    _require_stored_rows(session, actor, plan)
    _refuse_locked(session, [c.figure for c in plan if c.kind != "unchanged"])
    _write(session, actor, plan, via, file_name, file_hash)
    counts = Counter(c.kind for c in plan)
    result = SaveResult(
        created=counts["new"], changed=counts["changed"], retracted=counts["retracted"],
        unchanged=counts["unchanged"], changes=tuple(c for c in plan if c.kind != "unchanged"),
    )
    if result.written:
        bump_data_version(session)
        record_event(
            session=session, actor=actor, action="figures.save",
            organisation_id=_single(f.organisation_id for f in figures),
            detail={
                "via": via, "created": result.created, "changed": result.changed,
                "retracted": result.retracted, "file_name": file_name, "file_hash": file_hash,
            },
        )
    return result


_ROW_CHECK_CHUNK = 10_000


def _require_stored_rows(session: Session, actor: Actor, plan: Sequence[FigureChange]) -> None:
    """Check the rows a plan updates or deletes as they are stored, not as the caller describes them.

    A plan names each row by id; the organisation that decides the permission is read from the
    database for that id, and the row must be the figure's own cell (organisation, metric,
    quarter), so a forged id cannot change or delete another organisation's figure under this one's name.
    """
    claimed = {c.current.id: c.figure for c in plan if c.kind in ("changed", "retracted") and c.current is not None}
    ids = list(claimed)
    for start in range(0, len(ids), _ROW_CHECK_CHUNK):
        chunk = ids[start:start + _ROW_CHECK_CHUNK]
        stored = session.execute(select(
            Measurement.id, Measurement.organisation_id, Measurement.metric_id, Measurement.period,
        ).where(Measurement.id.in_(chunk))).all()
        for id_, organisation_id, metric_id, period in stored:
            actor.require_edit(organisation_id)
            figure = claimed[id_]
            if (organisation_id, metric_id, period) != (figure.organisation_id, figure.metric_id, figure.quarter.index):
                raise _row_mismatch(actor, organisation_id)
        if len(stored) != len(chunk):
            raise _row_mismatch(actor, None)


def _row_mismatch(actor: Actor, organisation_id: int | None) -> PermissionDenied:
    """A plan whose row id is not the figure's own row: refused (and audited) like any permission."""
    error = PermissionDenied("security.figure_row_mismatch", username=actor.username)
    error.actor, error.organisation_id = actor, organisation_id
    return error


def save_planned(
    *,
    session: Session,
    actor: Actor,
    changes: Sequence[FigureChange],
    via: str,
    file_name: str | None = None,
    file_hash: str | None = None,
    today: dt.date | None = None,
    locked: bool = False,
) -> SaveResult:
    """Store changes made by :func:`plan_changes`, each expecting the version its plan saw.

    The same as :func:`save_figures` with every changing figure's ``expected_version`` set to the
    planned current version (0: none), without copying half a million figures to say so: a figure
    someone else changed since the plan is a conflict, all or nothing. ``locked`` means the plan
    was made with ``lock=True`` in this very transaction, so the stored figures cannot have moved
    and are not read again. Unchanged figures in ``changes`` write nothing and are not counted.
    """
    if via not in REVISION_SOURCES:
        raise ValueError(f"unknown revision source {via!r}")
    wanted = [c for c in changes if c.kind != "unchanged"]
    for organisation_id in sorted({c.figure.organisation_id for c in wanted}):
        actor.require_edit(organisation_id)
    _validate(session, [c.figure for c in wanted], today or clock.today())
    plan = wanted if locked else _replanned(session, wanted)
    return _store(session, actor, plan, via, file_name, file_hash, [c.figure for c in wanted])


def _replanned(session: Session, wanted: list[FigureChange]) -> list[FigureChange]:
    """The planned changes against the figures stored now (locked); raises FigureConflict for any
    figure whose version moved since the plan and which would still change."""
    current = _current_figures(session, [c.figure for c in wanted], lock=True)
    if not current and all(c.current is None for c in wanted):
        return wanted  # nothing stored then or now: every figure is still new
    plan: list[FigureChange] = []
    conflicts: list[FigureChange] = []
    for change in wanted:
        f, seen = change.figure, change.current
        stored = current.get((f.organisation_id, f.metric_id, f.quarter.index))
        if stored is None and seen is None:
            plan.append(change)
            continue
        if stored is not None and seen is not None and stored.id == seen.id and stored.version == seen.version:
            plan.append(change)
            continue
        expected = replace(f, expected_version=seen.version if seen else 0)
        replanned = FigureChange(expected, _change_kind(expected, stored), stored)
        if _is_conflict(replanned):
            conflicts.append(replanned)
        plan.append(replanned)
    if conflicts:
        raise FigureConflict(conflicts)
    return plan


def figures_frame(
    *,
    session: Session,
    organisation_ids: Iterable[int] | None = None,
    metric_ids: Iterable[int] | None = None,
    first: Quarter | None = None,
    last: Quarter | None = None,
) -> pd.DataFrame:
    """Current figures as a DataFrame (``period`` is the quarter index), for any slice."""
    query = select(*(getattr(Measurement, c) for c in FIGURE_COLUMNS))
    if organisation_ids is not None:
        query = query.where(Measurement.organisation_id.in_(list(organisation_ids)))
    if metric_ids is not None:
        query = query.where(Measurement.metric_id.in_(list(metric_ids)))
    if first is not None:
        query = query.where(Measurement.period >= first.index)
    if last is not None:
        query = query.where(Measurement.period <= last.index)
    rows = session.execute(query).all()
    frame = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    return frame.astype({"value": "float64"}) if len(frame) else frame


def revisions_frame(
    *, session: Session, organisation_id: int, metric_id: int | None = None, quarter: Quarter | None = None
) -> pd.DataFrame:
    """The history of an organisation's figures, newest first."""
    columns = [
        "id", "metric_id", "period", "old_value", "new_value", "old_status", "new_status",
        "old_comment", "new_comment", "version", "changed_at", "changed_by", "via", "file_name", "file_hash",
    ]
    query = select(*(getattr(MeasurementRevision, c) for c in columns)).where(
        MeasurementRevision.organisation_id == organisation_id
    )
    if metric_id is not None:
        query = query.where(MeasurementRevision.metric_id == metric_id)
    if quarter is not None:
        query = query.where(MeasurementRevision.period == quarter.index)
    rows = session.execute(query.order_by(MeasurementRevision.id.desc())).all()
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class Revision:
    """One stored revision: the state a figure had after it (``new_value`` None: retracted)."""

    id: int
    organisation_id: int
    metric_id: int
    quarter: Quarter
    new_value: float | None
    new_status: str | None
    new_comment: str | None
    version: int


class RevisionNotFound(LookupError):
    """The revision to restore does not exist (any more)."""


def find_revision(*, session: Session, revision_id: int) -> Revision:
    row = session.get(MeasurementRevision, revision_id)
    if row is None:
        raise RevisionNotFound(revision_id)
    return Revision(
        id=row.id, organisation_id=row.organisation_id, metric_id=row.metric_id,
        quarter=Quarter.from_index(row.period), new_value=row.new_value, new_status=row.new_status,
        new_comment=row.new_comment, version=row.version,
    )


def restore_revision(
    *, session: Session, actor: Actor, revision_id: int, today: dt.date | None = None
) -> SaveResult:
    """Put a figure back as it was after an earlier revision; itself a new revision (via restore).

    Administrators only: restoring overrides what the organisation's editors stored since.
    Restoring a retraction retracts the figure again.
    """
    actor.require_admin()
    revision = find_revision(session=session, revision_id=revision_id)
    figure = Figure(
        organisation_id=revision.organisation_id, metric_id=revision.metric_id, quarter=revision.quarter,
        value=revision.new_value, status=revision.new_status or "measured", comment=revision.new_comment or "",
    )
    result = save_figures(session=session, actor=actor, figures=[figure], via="restore", today=today)
    if result.written:
        record_event(session=session, actor=actor, action="figures.restore",
                     organisation_id=revision.organisation_id, detail={"revision": revision_id})
    return result


def _refuse_locked(session: Session, changing: Sequence[Figure]) -> None:
    """A signed-off quarter is final: every write path (form, grid, import, restore, CLI, API)
    comes through here and changes nothing there until an administrator reopens it."""
    if not changing:
        return
    organisation_ids = set(map(attrgetter("organisation_id"), changing))
    periods = {q.index for q in set(map(attrgetter("quarter"), changing))}
    locked = locked_cells(session=session, organisation_ids=organisation_ids, periods=periods)
    hit = next((f for f in changing if (f.organisation_id, f.quarter.index) in locked), None) if locked else None
    if hit is not None:
        cell = (hit.organisation_id, hit.quarter.index)
        raise FigureRejected(hit, "rounds.locked", **locked_params(session=session, cell=cell))


def _validate(session: Session, figures: Sequence[Figure], today: dt.date) -> None:
    """Defence in depth: the importer and forms validate first, but no path may store nonsense."""
    metrics = {m.id: m for m in list_metrics(session=session, include_inactive=True) if m.active}
    current_index = Quarter.containing(today).index
    statuses = frozenset(FIGURE_STATUSES)
    if len(figures) > 1000 and _all_valid(figures, metrics, current_index, statuses):
        return
    for figure in figures:
        metric = metrics.get(figure.metric_id)
        if metric is None:
            raise FigureRejected(figure, "metric.unknown_or_inactive")
        if figure.quarter.index > current_index:
            raise FigureRejected(figure, "period.future", quarter=str(figure.quarter))
        if figure.status not in statuses:
            raise FigureRejected(figure, "status.unknown", status=figure.status)
        if figure.comment and len(figure.comment) > MAX_COMMENT_LENGTH:
            raise FigureRejected(figure, "comment.too_long", limit=MAX_COMMENT_LENGTH)
        character = control_character(figure.comment) if figure.comment else None
        if character is not None:
            raise FigureRejected(figure, TEXT_KEY, character=describe(character))
        if figure.value is not None:
            problem = metric.range_problem(figure.value)
            if problem:
                raise FigureRejected(
                    figure, problem, min=metric.min_value, max=metric.max_value, value=figure.value
                )


def _all_valid(
    figures: Sequence[Figure], metrics: dict[int | None, Any], current_index: int, statuses: frozenset[str]
) -> bool:
    """The checks of :func:`_validate` over the distinct metrics, quarters, statuses and
    (metric, value) pairs of a large save, at C speed; False sends it through the per-figure loop
    that names the first offending figure."""
    metric_ids = list(map(attrgetter("metric_id"), figures))
    if not set(metric_ids) <= metrics.keys():
        return False
    if max(q.index for q in set(map(attrgetter("quarter"), figures))) > current_index:
        return False
    if not set(map(attrgetter("status"), figures)) <= statuses:
        return False
    if max(map(len, map(attrgetter("comment"), figures))) > MAX_COMMENT_LENGTH:
        return False
    if control_character("".join(map(attrgetter("comment"), figures))):
        return False
    pairs = set(zip(metric_ids, map(attrgetter("value"), figures), strict=True))
    return not any(value is not None and metrics[metric_id].range_problem(value) for metric_id, value in pairs)


def _current_figures(
    session: Session, figures: Sequence[Figure], *, lock: bool
) -> dict[tuple[int, int, int], CurrentFigure]:
    if not figures:
        return {}
    organisation_ids = set(map(attrgetter("organisation_id"), figures))
    metric_ids = set(map(attrgetter("metric_id"), figures))
    periods = [q.index for q in set(map(attrgetter("quarter"), figures))]
    query = select(
        Measurement.organisation_id, Measurement.metric_id, Measurement.period, Measurement.id,
        Measurement.value, Measurement.status, Measurement.comment, Measurement.version,
        Measurement.updated_by, Measurement.updated_at,
    ).where(
        Measurement.organisation_id.in_(organisation_ids),
        Measurement.metric_id.in_(metric_ids),
        Measurement.period.between(min(periods), max(periods)),
    )
    if lock:
        query = query.with_for_update()
    return {
        (organisation_id, metric_id, period): CurrentFigure(
            id=id_, value=value, status=status, comment=comment, version=version,
            updated_by=updated_by, updated_at=updated_at,
        )
        for organisation_id, metric_id, period, id_, value, status, comment, version, updated_by, updated_at
        in session.execute(query.execution_options(yield_per=10_000))  # batches, not one big buffer
    }


def _change_kind(figure: Figure, stored: CurrentFigure | None) -> ChangeKind:
    if stored is None:
        return "unchanged" if figure.value is None else "new"
    if figure.value is None:
        return "retracted"
    same = (
        stored.value == figure.value
        and stored.status == figure.status
        and stored.comment == figure.comment
    )
    return "unchanged" if same else "changed"


def _is_conflict(change: FigureChange) -> bool:
    expected = change.figure.expected_version
    if expected is None:
        return False
    actual = change.current.version if change.current else 0
    return expected != actual and change.kind != "unchanged"


def _write(
    session: Session,
    actor: Actor,
    plan: Sequence[FigureChange],
    via: str,
    file_name: str | None,
    file_hash: str | None,
) -> None:
    """Write the plan with the driver: inserts, updates and deletes of figures, then their revisions.

    The rows are plain tuples built in one pass, with the timestamp converted once for the driver
    (not once per row by the driver's adapter); see data/bulk.py for why this goes to the driver.
    """
    inserts, updates, deletes, revisions = _plan_rows(plan, driver_timestamp(session, utcnow()), actor.username,
                                                      (via, file_name, file_hash))
    insert_rows(session, "measurement", FIGURE_COLUMNS, inserts)
    update_rows(session, "measurement", "id",
                ["value", "status", "comment", "version", "updated_at", "updated_by"], updates)
    delete_rows(session, "measurement", "id", deletes)
    insert_rows(session, "measurement_revision", REVISION_COLUMNS, revisions)


_Rows = list[tuple[Any, ...]]


def _plan_rows(
    plan: Sequence[FigureChange], now: Any, user: str, source: tuple[str, str | None, str | None]
) -> tuple[_Rows, _Rows, list[int], _Rows]:
    """The plan as driver rows in one pass: inserts, updates, deleted ids and revisions (``source`` is
    how, from which file and its hash, the same on every revision)."""
    via, file_name, file_hash = source
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    deletes: list[int] = []
    revisions: list[tuple[Any, ...]] = []
    add_insert, add_update, add_delete, add_revision = inserts.append, updates.append, deletes.append, revisions.append
    for change in plan:
        kind = change.kind
        if kind == "unchanged":
            continue
        f, old = change.figure, change.current
        period = f.quarter.index
        if kind == "new":
            add_insert((f.organisation_id, f.metric_id, period, f.value, f.status, f.comment, 1, now, user))
            add_revision((f.organisation_id, f.metric_id, period, None, f.value, None, f.status, None, f.comment,
                          1, now, user, via, file_name, file_hash))
            continue
        assert old is not None
        version = old.version + 1
        if kind == "changed":
            add_update((f.value, f.status, f.comment, version, now, user, old.id))
            add_revision((f.organisation_id, f.metric_id, period, old.value, f.value, old.status, f.status,
                          old.comment, f.comment, version, now, user, via, file_name, file_hash))
        else:
            add_delete(old.id)
            add_revision((f.organisation_id, f.metric_id, period, old.value, None, old.status, None,
                          old.comment, None, version, now, user, via, file_name, file_hash))
    return inserts, updates, deletes, revisions


def _single(values: Iterable[int]) -> int | None:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None
