"""Reading the first (or a named) sheet of an XLSX as a stream of numbered rows of text: damaged
archives, merged cells and formulas are refused, the limits checked before and while streaming.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from data.importing.cells import check_controls, column_name
from data.importing.limits import (
    ImportLimits,
    LimitExceeded,
    too_many_rows,
)
from data.importing.problems import ImportProblem, UnreadableFile
from data.importing.xlsx_stream import check_archive, check_dimension, sheet_rows
from data.text_rules import control_character


def read_xlsx(
    content: bytes, sheet_name: str | None, problems: list[ImportProblem], limits: ImportLimits
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise UnreadableFile("import.not_a_table")
            check_archive(archive, limits)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (UnreadableFile, LimitExceeded):
        raise
    except Exception as error:  # openpyxl and zipfile raise many kinds for a damaged file
        raise UnreadableFile("import.corrupt_xlsx") from error
    if sheet_name is not None and sheet_name not in workbook.sheetnames:
        raise UnreadableFile("import.unknown_sheet", sheet=sheet_name, sheets=", ".join(workbook.sheetnames))
    sheet = workbook[sheet_name] if sheet_name is not None else workbook.worksheets[0]
    check_dimension(sheet, limits)
    merged, row_elements = _scan_sheet(sheet)
    if merged:
        raise UnreadableFile("import.merged_cells", sheet=sheet.title)
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
        raise UnreadableFile("import.corrupt_xlsx") from error


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
            problems.append(ImportProblem(number, column_name(header, cell["column"] - 1), str(cell["value"]),
                                          "import.formula"))
        cells = _xlsx_cells(row)
        if control_character("".join(cells)):
            check_controls(cells, number, header, problems)
        if not formulas and any(c.strip() for c in cells):
            yield number, cells


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
