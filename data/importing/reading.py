"""A spreadsheet's header and numbered rows, whatever its kind: CSV or XLSX by its content, never
its name; other binary files are refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath

from data.importing.csv_reading import read_csv
from data.importing.limits import (
    ImportLimits,
    LimitExceeded,
    limits_from_settings,
)
from data.importing.problems import ImportProblem, UnreadableFile
from data.importing.xlsx_reading import read_xlsx

_BINARY_STARTS = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"BM", b"\x7fELF", b"MZ", b"Rar!", b"7z")


_OLE2 = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls (and .doc) container


def read_table(
    content: bytes, file_name: str, sheet: str | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]], list[ImportProblem]]:
    """The importer's reading for other spreadsheets (SKR's municipality groups): the header, the
    rows numbered as the spreadsheet shows them, and the problems found (an unreadable file is one
    problem and no rows; formula cells are added while the rows are read)."""
    problems: list[ImportProblem] = []
    try:
        header, rows = table_rows(content, file_name, sheet, problems, limits_from_settings())
    except UnreadableFile as error:
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


def table_rows(
    content: bytes, file_name: str, sheet: str | None, problems: list[ImportProblem], limits: ImportLimits
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and a stream of (row number, cells), whatever the file's kind; refuses files
    that are neither CSV nor XLSX by their content, not their name."""
    if not content.strip():
        raise UnreadableFile("import.empty_file")
    if content[:4] == b"PK\x03\x04":
        return read_xlsx(content, sheet, problems, limits)
    if content[:4] == _OLE2:
        raise UnreadableFile("import.old_excel")
    if content.startswith(_BINARY_STARTS) or PurePath(file_name).suffix.lower() in (".xlsx", ".xlsm"):
        raise UnreadableFile("import.not_a_table")
    return read_csv(content, problems, limits)
