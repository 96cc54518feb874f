"""Text cells that are safe to open in a spreadsheet.

A comment such as ``=HYPERLINK(...)`` is stored verbatim, but a cell starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return would run as a formula in Excel: every export prefixes such a
cell with ``'``, and the importer takes exactly that prefix off again so a round trip is lossless.
"""

from __future__ import annotations

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def deneutralise(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text
