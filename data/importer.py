"""Reading figures from spreadsheets, validated before anything is written.

``plan_import`` reads and checks the whole file and compares it with the database; nothing is
written until ``commit_import`` stores the plan in one transaction. Problems carry the row number
as the person sees it in their spreadsheet (the header is row 1), the column, the value and a
message key, so the UI and the CLI can say it in the person's language. Every problem in the file
is reported, not only the first.

Two layouts are read: the long format (``organisation, metric, period, value, status, comment``,
one figure per row) and the wide template (one organisation, one row per metric, one column per
quarter). The file is read as a stream of rows: a 520 000-row national file is held once as bytes
and once as the figures it yields, never as decoded text or a DataFrame besides; organisations and
metrics are looked up in dictionaries loaded once, and the database is asked once for the stored
figures the file touches.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import hashlib
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import IO, Any

from sqlalchemy.orm import Session

from data.actors import SYSTEM, Actor, viewer
from data.catalogue_store import list_metrics
from data.figures import MAX_COMMENT_LENGTH, Figure, FigureChange, SaveResult, plan_changes, save_planned
from data.import_limits import (
    ImportLimits,
    LimitExceeded,
    ProblemList,
    cell_too_long,
    found,
    limits_from_settings,
    too_many_columns,
    too_many_rows,
)
from data.organisations import list_organisations
from data.spreadsheet import deneutralise
from data.text_rules import CONTROL_BYTES, control_character, describe
from data.xlsx_stream import check_archive, check_dimension, sheet_rows
from metrics import clock
from metrics.catalogue import MetricDefinition
from metrics.disclosure import nameable
from metrics.numbers import (  # noqa: F401 - read_number, parse_number: the importer's names, kept
    LOOKS_GROUPED,
    NumberProblem,
    is_negative_zero_text,
    parse_number,
    read_number,
)
from metrics.periods import Quarter, QuarterError

LONG_COLUMNS = ("organisation", "metric", "period", "value", "status", "comment")
REQUIRED_COLUMNS = ("organisation", "metric", "period", "value")
# The wide template's descriptive columns: written for the person, ignored on import.
WIDE_LABEL_COLUMNS = ("name", "unit")
# Swedish headings people write; read as the long format's names.
COLUMN_ALIASES = {
    "mätetal": "metric", "kvartal": "period", "värde": "value", "kommentar": "comment",
    "namn": "name", "enhet": "unit", "kod": "metric",
}
STATUS_WORDS = {
    "": "measured", "measured": "measured", "uppmätt": "measured", "uppmatt": "measured",
    "estimated": "estimated", "uppskattad": "estimated",
    "preliminary": "preliminary", "preliminär": "preliminary", "preliminar": "preliminary",
}
_BINARY_STARTS = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"BM", b"\x7fELF", b"MZ", b"Rar!", b"7z")
_OLE2 = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls (and .doc) container
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})([ T].*)?$", re.ASCII)
_EXCEL_SERIAL = re.compile(r"^\d{5}(\.\d+)?$", re.ASCII)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True, slots=True)
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


class ImportRejected(ValueError):
    """Raised by ``commit_import`` for a plan with problems: nothing is written."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{len(problems)} problem(s) in the file")


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
    return _plan(session, content, file_name, today, sheet, max_bytes, limits, lock=False, actor=actor)


def import_file(
    *,
    session: Session,
    actor: Actor,
    content: bytes,
    file_name: str,
    today: dt.date | None = None,
    sheet: str | None = None,
    limits: ImportLimits | None = None,
) -> tuple[ImportPlan, SaveResult | None]:
    """Plan and store a file in the caller's one transaction (the CLI's import, no preview step).

    The plan reads the stored figures with a lock, so the commit writes them without reading them
    again. Returns the plan and, when it had no problems, what was stored (None: nothing written).
    """
    plan = _plan(session, content, file_name, today, sheet, None, limits, lock=True, actor=actor)
    if plan.problems:
        return plan, None
    return plan, _commit(session, actor, plan, locked=True)


