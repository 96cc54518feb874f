"""Quarters: the period every figure belongs to.

Canonical text is ``2024-Q1`` (files, URLs, the database). People type many other spellings
(``2024Q1``, ``2024 K1``, ``Q1 2024`` …); :meth:`Quarter.parse` accepts those and nothing else, so a
typo never turns into a silently wrong period. Only ASCII digits count (``٢٠٢٥-Q1`` is refused).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from metrics import clock

# Year first (2024-Q1, 2024Q1, 2024 K1) or quarter first (Q1 2024, K1-2024); Q or K (kvartal).
_YEAR_FIRST = re.compile(r"^(?P<year>[0-9]{4})\s*[-_/ ]?\s*[QK](?P<q>[0-9])$", re.IGNORECASE)
_QUARTER_FIRST = re.compile(r"^[QK](?P<q>[0-9])\s*[-_/ ]?\s*(?P<year>[0-9]{4})$", re.IGNORECASE)

ACCEPTED_FORMS = "2024-Q1, 2024Q1, 2024 Q1, 2024 K1, Q1 2024"


class QuarterError(ValueError):
    """A text that is not a quarter; the message shows the accepted forms."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"{text!r} is not a quarter; write it as {ACCEPTED_FORMS}")


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    """One calendar quarter. Ordered, hashable, and arithmetic in whole quarters."""

    year: int
    q: int

    def __post_init__(self) -> None:
        if not 1 <= self.q <= 4:
            raise QuarterError(f"{self.year}-Q{self.q}")
        if not 1900 <= self.year <= 2999:
            raise QuarterError(f"{self.year}-Q{self.q}")

    @classmethod
    def parse(cls, text: object) -> Quarter:
        """Read any accepted spelling; raise :class:`QuarterError` for everything else."""
        if isinstance(text, Quarter):
            return text
        if type(text) is str:  # a file repeats a few dozen spellings half a million times
            return _parse_text(text)
        return _parse_text(str(text))

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        """The inverse of :attr:`index`."""
        return cls(index // 4, index % 4 + 1)

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        """The quarter a date falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_completed(cls, today: dt.date | None = None) -> Quarter:
        """The most recent quarter that has ended: the one people report on now."""
        return cls.containing(today or clock.today()).previous

    @property
    def index(self) -> int:
        """Quarters since year 0: makes arithmetic and differences simple integer maths."""
        return self.year * 4 + self.q - 1

    @property
    def previous(self) -> Quarter:
        return self - 1

    @property
    def same_quarter_last_year(self) -> Quarter:
        return self - 4

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.q - 2, 1)

    @property
    def last_day(self) -> dt.date:
        return (self + 1).first_day - dt.timedelta(days=1)

    def __add__(self, quarters: int) -> Quarter:
        return Quarter.from_index(self.index + quarters)

    def __sub__(self, quarters: int) -> Quarter:
        return Quarter.from_index(self.index - quarters)

    def quarters_until(self, other: Quarter) -> int:
        """How many quarters from self to other (negative if other is earlier)."""
        return other.index - self.index

    def __str__(self) -> str:
        return f"{self.year}-Q{self.q}"

    def label(self, language: str) -> str:
        """Running-text form: ``2025 K3`` in Swedish, ``2025 Q3`` in English."""
        return f"{self.year} {'K' if language == 'sv' else 'Q'}{self.q}"


@lru_cache(maxsize=1024)
def _parse_text(text: str) -> Quarter:
    """:meth:`Quarter.parse` for a text, memoised (quarters are immutable); a failure is not cached."""
    raw = text.strip()
    match = _YEAR_FIRST.match(raw) or _QUARTER_FIRST.match(raw)
    if not match or not 1 <= int(match["q"]) <= 4:
        raise QuarterError(raw)
    return Quarter(int(match["year"]), int(match["q"]))


def quarter_range(first: Quarter, last: Quarter) -> Iterator[Quarter]:
    """Every quarter from first to last, both included."""
    for index in range(first.index, last.index + 1):
        yield Quarter.from_index(index)
