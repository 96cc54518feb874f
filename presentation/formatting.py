"""Numbers, values, changes and dates in the reader's locale (Babel: ``sv_SE`` and ``en_GB``).

Never format numbers by hand: Swedish uses a non-breaking space between thousands and a decimal
comma (``1 234,5``) and a space before the per cent sign (``87,5 %``).
"""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

LOCALES = {"sv": "sv_SE", "en": "en_GB"}
DASH = "–"


def format_number(value: float | int | None, language: str, decimals: int | None = 1) -> str:
    """A number with exactly ``decimals`` decimals (``None``: as many as it has, up to 6)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    pattern = "#,##0" if decimals == 0 else (
        "#,##0.######" if decimals is None else "#,##0." + "0" * decimals
    )
    return format_decimal(value, format=pattern, locale=LOCALES[language])


def format_value(value: float | None, unit_kind: str, decimals: int, language: str) -> str:
    """A figure as shown on a card or in a table: ``87,5 %``, ``12 dagar``, ``1 234``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    number = format_number(value, language, decimals)
    if unit_kind == "percent":
        return f"{number}\u00a0%" if language == "sv" else f"{number}%"
    if unit_kind == "days":
        word = ("dag" if language == "sv" else "day") if abs(value) == 1 else (
            "dagar" if language == "sv" else "days"
        )
        return f"{number}\u00a0{word}"
    return number


def format_change(change: float | None, unit_kind: str, decimals: int, language: str) -> str:
    """A signed change: ``+2,1 p.e.`` (percentage points), ``−3 dagar``, ``+4``."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return DASH
    sign = "+" if change > 0 else ("\u2212" if change < 0 else "±")
    magnitude = format_value(abs(change), unit_kind, decimals, language)
    if unit_kind == "percent":
        number = format_number(abs(change), language, decimals)
        magnitude = f"{number}\u00a0p.e." if language == "sv" else f"{number}\u00a0pp"
    return f"{sign}{magnitude}"


def format_date(day: dt.date, language: str) -> str:
    """``2025-09-30`` in Swedish, ``30 Sep 2025`` in English."""
    if language == "sv":
        return babel_format_date(day, format="yyyy-MM-dd", locale="sv_SE")
    # en_GB's CLDR data abbreviates September as "Sept"; the glossary wants "30 Sep 2025".
    return babel_format_date(day, format="d MMM yyyy", locale="en")


def input_text(value: float | int | None, language: str) -> str:
    """A number as a text field shows it for editing (``87,5``, ``1 234``; as many decimals as it
    has, so saving untouched text stores the same figure); empty when there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return format_number(value, language, decimals=None)
