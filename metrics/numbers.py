"""Reading a number as people type it: the one reader behind the importer, Kvartalsdata's form and
grid, and Mål. (The one writer is ``presentation.formatting.format_number``; what it writes, this reads back.)

Swedish spellings (``87,5``, ``1 234`` with a space, a no-break space or a narrow no-break space
between thousands, ``87,5 %``) and English ones (``87.5``, ``1,234``) are read; anything else is
refused with a reason, never guessed. Only ASCII digits count: Python's ``float`` also reads
Arabic-Indic and full-width digits, which no Swedish spreadsheet writes and which a reviewer cannot
tell from a typo. A value so small it would be stored as 0 (``1e-400``) is refused; ``-0`` is read
as 0 (a sign on nothing carries no meaning, and −0.0 would show as "−0" in some outputs).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal

from metrics.errors import EffektError

# Larger magnitudes are typing or unit errors in every metric we know, and lose precision.
LARGEST_VALUE = 1e15
_SPACES = (" ", "\u00a0", "\u202f")
_ALLOWED = re.compile(r"^[0-9+\-.,eE \u00a0\u202f]+$", re.ASCII)
_COMMA_DECIMAL = re.compile(r"^[+-]?[0-9]+,[0-9]+$", re.ASCII)
# ``1,234``: a Swedish reader reads a decimal comma, an English one thousands (the importer says so).
LOOKS_GROUPED = re.compile(r"^[+-]?[0-9]{1,3},[0-9]{3}$", re.ASCII)


class NumberProblem(EffektError, ValueError):
    """A text that is not a figure; ``key`` says why (not a number, not finite, too large, too small)."""


def read_number(text: str, language: str | None = None) -> float:
    """A figure typed by a person or in a spreadsheet; raises :class:`NumberProblem` with the reason.

    ``language`` None or ``"sv"``: a lone comma is a decimal comma (``1,234`` is 1.234, the Swedish
    reading), a comma before a point is English grouping (``1,234.5``). ``"en"``: a comma only
    groups thousands (``1,234`` is 1234; ``87,5`` is refused rather than misread)."""
    cleaned = text.strip().replace("\u2212", "-")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].rstrip()
    if cleaned.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise NumberProblem("value.not_finite")
    if not _ALLOWED.match(cleaned):
        raise NumberProblem("import.bad_value")
    if language == "en" and "," in cleaned:
        number = _read_grouped(cleaned, english=True)
    elif "," not in cleaned and not any(space in cleaned for space in _SPACES):
        try:  # the common case, fast: Python's float reads exactly the plain decimal-point forms
            number = float(cleaned)
        except ValueError:
            number = _read_grouped(cleaned)
    elif _COMMA_DECIMAL.match(cleaned):
        number = float(cleaned.replace(",", "."))
    else:
        number = _read_grouped(cleaned)
    return _checked(number, cleaned)


def parse_number(text: str, language: str | None = None) -> float | None:
    """:func:`read_number`, or None for anything that is not a usable figure."""
    try:
        return read_number(text, language)
    except NumberProblem:
        return None


def is_negative_zero_text(text: str) -> bool:
    """True for a text that names zero with a minus sign (``-0``, ``−0,0``): read as 0, worth a notice."""
    cleaned = text.strip().replace("\u2212", "-")
    return cleaned.startswith("-") and parse_number(cleaned) == 0.0


def _checked(number: float, cleaned: str) -> float:
    if not math.isfinite(number):
        raise NumberProblem("value.not_finite")
    if abs(number) >= LARGEST_VALUE:
        raise NumberProblem("import.value_too_large")
    if number == 0.0:
        mantissa = re.split("[eE]", cleaned, maxsplit=1)[0]
        if any(digit in mantissa for digit in "123456789"):
            raise NumberProblem("invalid.number_underflow")
        return 0.0  # also turns −0.0 into 0.0
    return number


def _read_grouped(text: str, *, english: bool = False) -> float:
    """Grouped numbers through Babel's strict parser: Swedish (``1 234,5``) or English (``1,234.5``)."""
    spaced = text.replace(" ", "\u00a0").replace("\u202f", "\u00a0")
    if english or ("," in spaced and "." in spaced):
        candidate, locale = spaced, "en_GB"
    elif "." in spaced:
        candidate, locale = spaced.replace("\u00a0", ","), "en_GB"
    else:
        candidate, locale = spaced, "sv_SE"
    try:
        number: Decimal = parse_decimal(candidate, locale=locale, strict=True)
    except (NumberFormatError, ValueError):
        raise NumberProblem("import.bad_value") from None
    return float(number)
