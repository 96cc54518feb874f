"""A worksheet's rows streamed a cell at a time, within the importer's limits.

openpyxl's read-only rows fill every gap with blank rows (a sheet whose last row is numbered
50 000 000 yields fifty million rows) and build a whole row element before its first cell is
seen (a header of two million cells is two million elements). Here the sheet XML is parsed with
start and end events: each cell is read and dropped as it ends, each row as it ends, and reading
stops at the first row number, column or cell text past a limit, before memory grows.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from data.importing.limits import ImportLimits, LimitExceeded, cell_too_long, too_many_columns, too_many_rows

_ROW = f"{{{SHEET_MAIN_NS}}}row"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_SHEET_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"


def check_dimension(sheet: Any, limits: ImportLimits) -> None:
    """Refuse a sheet whose own dimension (``<dimension ref="A1:XFD50000000">``) is past a limit,
    before a row of it is read; a sheet without one is held to the limits while it streams."""
    if sheet.max_column is not None and sheet.max_column > limits.max_columns:
        raise too_many_columns(limits, None, sheet.max_column)
    if sheet.max_row is not None and sheet.max_row > limits.max_rows + 1:
        raise too_many_rows(limits, sheet.max_row)


def sheet_rows(sheet: Any, limits: ImportLimits) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(row number, cells) for each row element, cells as openpyxl's parser reads them (value,
    data type, column); blank rows between them are not made."""
    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=False, epoch=workbook.epoch,
                                 date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        holder: Any = None
        cells: list[dict[str, Any]] = []
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == _ROW:
                    _start_row(parser, element, limits)
                    cells = []
                elif tag == _SHEET_DATA:
                    holder = element
            elif tag == _CELL:
                cells.append(_cell(parser, element, limits, len(cells)))
                element.clear()
            elif tag == _ROW:
                element.clear()
                if holder is not None:
                    holder.clear()  # drop the finished row elements themselves
                yield parser.row_counter, cells


def _start_row(parser: WorkSheetParser, element: Any, limits: ImportLimits) -> None:
    number = element.get("r")
    parser.row_counter = int(float(number)) if number else parser.row_counter + 1
    parser.col_counter = 0
    if parser.row_counter > limits.max_rows + 1:  # the header is row 1
        raise too_many_rows(limits, parser.row_counter)


def _cell(parser: WorkSheetParser, element: Any, limits: ImportLimits, before: int) -> dict[str, Any]:
    cell: dict[str, Any] = parser.parse_cell(element)
    if cell["column"] > limits.max_columns or before >= limits.max_columns:
        raise too_many_columns(limits, parser.row_counter, max(cell["column"], before + 1))
    value = cell["value"]
    if isinstance(value, str) and len(value) > limits.max_cell_chars:
        raise cell_too_long(limits, parser.row_counter, get_column_letter(cell["column"]), len(value))
    return cell
_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])")
_CELL_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])")


def check_archive(archive: zipfile.ZipFile, limits: ImportLimits) -> None:
    """Hold every worksheet of the archive to the row and column limits before openpyxl opens it:
    openpyxl reads a sheet without a ``<dimension>`` to its end just to size it (a header of two
    million cells took a minute). One streaming pass over the raw XML, counting row and cell tags
    (at most ``max_columns + 1`` cells a row are counted). openpyxl holds the shared strings in
    memory, so their unpacked size is held to what the row limit can use (256 bytes a row)."""
    for info in archive.infolist():
        if info.filename == "xl/sharedStrings.xml" and info.file_size > limits.max_rows * 256:
            raise LimitExceeded("limits.strings_too_large", None, None, size=round(info.file_size / 1e6, 1),
                                limit=round(limits.max_rows * 256 / 1e6, 1))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            with archive.open(name) as source:
                _check_sheet_xml(source, limits)


def _check_sheet_xml(source: IO[bytes], limits: ImportLimits) -> None:
    rows, cells, carry = 0, 0, b""
    while chunk := source.read(1 << 20):
        window = carry + chunk
        cut = window.rfind(b"<")  # a tag cut by the chunk's end is read with the next chunk
        window, carry = (window[:cut], window[cut:]) if cut > 0 else (window, b"")
        segments = _ROW_START.split(window)
        for index, segment in enumerate(segments):
            if index:
                rows, cells = rows + 1, 0
                if rows > limits.max_rows + 1:
                    raise too_many_rows(limits, rows)
            cells += _count_cells(segment, limits.max_columns + 1 - cells)
            if cells > limits.max_columns:
                raise too_many_columns(limits, rows or None)


def _count_cells(segment: bytes, enough: int) -> int:
    count = 0
    for _ in _CELL_START.finditer(segment):
        count += 1
        if count >= enough:
            break
    return count