def _plan(
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
    validator = _RowValidator(session, today or clock.today(), actor, limits)
    figures: list[Figure] = []
    try:
        header, rows = _read_table(content, file_name, sheet, problems, limits)
        layout = _layout(header)
        reader = _WideReader(header, problems) if layout == "wide" else _LongReader(header, problems)
        if problems:
            return refused(*problems)
        count = _check_rows(rows, reader, validator, problems, figures, limits)
    except _UnreadableFile as error:
        return refused(ImportProblem(None, None, "", error.key, error.params))
    except LimitExceeded as error:
        return refused(ImportProblem(error.row, error.column, "", error.key, error.params))
    if count == 0 and not problems:
        problems.append(ImportProblem(None, None, "", "import.no_rows"))
    if problems:
        return refused(*_listed(problems), rows=count)
    changes = plan_changes(session=session, figures=figures, lock=lock)
    if layout == "wide":
        figures, changes = _keep_stored_status(session, figures, changes, lock)
    return ImportPlan(file_name, file_hash, count, tuple(figures), tuple(changes), (),
                      _listed(validator.notices), layout)


def _listed(problems: ProblemList) -> tuple[ImportProblem, ...]:
    """The problems listed one by one, and a last line counting the others (if any)."""
    if not problems.unlisted:
        return tuple(problems)
    return (*problems, ImportProblem(None, None, "", "limits.more_problems",
                                     {"count": problems.unlisted, "listed": len(problems)}))


def _check_rows(
    rows: Iterable[tuple[int, list[str]]], reader: _LongReader | _WideReader, validator: _RowValidator,
    problems: list[ImportProblem], figures: list[Figure], limits: ImportLimits,
) -> int:
    """Validate every row into ``figures``; returns how many rows were read. A wide row makes a
    figure per quarter column, so the figures are held to the row limit too."""
    if isinstance(reader, _LongReader):
        return _check_long_rows(rows, reader, validator, problems, figures)
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


def commit_import(*, session: Session, actor: Actor, plan: ImportPlan) -> SaveResult:
    """Store a validated plan in the caller's transaction: all figures or none.

    Only the new and changed figures are sent, each with the version the preview saw, so a figure
    someone else changed after the preview is a conflict rather than silently overwritten.
    """
    return _commit(session, actor, plan, locked=False)


def _commit(session: Session, actor: Actor, plan: ImportPlan, *, locked: bool) -> SaveResult:
    if plan.problems:
        raise ImportRejected(plan.problems)
    result = save_planned(
        session=session, actor=actor, changes=plan.changes, via="import",
        file_name=plan.file_name, file_hash=plan.file_hash, locked=locked,
    )
    return replace(result, unchanged=result.unchanged + plan.count("unchanged"))


def read_table(
    content: bytes, file_name: str, sheet: str | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]], list[ImportProblem]]:
    """The importer's reading for other spreadsheets (SKR's municipality groups): the header, the
    rows numbered as the spreadsheet shows them, and the problems found (an unreadable file is one
    problem and no rows; formula cells are added while the rows are read)."""
    problems: list[ImportProblem] = []
    try:
        header, rows = _read_table(content, file_name, sheet, problems, limits_from_settings())
    except _UnreadableFile as error:
        return [], iter(()), [ImportProblem(None, None, "", error.key, error.params)]
    except LimitExceeded as error:
        return [], iter(()), [ImportProblem(error.row, error.column, "", error.key, error.params)]
    return header, _within_limits(rows, problems), problems


def _within_limits(rows: Iterator[tuple[int, list[str]]], problems: list[ImportProblem]) -> Iterator[tuple[int, list[str]]]:
    """The rows, until a limit is passed while streaming: then that refusal is one more problem."""
    try:
        yield from rows
    except LimitExceeded as error:
        problems.append(ImportProblem(error.row, error.column, "", error.key, error.params))


