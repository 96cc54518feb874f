"""A method change is a break in a series: figures on either side of it are not comparable.

An event of kind ``method_change`` in quarter B means the figures from B on were measured the new
way. A change from quarter A to quarter C crosses the break when A < B <= C; such a change is
not shown as a number (it reads "not comparable (new method)"), and a forecast or trend uses only
the figures from the latest break on. One rule, used by every output through these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def crosses_break(earlier: int, later: int, breaks: Iterable[int]) -> bool:
    """True if a break lies between quarter indexes ``earlier`` (old) and ``later`` (new)."""
    low, high = min(earlier, later), max(earlier, later)
    return any(low < b <= high for b in breaks)


def latest_break(breaks: Iterable[int], until: int) -> int | None:
    """The latest break at or before quarter index ``until``: where the comparable series starts."""
    before = [b for b in breaks if b <= until]
    return max(before) if before else None


def breaks_for(metric_code: str, method_changes: Sequence[tuple[int, str | None]]) -> list[int]:
    """The break quarters of one metric from (quarter index, metric code or None for all) pairs."""
    return sorted({period for period, code in method_changes if code is None or code == metric_code})


def breaks_by_metric(metric_codes: Iterable[str],
                     method_changes: Sequence[tuple[int, str | None]]) -> Mapping[str, list[int]]:
    """Every metric's break quarters (empty lists left out)."""
    found = {code: breaks_for(code, method_changes) for code in metric_codes}
    return {code: quarters for code, quarters in found.items() if quarters}
