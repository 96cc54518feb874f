"""Text cells that are safe to open in a spreadsheet: the one neutraliser every export calls.

A comment such as ``=HYPERLINK(...)`` is stored verbatim, but a cell starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return would run as a formula in Excel: every export prefixes such a
cell with ``'``, and the importer takes exactly that prefix off again so a round trip is lossless.
A plain number (``-5``, ``+1.5e3``) is left alone: it is a number to Excel, not a formula.
XLSX cannot hold most control characters at all; old data that holds one (stored before forms and
the importer refused them) gets U+FFFD in its place, so the workbook is still written.

Every CSV and XLSX the app writes goes through :func:`neutralise_frame`, by way of
``data.exporter.to_csv_bytes`` and ``data.exporter.workbook_bytes``.
"""

from __future__ import annotations

import re

import pandas as pd

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# What openpyxl refuses (``IllegalCharacterError``): the C0 controls but tab, line feed, carriage return.
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
REPLACEMENT = "\ufffd"


def neutralise(text: str) -> str:
    if text.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def deneutralise(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


def xlsx_safe(text: str) -> str:
    """The text with each character XLSX cannot hold replaced by U+FFFD."""
    return _XLSX_ILLEGAL.sub(REPLACEMENT, text)


def safe_cell(value: object, *, xlsx: bool = False) -> object:
    """One cell as it may be written: text neutralised (and made XLSX-safe); numbers unchanged.

    In CSV a carriage return inside a cell becomes a line feed: the csv module quotes a cell only
    for the characters of its line ending (``\n`` here), so a bare ``\r`` would end the row in
    Excel and start the next with whatever follows it (``abc\r=1+1`` becomes a formula)."""
    if not isinstance(value, str):
        return value
    text = neutralise(value)
    return xlsx_safe(text) if xlsx else text.replace("\r\n", "\n").replace("\r", "\n")


def neutralise_frame(frame: pd.DataFrame, *, xlsx: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and heading safe to open: only the cells that need
    it are touched, so a half-million-row export stays fast and its numbers stay numbers."""
    safe = frame.rename(columns=lambda name: safe_cell(name, xlsx=xlsx))
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if column.dtype != object and not pd.api.types.is_string_dtype(column):
            continue
        text = column.map(lambda v: v if isinstance(v, str) else "")
        risky = text.str.startswith(_FORMULA_STARTS)
        risky |= text.str.contains(_XLSX_ILLEGAL.pattern if xlsx else "\r", regex=xlsx)
        if risky.any():
            safe.iloc[:, position] = column.where(~risky, column[risky].map(lambda v: safe_cell(v, xlsx=xlsx)))
    return safe