class _UnreadableFile(ValueError):
    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)


def _megabytes(size: int) -> float:
    return round(size / 1_000_000, 1)


def _read_table(
    content: bytes, file_name: str, sheet: str | None, problems: list[ImportProblem], limits: ImportLimits
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and a stream of (row number, cells), whatever the file's kind; refuses files
    that are neither CSV nor XLSX by their content, not their name."""
    if not content.strip():
        raise _UnreadableFile("import.empty_file")
    if content[:4] == b"PK\x03\x04":
        return _read_xlsx(content, sheet, problems, limits)
    if content[:4] == _OLE2:
        raise _UnreadableFile("import.old_excel")
    if content.startswith(_BINARY_STARTS) or PurePath(file_name).suffix.lower() in (".xlsx", ".xlsm"):
        raise _UnreadableFile("import.not_a_table")
    return _read_csv(content, problems, limits)


def _encoding(content: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Windows-1252 (Swedish Excel).

    Validated chunk by chunk and the decoded text thrown away, so no second copy of a large file."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(content)
    try:
        for start in range(0, len(view), 1 << 20):
            decoder.decode(view[start:start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _read_csv(
    content: bytes, problems: list[ImportProblem], limits: ImportLimits
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    sample = content[:65536]
    controls = sum(sample.count(bytes([c])) for c in range(32) if c not in (9, 10, 12, 13))
    if b"\x00" in sample or controls > len(sample) // 100:
        raise _UnreadableFile("import.not_a_table")  # a binary file, by its start
    text: IO[str] = io.TextIOWrapper(io.BytesIO(content), encoding=_encoding(content), errors="replace", newline="")
    first_line = text.readline()
    header_row = 1
    if first_line.lower().startswith("sep=") and len(first_line.strip()) == 5:
        # Excel's hint line (``sep=;``): it names the delimiter and Excel does not show it as a row.
        delimiter = first_line.strip()[4]
        first_line = text.readline()
    else:
        delimiter = max((";", ",", "\t"), key=first_line.count)
    if content.count(b"\n") > limits.max_rows + 1:  # maybe too many rows: count them before reading any
        _count_records(content, delimiter, limits)
    csv_text = _CsvText(content, itertools.chain([first_line], text), delimiter, limits)
    reader = csv.reader(csv_text.lines, delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as error:
        raise csv_text.refusal(error, 1) from error
    _check_header(header, limits)
    csv_text.header = header
    rows = _csv_rows(reader, csv_text, header, problems, header_row + 1)
    return header, rows


def _count_records(content: bytes, delimiter: str, limits: ImportLimits) -> None:
    """Refuse a file of more records than the row limit allows, counted by the csv module alone
    (a million tiny rows in well under a second), before a row is validated."""
    text = io.TextIOWrapper(io.BytesIO(content), encoding=_encoding(content), errors="replace", newline="")
    records = csv.reader(text, delimiter=delimiter)
    try:
        for number, _ in enumerate(records, start=1):
            if number > limits.max_rows + 2:  # the header, and Excel's sep= line if any
                raise too_many_rows(limits, limits.max_rows + 2)
    except csv.Error:
        return  # the streaming read reports it with its row and column


def _check_header(header: Sequence[str], limits: ImportLimits) -> None:
    if len(header) > limits.max_columns:
        raise too_many_columns(limits, 1, len(header))
    for index, name in enumerate(header):
        if len(name) > limits.max_cell_chars:
            raise cell_too_long(limits, 1, _column_letter(index), len(name))


class _CsvText:
    """The CSV's lines for the csv module, and what the importer needs when a row passes a limit:
    whether the file holds any control character at all (one scan of the whole file in C, so a
    clean file skips the per-cell check) and, for the csv module's own field limit, which column
    the oversized cell is in (found by reading that one record's lines again)."""

    def __init__(self, content: bytes, lines: Iterator[str], delimiter: str, limits: ImportLimits) -> None:
        self.content = content
        self.lines = lines
        self.delimiter = delimiter
        self.limits = limits
        self.has_controls = CONTROL_BYTES.search(content) is not None
        self.record_start = 0  # physical lines read before the current record
        self.header: Sequence[str] = ()

    def refusal(self, error: csv.Error, row: int, lines_read: int | None = None) -> LimitExceeded | _UnreadableFile:
        if "field larger than field limit" not in str(error):
            return _UnreadableFile("import.not_a_table")
        record = self._record_text(lines_read)
        index = _long_field(record, self.delimiter, self.limits.max_cell_chars)
        return cell_too_long(self.limits, row, _column_name(self.header, index))

    def _record_text(self, lines_read: int | None) -> str:
        text = io.TextIOWrapper(io.BytesIO(self.content), encoding=_encoding(self.content), errors="replace",
                                newline="")
        end = None if lines_read is None else lines_read + 1
        return "".join(itertools.islice(text, self.record_start, end))


def _long_field(record: str, delimiter: str, limit: int) -> int:
    """The index of the first field longer than ``limit`` in one CSV record's raw text."""
    quoted, column, length = False, 0, 0
    for character in record:
        if character == '"':
            quoted = not quoted
        elif character == delimiter and not quoted:
            column, length = column + 1, 0
        else:
            length += 1
            if length > limit:
                break
    return column


def _csv_rows(
    reader: Any, csv_text: _CsvText, header: Sequence[str], problems: list[ImportProblem], first: int = 2
) -> Iterator[tuple[int, list[str]]]:
    """Rows numbered as a spreadsheet shows them (the header is row 1); blank rows skipped but
    counted against the row limit, so a million empty lines stop at the limit too."""
    limits = csv_text.limits
    number = first - 1
    while True:
        number += 1
        csv_text.record_start = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise csv_text.refusal(error, number, reader.line_num) from error
        if number > limits.max_rows + 1:
            raise too_many_rows(limits, number)
        joined = "".join(row)
        if len(joined) > limits.max_cell_chars or len(row) > limits.max_columns:
            _check_cells(row, number, header, limits)
        if csv_text.has_controls:
            _check_controls(row, number, header, problems)
        if joined.strip():  # some cell is not blank (one C call instead of one per cell)
            yield number, row


def _check_cells(row: Sequence[str], number: int, header: Sequence[str], limits: ImportLimits) -> None:
    if len(row) > limits.max_columns:
        raise too_many_columns(limits, number, len(row))
    for index, cell in enumerate(row):
        if len(cell) > limits.max_cell_chars:
            raise cell_too_long(limits, number, _column_name(header, index), len(cell))


def _check_controls(row: Sequence[str], number: int, header: Sequence[str], problems: list[ImportProblem]) -> None:
    """A control character anywhere in the file is refused with its row and column."""
    for index, cell in enumerate(row):
        character = control_character(cell)
        if character is not None:
            problems.append(ImportProblem(number, _column_name(header, index), cell[:40],
                                          "safety.control_character", {"character": describe(character)}))


def _column_name(header: Sequence[str], index: int) -> str:
    return header[index] if index < len(header) and header[index].strip() else _column_letter(index)


def _read_xlsx(
    content: bytes, sheet_name: str | None, problems: list[ImportProblem], limits: ImportLimits
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise _UnreadableFile("import.not_a_table")
            check_archive(archive, limits)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (_UnreadableFile, LimitExceeded):
        raise
    except Exception as error:  # openpyxl and zipfile raise many kinds for a damaged file
        raise _UnreadableFile("import.corrupt_xlsx") from error
    if sheet_name is not None and sheet_name not in workbook.sheetnames:
        raise _UnreadableFile("import.unknown_sheet", sheet=sheet_name, sheets=", ".join(workbook.sheetnames))
    sheet = workbook[sheet_name] if sheet_name is not None else workbook.worksheets[0]
    check_dimension(sheet, limits)
    merged, row_elements = _scan_sheet(sheet)
    if merged:
        raise _UnreadableFile("import.merged_cells", sheet=sheet.title)
    if row_elements > limits.max_rows + 1:
        raise too_many_rows(limits, limits.max_rows + 2)
    rows = _guarded(sheet_rows(sheet, limits))
    first = next(rows, None)
    header = _xlsx_cells(first[1]) if first is not None else []
    return header, _xlsx_rows(rows, header, problems)


def _guarded(rows: Iterator[tuple[int, list[dict[str, Any]]]]) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """A damaged sheet inside a valid archive is the importer's refusal, not a traceback."""
    try:
        yield from rows
    except LimitExceeded:
        raise
    except Exception as error:  # the XML parser and openpyxl's cell reading raise many kinds
        raise _UnreadableFile("import.corrupt_xlsx") from error


def _scan_sheet(sheet: Any) -> tuple[bool, int]:
    """Whether the sheet has merged cells, and how many row elements it has, from one streaming
    pass over its XML. Merged cells hide which row a value belongs to (read-only openpyxl does
    not list them); the row count refuses a sheet of millions of rows before one is parsed."""
    tail = b""
    rows = 0
    with sheet._get_source() as source:
        while chunk := source.read(1 << 20):
            if b"<mergeCell " in tail + chunk or b":mergeCell " in tail + chunk:
                return True, rows
            window = tail[-4:] + chunk  # shorter than a row pattern: no row is counted twice
            rows += sum(window.count(pattern) for pattern in (b"<row ", b"<row>", b":row ", b":row>"))
            tail = chunk[-32:]
    return False, rows


def _xlsx_cells(cells: list[dict[str, Any]]) -> list[str]:
    """A row's cells as text, each in its column (a sparse row keeps its gaps)."""
    texts = [""] * (max((c["column"] for c in cells), default=0))
    for cell in cells:
        texts[cell["column"] - 1] = _cell_text(cell["value"])
    return texts


def _xlsx_rows(
    rows: Iterable[tuple[int, list[dict[str, Any]]]], header: list[str], problems: list[ImportProblem]
) -> Iterator[tuple[int, list[str]]]:
    """Cells as text; a formula is reported (its result is not a typed figure) and the row skipped."""
    for number, row in rows:
        formulas = [cell for cell in row if cell["data_type"] == "f"]
        for cell in formulas:
            problems.append(ImportProblem(number, _column_name(header, cell["column"] - 1), str(cell["value"]),
                                          "import.formula"))
        cells = _xlsx_cells(row)
        if control_character("".join(cells)):
            _check_controls(cells, number, header, problems)
        if not formulas and any(c.strip() for c in cells):
            yield number, cells


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    return str(cell)


def _normalised(name: str) -> str:
    name = name.strip().lstrip("\ufeff").strip().lower()
    return COLUMN_ALIASES.get(name, name)


def _is_quarter(text: str) -> bool:
    try:
        Quarter.parse(text)
    except QuarterError:
        return False
    return True


def _layout(header: Sequence[str]) -> str:
    """Wide when quarters head the columns and there is no period or value column."""
    names = {_normalised(h) for h in header}
    if "period" not in names and "value" not in names and any(_is_quarter(h) for h in header):
        return "wide"
    return "long"


def _full(problems: list[ImportProblem]) -> bool:
    """True when a further problem would only be counted: no suggestion is worked out for it."""
    return isinstance(problems, ProblemList) and len(problems) >= problems.listed


def _suggest(name: str, options: Iterable[str], count: int = 3) -> str:
    return ", ".join(difflib.get_close_matches(name, list(options), n=count, cutoff=0.6))


class _LongReader:
    """Maps the long format's header to columns; each row is one figure."""

    def __init__(self, header: Sequence[str], problems: list[ImportProblem]) -> None:
        self.columns: dict[str, int] = {}
        for index, raw in enumerate(header):
            name = _normalised(raw)
            if not name:
                continue
            if name in self.columns:
                problems.append(ImportProblem(1, raw, raw, "import.duplicate_column"))
            elif name in LONG_COLUMNS:
                self.columns[name] = index
            else:
                _unknown_column(raw, LONG_COLUMNS, problems)
        for name in REQUIRED_COLUMNS:
            if name not in self.columns:
                problems.append(ImportProblem(1, name, "", "import.missing_column", {"column": name}))

    def records(self, cells: list[str]) -> Iterator[tuple[dict[str, str], str]]:
        yield self.record(cells), "period"

    def record(self, cells: list[str]) -> dict[str, str]:
        return {name: cells[i] if i < len(cells) else "" for name, i in self.columns.items()}


class _WideReader:
    """The wide template: organisation and metric per row, one column per quarter; an empty cell
    is no figure (it neither adds nor retracts one)."""

    def __init__(self, header: Sequence[str], problems: list[ImportProblem]) -> None:
        self.columns: dict[str, int] = {}
        self.quarters: list[tuple[int, str]] = []
        known = ("organisation", "metric", *WIDE_LABEL_COLUMNS)
        for index, raw in enumerate(header):
            name = _normalised(raw)
            if not name:
                continue
            if _is_quarter(raw):
                self.quarters.append((index, raw.strip()))
            elif name in self.columns:
                problems.append(ImportProblem(1, raw, raw, "import.duplicate_column"))
            elif name in known:
                self.columns[name] = index
            else:
                _unknown_column(raw, known, problems)
        for name in ("organisation", "metric"):
            if name not in self.columns:
                problems.append(ImportProblem(1, name, "", "import.missing_column", {"column": name}))

    def records(self, cells: list[str]) -> Iterator[tuple[dict[str, str], str]]:
        def cell(index: int) -> str:
            return cells[index] if index < len(cells) else ""

        base = {name: cell(index) for name, index in self.columns.items() if name in ("organisation", "metric")}
        for index, period in self.quarters:
            value = cell(index)
            if value.strip():
                yield {**base, "period": period, "value": value}, period


def _unknown_column(raw: str, known: Sequence[str], problems: list[ImportProblem]) -> None:
    suggestion = _suggest(_normalised(raw), list(known) + list(COLUMN_ALIASES), count=1)
    suggestion = COLUMN_ALIASES.get(suggestion, suggestion)
    if suggestion:
        problems.append(ImportProblem(1, raw, raw, "import.unknown_column_near", {"suggestion": suggestion}))
    else:
        problems.append(ImportProblem(1, raw, raw, "import.unknown_column", {"expected": ", ".join(known)}))


class _RowValidator:
    """Checks one row at a time against the organisations and metrics loaded once."""

    def __init__(self, session: Session, today: dt.date, actor: Actor, limits: ImportLimits | None = None) -> None:
        organisations = list_organisations(session=session)
        self.organisations = {o.code.lower(): o.id for o in organisations}
        self.organisations.update({o.name.lower(): o.id for o in organisations})
        suggestable = nameable(viewer(actor), organisations)
        self.organisation_names = [o.code for o in suggestable] + [o.name for o in suggestable]
        metrics = list_metrics(session=session, include_inactive=True)
        self.metrics: dict[str, MetricDefinition] = {m.code.lower(): m for m in metrics}
        for metric in metrics:
            self.metrics.setdefault(metric.name_sv.lower(), metric)
            self.metrics.setdefault(metric.name_en.lower(), metric)
        self.active_codes = [m.code for m in metrics if m.active]
        self.current_quarter = Quarter.containing(today)
        self.quarters: dict[str, Quarter | str] = {}
        self.seen: dict[tuple[int, int, int], int] = {}
        self.notices = ProblemList((limits or ImportLimits()).max_problems)
        self.row = 0
        self.cells: dict[str, str] = {}
        self.problems: list[ImportProblem] = []
        self.period_column = "period"

    def check(
        self, row: int, cells: dict[str, str], problems: list[ImportProblem], period_column: str = "period"
    ) -> Figure | None:
        before = found(problems)
        self.row, self.cells, self.problems, self.period_column = row, cells, problems, period_column
        organisation_id = self._organisation(cells["organisation"])
        metric = self._metric(cells["metric"])
        quarter = self._quarter(cells["period"])
        value = self._value(cells["value"], metric)
        status = STATUS_WORDS.get(cells["status"].strip().lower()) if "status" in cells else "measured"
        if status is None:
            self._problem("status", "import.unknown_status")
        comment = deneutralise(cells["comment"].strip()) if "comment" in cells else ""
        if len(comment) > MAX_COMMENT_LENGTH:
            problems.append(ImportProblem(row, "comment", comment[:40] + "…", "comment.too_long",
                                          {"limit": MAX_COMMENT_LENGTH, "length": len(comment)}))
        if found(problems) > before:
            return None
        assert organisation_id is not None and metric is not None and quarter is not None and value is not None
        key = (organisation_id, metric.id or 0, quarter.index)
        other = self.seen.get(key)
        if other is not None:
            self._problem("period", "import.duplicate_rows", other_row=other, row=row)
            return None
        self.seen[key] = row
        return Figure(organisation_id, metric.id or 0, quarter, value, status or "measured", comment)

    def _problem(self, column: str, key: str, **params: object) -> None:
        """Record a problem in the current row; in the wide template, period and value problems
        point at the quarter's column."""
        shown = self.period_column if column in ("period", "value") and self.period_column != "period" else column
        self.problems.append(ImportProblem(self.row, shown, self.cells.get(column, ""), key, params))

    def _organisation(self, text: str) -> int | None:
        organisation_id = self.organisations.get(deneutralise(text.strip()).lower())
        if organisation_id is None:
            near = "" if _full(self.problems) else _suggest(text.strip(), self.organisation_names)
            if near:
                self._problem("organisation", "import.unknown_organisation_near", suggestions=near)
            else:
                self._problem("organisation", "import.unknown_organisation")
        return organisation_id

    def _metric(self, text: str) -> MetricDefinition | None:
        metric = self.metrics.get(text.strip().lower())
        if metric is not None and not metric.active:
            self._problem("metric", "import.inactive_metric", code=metric.code)
            return None
        if metric is None:
            near = "" if _full(self.problems) else _suggest(text.strip().lower(), self.active_codes)
            if near:
                self._problem("metric", "import.unknown_metric_near", suggestions=near)
            else:
                self._problem("metric", "import.unknown_metric")
        return metric

    def _quarter(self, text: str) -> Quarter | None:
        known = self.quarters.get(text)
        if known is None:
            known = self.quarters[text] = _read_quarter(text)
        if isinstance(known, str):
            key, _, shown = known.partition("|")
            self._problem("period", key, **({"date": shown} if shown else {}))
            return None
        if known > self.current_quarter:
            self._problem("period", "period.future", quarter=str(known))
            return None
        return known

    def _value(self, text: str, metric: MetricDefinition | None) -> float | None:
        if not text.strip():
            self._problem("value", "import.missing_value")
            return None
        try:
            value = read_number(text)
        except NumberProblem as error:
            self._problem("value", error.key)
            return None
        if metric is not None:
            issue = metric.range_problem(value)
            if issue:
                self._problem("value", issue, min=metric.min_value, max=metric.max_value, value=value)
                return None
        if "," in text and LOOKS_GROUPED.match(text.strip()):
            shown = text.strip()
            self.notices.append(ImportProblem(self.row, "value", shown, "import.comma_is_decimal", {
                "value": shown, "number": value, "thousands": int(shown.replace(",", "")),
            }))
        elif is_negative_zero_text(text):
            self.notices.append(ImportProblem(self.row, "value", text.strip(), "invalid.negative_zero", {}))
        return value


def _check_long_rows(
    rows: Iterable[tuple[int, list[str]]], reader: _LongReader, validator: _RowValidator,
    problems: list[ImportProblem], figures: list[Figure],
) -> int:
    """Validate the long format's rows into ``figures``; returns how many rows were read.

    A national file repeats a few hundred organisation, metric, quarter and status texts half a
    million times, so each distinct text is checked once by :meth:`_RowValidator.check` and its
    reading remembered; a row whose texts are all known (and whose value text was already read
    for the same metric without a notice) becomes a figure without the per-row checks. Anything
    new or wrong goes through ``check``, which reports it exactly as before.
    """
    columns = reader.columns
    at_organisation, at_metric, at_period, at_value = (columns[name] for name in REQUIRED_COLUMNS)
    at_status, at_comment = columns.get("status"), columns.get("comment")
    width = max(columns.values()) + 1
    organisations: dict[str, int] = {}
    metrics: dict[str, int] = {}
    quarters: dict[str, Quarter] = {}
    statuses: dict[str, str] = {"": "measured"} if at_status is not None else {}
    values: dict[tuple[int, str], float] = {}
    seen = validator.seen
    add = figures.append
    count = 0
    for row_number, cells in rows:
        count += 1
        if len(cells) >= width:
            organisation_id = organisations.get(cells[at_organisation])
            metric_id = metrics.get(cells[at_metric])
            quarter = quarters.get(cells[at_period])
            status = statuses.get(cells[at_status]) if at_status is not None else "measured"
            if organisation_id is not None and metric_id is not None and quarter is not None and status is not None:
                value = values.get((metric_id, cells[at_value]))
                comment = cells[at_comment] if at_comment is not None else ""
                if comment:
                    comment = deneutralise(comment.strip())
                    if len(comment) > MAX_COMMENT_LENGTH:
                        value = None
                key = (organisation_id, metric_id, quarter.index)
                if value is not None and key not in seen:
                    seen[key] = row_number
                    add(Figure(organisation_id, metric_id, quarter, value, status, comment))
                    continue
        notices = validator.notices.found
        figure = validator.check(row_number, reader.record(cells), problems)
        if figure is None:
            continue
        add(figure)
        organisations[cells[at_organisation]] = figure.organisation_id
        metrics[cells[at_metric]] = figure.metric_id
        quarters[cells[at_period]] = figure.quarter
        if at_status is not None:
            statuses[cells[at_status]] = figure.status
        if validator.notices.found == notices and figure.value is not None:
            values[(figure.metric_id, cells[at_value])] = figure.value
    return count


def _read_quarter(text: str) -> Quarter | str:
    """The quarter, or why not as ``key|date``: dates and Excel date serials get their own message."""
    raw = text.strip()
    try:
        return Quarter.parse(raw)
    except QuarterError:
        pass
    if _EXCEL_SERIAL.match(raw):
        day = _EXCEL_EPOCH + dt.timedelta(days=int(float(raw)))
        return f"import.period_excel_date|{day.isoformat()}"
    if _ISO_DATE.match(raw):
        return f"import.period_is_date|{raw[:10]}"
    return "import.bad_period"


def _keep_stored_status(
    session: Session, figures: list[Figure], changes: list[FigureChange], lock: bool
) -> tuple[list[Figure], list[FigureChange]]:
    """The wide template carries no status or comment: a figure keeps the stored ones."""
    kept = [
        replace(c.figure, status=c.current.status, comment=c.current.comment) if c.current else c.figure
        for c in changes
    ]
    return kept, plan_changes(session=session, figures=kept, lock=lock)
