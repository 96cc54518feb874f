"""An experiment followed up on its metric: the mean before the start against the mean since.

The workshop asks leaders to take out an MVP and follow it up within a given time. "Before" is the
mean of up to four quarters before the start quarter; "since" the mean of the quarters from the
start to the follow-up quarter (or the latest one, if earlier). The change is read against what was
expected (direction and size). A caution is raised when fewer than two quarters have passed or a
method change lies between before and since (then the change is not comparable). Pure.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from metrics.breaks import crosses_break

BEFORE_QUARTERS = 4
MINIMUM_SINCE = 2
DIRECTIONS = ("up", "down")


@dataclass(frozen=True)
class FollowUp:
    """One experiment's metric, before and since; ``None`` where no figure exists."""

    before: float | None
    since: float | None
    change: float | None
    expected: float | None  # the expected change, signed by the expected direction
    met: bool | None  # the change went the expected way by at least the expected size
    quarters_since: int
    too_early: bool  # fewer than MINIMUM_SINCE quarters with figures since the start
    broken: bool  # a method change lies between before and since


def follow_up(figures: Mapping[int, float], *, start: int, until: int, breaks: Sequence[int] = (),
              direction: str | None = None, size: float | None = None) -> FollowUp:
    """Before (up to four quarters before ``start``) and since (``start`` … ``until``), quarter indexes."""
    before = [figures[p] for p in range(start - BEFORE_QUARTERS, start) if p in figures]
    since = [figures[p] for p in range(start, until + 1) if p in figures]
    mean_before = statistics.fmean(before) if before else None
    mean_since = statistics.fmean(since) if since else None
    broken = crosses_break(start - BEFORE_QUARTERS, until, breaks)
    change = None if broken or mean_before is None or mean_since is None else mean_since - mean_before
    expected = None if size is None or direction not in DIRECTIONS else (size if direction == "up" else -size)
    met = None
    if change is not None and expected is not None:
        met = change >= expected if expected >= 0 else change <= expected
    return FollowUp(mean_before, mean_since, change, expected, met, len(since), len(since) < MINIMUM_SINCE, broken)
