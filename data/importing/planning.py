"""Planning an import: the whole file read and checked, then compared with the database; writes
nothing, so the person sees every problem and every change before anything is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from data.actors import SYSTEM, Actor
from data.figures import Figure, FigureChange, plan_changes
from data.importing.layouts import LongReader, WideReader, layout_of
from data.importing.limits import (
    ImportLimits,
    LimitExceeded,
    ProblemList,
    limits_from_settings,
    too_many_rows,
)
from data.importing.problems import ImportProblem, UnreadableFile
from data.importing.reading import table_rows
from data.importing.validation import RowValidator, check_long_rows
from metrics import clock


@dataclass(frozen=True)
class ImportPlan:
    file_name: str
    file_hash: str
    rows: int
    figures: tuple[Figure, ...]
    changes: tuple[FigureChange, ...]
    problems: tuple[ImportProblem, ...]
    # Readings the person should check though they are valid (``1,234`` read as 1.234).
    notices: tuple[ImportProblem, ...] = ()
    layout: str = "long"

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_count(self) -> int:
        """Every problem found: those listed, and those the last line only counts."""
        more = sum(int(p.params.get("count", 0)) for p in self.problems if p.key == "limits.more_problems")  # type: ignore[call-overload]
        return len(self.problems) - (1 if more else 0) + more

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


def plan_import(
    *,
    session: Session,
    content: bytes,
    file_name: str,
    today: dt.date | None = None,
    sheet: str | None = None,
    max_bytes: int | None = None,
    limits: ImportLimits | None = None,
    actor: Actor = SYSTEM,
) -> ImportPlan:
    """Read and validate a whole file, then compare it with the database; writes nothing.

    ``max_bytes`` is the caller's upload limit, checked before any parsing; ``sheet`` names the
    XLSX sheet to read (default: the first); ``limits`` the rows, columns, cell length and
    problems read at most (default: the settings). Suggestions name only organisations ``actor``
    may see by name (:func:`metrics.disclosure.nameable`).
    """
    return plan_file(session, content, file_name, today, sheet, max_bytes, limits, lock=False, actor=actor)


def plan_file(
    session: Session, content: bytes, file_name: str, today: dt.date | None, sheet: str | None,
    max_bytes: int | None, limits: ImportLimits | None, *, lock: bool, actor: Actor,
) -> ImportPlan:
    file_hash = hashlib.sha256(content).hexdigest()

    def refused(*problems: ImportProblem, rows: int = 0) -> ImportPlan:
        return ImportPlan(file_name, file_hash, rows, (), (), tuple(problems))

    if max_bytes is not None and len(content) > max_bytes:
        return refused(ImportProblem(None, None, "", "import.too_large",
                                     {"size": _megabytes(len(content)), "limit": _megabytes(max_bytes)}))
    limits = limits or limits_from_settings()
    problems = ProblemList(limits.max_problems)
    validator = RowValidator(session, today or clock.today(), actor, limits)
    figures: list[Figure] = []
    try:
        header, rows = table_rows(content, file_name, sheet, problems, limits)
        layout = layout_of(header)
        reader = WideReader(header, problems) if layout == "wide" else LongReader(header, problems)
        if problems:
            return refused(*problems)
        count = _check_rows(rows, reader, validator, problems, figures, limits)
    except UnreadableFile as error:
        return refused(ImportProblem(None, None, "", error.key, error.params))
    except LimitExceeded as error:
        return refused(ImportProblem(error.row, error.column, "", error.key, error.params))
    if count == 0 and not problems:
        problems.append(ImportProblem(None, None, "", "import.no_rows"))
    if problems:
        return refused(*_listed(problems), rows=count)
    changes = plan_changes(session=session, figures=figures, lock=lock)
    if layout == "wide":
        figures, changes = _keep_stored_status(session, changes, lock)
    return ImportPlan(file_name, file_hash, count, tuple(figures), tuple(changes), (),
                      _listed(validator.notices), layout)


def _listed(problems: ProblemList) -> tuple[ImportProblem, ...]:
    """The problems listed one by one, and a last line counting the others (if any)."""
    if not problems.unlisted:
        return tuple(problems)
    return (*problems, ImportProblem(None, None, "", "limits.more_problems",
                                     {"count": problems.unlisted, "listed": len(problems)}))


def _check_rows(
    rows: Iterable[tuple[int, list[str]]], reader: LongReader | WideReader, validator: RowValidator,
    problems: list[ImportProblem], figures: list[Figure], limits: ImportLimits,
) -> int:
    """Validate every row into ``figures``; returns how many rows were read. A wide row makes a
    figure per quarter column, so the figures are held to the row limit too."""
    if isinstance(reader, LongReader):
        return check_long_rows(rows, reader, validator, problems, figures)
    count = 0
    for row_number, cells in rows:
        count += 1
        for row_cells, period_column in reader.records(cells):
            figure = validator.check(row_number, row_cells, problems, period_column)
            if figure is not None:
                figures.append(figure)
        if len(figures) > limits.max_rows:
            raise too_many_rows(limits, row_number)
    return count


def _megabytes(size: int) -> float:
    return round(size / 1_000_000, 1)


def _keep_stored_status(
    session: Session, changes: list[FigureChange], lock: bool
) -> tuple[list[Figure], list[FigureChange]]:
    """The wide template carries no status or comment: a figure keeps the stored ones."""
    kept = [
        replace(c.figure, status=c.current.status, comment=c.current.comment) if c.current else c.figure
        for c in changes
    ]
    return kept, plan_changes(session=session, figures=kept, lock=lock)
