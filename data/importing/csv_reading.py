"""Reading a CSV as a stream of numbered rows: encoding (UTF-8 or Windows-1252), delimiter,
Excel's ``sep=`` line, and the limits checked while streaming.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator, Sequence
from typing import IO, Any

from data.importing.cells import check_controls, column_letter, column_name
from data.importing.limits import (
    ImportLimits,
    LimitExceeded,
    cell_too_long,
    too_many_columns,
    too_many_rows,
)
from data.importing.problems import ImportProblem, UnreadableFile
from data.text_rules import CONTROL_BYTES


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


def read_csv(
    content: bytes, problems: list[ImportProblem], limits: ImportLimits
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    sample = content[:65536]
    controls = sum(sample.count(bytes([c])) for c in range(32) if c not in (9, 10, 12, 13))
    if b"\x00" in sample or controls > len(sample) // 100:
        raise UnreadableFile("import.not_a_table")  # a binary file, by its start
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
            raise cell_too_long(limits, 1, column_letter(index), len(name))


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

    def refusal(self, error: csv.Error, row: int, lines_read: int | None = None) -> LimitExceeded | UnreadableFile:
        if "field larger than field limit" not in str(error):
            return UnreadableFile("import.not_a_table")
        record = self._record_text(lines_read)
        index = _long_field(record, self.delimiter, self.limits.max_cell_chars)
        return cell_too_long(self.limits, row, column_name(self.header, index))

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
            check_controls(row, number, header, problems)
        if joined.strip():  # some cell is not blank (one C call instead of one per cell)
            yield number, row


def _check_cells(row: Sequence[str], number: int, header: Sequence[str], limits: ImportLimits) -> None:
    if len(row) > limits.max_columns:
        raise too_many_columns(limits, number, len(row))
    for index, cell in enumerate(row):
        if len(cell) > limits.max_cell_chars:
            raise cell_too_long(limits, number, column_name(header, index), len(cell))
