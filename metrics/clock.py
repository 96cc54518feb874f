"""The one clock the app reads "today" from, so a test or a demo gives the same answer on any date.

``EFFEKT_TODAY=YYYY-MM-DD`` fixes the date for a whole process (live servers in browser tests,
screenshots); a test in the same process uses :func:`fixed_today`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

_fixed: dt.date | None = None


def today() -> dt.date:
    """Today's date: a fixed one when a test or ``EFFEKT_TODAY`` says so, else the system's."""
    if _fixed is not None:
        return _fixed
    configured = os.environ.get("EFFEKT_TODAY", "").strip()
    if configured:
        return dt.date.fromisoformat(configured)
    return dt.date.today()


@contextmanager
def fixed_today(day: dt.date) -> Iterator[dt.date]:
    """Within the block, :func:`today` answers ``day`` (for tests in this process)."""
    global _fixed
    previous, _fixed = _fixed, day
    try:
        yield day
    finally:
        _fixed = previous
