"""Reading figures from spreadsheets in the long format, validated before anything is written.

``plan_import`` reads and checks the whole file and compares it with the database; nothing is
written until ``commit_import`` stores the plan in one transaction. Problems carry the row number
as the person sees it in their spreadsheet (the header is row 1), the column, the value and a
message key, so the UI and the CLI can say it in the person's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from sqlalchemy.orm import Session

from data.actors import Actor
from data.catalogue_store import list_metrics
from data.figures import MAX_COMMENT_LENGTH, Figure, FigureChange, SaveResult, plan_changes, save_figures
from data.organisations import list_organisations
from data.spreadsheet import deneutralise
from metrics.periods import Quarter, QuarterError

LONG_COLUMNS = ("organisation", "metric", "period", "value", "status", "comment")
REQUIRED_COLUMNS = ("organisation", "metric", "period", "value")
STATUS_WORDS = {
    "": "measured", "measured": "measured", "uppmätt": "measured", "uppmatt": "measured",
    "estimated": "estimated", "uppskattad": "estimated",
    "preliminary": "preliminary", "preliminär": "preliminary", "preliminar": "preliminary",
}


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the file: where (row, column), what (value) and why (key, params)."""

    row: int | None
    column: str | None
    value: str
    key: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportPlan:
    file_name: str
    file_hash: str
    rows: int
    figures: tuple[Figure, ...]
    changes: tuple[FigureChange, ...]
    problems: tuple[ImportProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


class ImportRejected(ValueError):
    """Raised by ``commit_import`` for a plan with problems: nothing is written."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{len(problems)} problem(s) in the file")


def plan_import(
    *, session: Session, content: bytes, file_name: str, today: dt.date | None = None
) -> ImportPlan:
    """Read and validate a whole file, then compare it with the database; writes nothing."""
    file_hash = hashlib.sha256(content).hexdigest()
    problems: list[ImportProblem] = []
    try:
        header, rows = _read_table(content, file_name)
    except _UnreadableFile as error:
        return ImportPlan(file_name, file_hash, 0, (), (), (ImportProblem(None, None, "", error.key),))
    columns = _map_columns(header, problems)
    if problems:
        return ImportPlan(file_name, file_hash, 0, (), (), tuple(problems))
    validator = _RowValidator(session, today or dt.date.today())
    figures: list[Figure] = []
    count = 0
    for row_number, cells in rows:
        count += 1
        figure = validator.check(row_number, {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}, problems)
        if figure is not None:
            figures.append(figure)
    if count == 0:
        problems.append(ImportProblem(None, None, "", "import.no_rows"))
    if problems:
        return ImportPlan(file_name, file_hash, count, (), (), tuple(problems))
    changes = plan_changes(session=session, figures=figures)
    return ImportPlan(file_name, file_hash, count, tuple(figures), tuple(changes), ())


def commit_import(*, session: Session, actor: Actor, plan: ImportPlan) -> SaveResult:
    """Store a validated plan in the caller's transaction: all figures or none."""
    if plan.problems:
        raise ImportRejected(plan.problems)
    return save_figures(
        session=session, actor=actor, figures=plan.figures, via="import",
        file_name=plan.file_name, file_hash=plan.file_hash,
    )


def parse_number(text: str) -> float | None:
    """A number with decimal point or comma and optional space thousands separators; None if not."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) and abs(number) < 1e15 else None


class _UnreadableFile(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)


def _read_table(content: bytes, file_name: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    if not content.strip():
        raise _UnreadableFile("import.empty_file")
    if content[:4] == b"PK\x03\x04":
        return _read_xlsx(content)
    if PurePath(file_name).suffix.lower() in (".xlsx", ".xlsm"):
        raise _UnreadableFile("import.not_a_table")
    return _read_csv(content)


def _read_csv(content: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    if b"\x00" in content[:4096]:
        raise _UnreadableFile("import.not_a_table")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, [])
    rows = ((number, row) for number, row in enumerate(reader, start=2) if any(c.strip() for c in row))
    return header, rows


def _read_xlsx(content: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _UnreadableFile("import.corrupt_xlsx") from error
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [_cell_text(c) for c in next(values, ())]
    rows = (
        (number, [_cell_text(c) for c in row])
        for number, row in enumerate(values, start=2)
        if any(c is not None and str(c).strip() for c in row)
    )
    return header, rows


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _map_columns(header: Sequence[str], problems: list[ImportProblem]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    columns = {name: names.index(name) for name in LONG_COLUMNS if name in names}
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            problems.append(ImportProblem(1, name, "", "import.missing_column", {"column": name}))
    for name in names:
        if name and name not in LONG_COLUMNS:
            problems.append(ImportProblem(1, name, name, "import.unknown_column",
                                          {"expected": ", ".join(LONG_COLUMNS)}))
    return columns


class _RowValidator:
    """Checks one row at a time against the organisations and metrics in the database."""

    def __init__(self, session: Session, today: dt.date) -> None:
        organisations = list_organisations(session=session)
        self.organisations = {o.code.lower(): o.id for o in organisations}
        self.organisations.update({o.name.lower(): o.id for o in organisations})
        self.metrics = {m.code: m for m in list_metrics(session=session)}
        self.current_quarter = Quarter.containing(today)
        self.seen: dict[tuple[int, int, int], int] = {}

    def check(self, row: int, cells: dict[str, str], problems: list[ImportProblem]) -> Figure | None:
        found = len(problems)

        def problem(column: str, key: str, **params: object) -> None:
            problems.append(ImportProblem(row, column, cells.get(column, ""), key, params))

        organisation_id = self.organisations.get(cells["organisation"].strip().lower())
        if organisation_id is None:
            problem("organisation", "import.unknown_organisation")
        metric = self.metrics.get(cells["metric"].strip())
        if metric is None:
            problem("metric", "import.unknown_metric")
        quarter = None
        try:
            quarter = Quarter.parse(cells["period"])
        except QuarterError:
            problem("period", "import.bad_period")
        if quarter is not None and quarter > self.current_quarter:
            problem("period", "period.future", quarter=str(quarter))
        value = parse_number(cells["value"])
        if not cells["value"].strip():
            problem("value", "import.missing_value")
        elif value is None:
            problem("value", "import.bad_value")
        elif metric is not None:
            issue = metric.range_problem(value)
            if issue:
                problem("value", issue, min=metric.min_value, max=metric.max_value)
        status = STATUS_WORDS.get(cells.get("status", "").strip().lower())
        if status is None:
            problem("status", "import.unknown_status")
        comment = deneutralise(cells.get("comment", ""))
        if len(comment) > MAX_COMMENT_LENGTH:
            problem("comment", "comment.too_long", limit=MAX_COMMENT_LENGTH)
        if len(problems) > found:
            return None
        assert organisation_id is not None and metric is not None and quarter is not None
        key = (organisation_id, metric.id or 0, quarter.index)
        if key in self.seen:
            problem("period", "import.duplicate_row", other_row=self.seen[key])
            return None
        self.seen[key] = row
        return Figure(organisation_id, metric.id or 0, quarter, value, status or "measured", comment)
