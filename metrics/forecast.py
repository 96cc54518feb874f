"""Forecasts from a robust linear trend: where the figures are heading at the current pace.

Quarterly figures are few and noisy (a re-organisation, a changed survey), so an ordinary
least-squares line would swing on one odd quarter. The Theil–Sen line (the median of the slopes
between every pair of points) ignores up to about 29 % outliers and needs no tuning.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

# The trend looks at the latest figures only: old quarters say little about the current pace.
TREND_MINIMUM = 4
TREND_MAXIMUM = 8


class ForecastError(ValueError):
    """Too few figures, or figures that cannot make a line (all in one quarter)."""


@dataclass(frozen=True)
class Trend:
    """A straight line ``value = intercept + slope × period`` (period: quarter index)."""

    slope: float
    intercept: float
    points: int

    def at(self, period: int) -> float:
        return self.intercept + self.slope * period


def theil_sen(periods: Sequence[int], values: Sequence[float]) -> Trend:
    """The Theil–Sen line through the points: median pairwise slope, median intercept."""
    if len(periods) != len(values):
        raise ForecastError("periods and values differ in length")
    if len(periods) < 2:
        raise ForecastError(f"a trend needs at least 2 figures, got {len(periods)}")
    slopes = [
        (values[j] - values[i]) / (periods[j] - periods[i])
        for i in range(len(periods))
        for j in range(i + 1, len(periods))
        if periods[j] != periods[i]
    ]
    if not slopes:
        raise ForecastError("every figure is in the same quarter; no trend can be drawn")
    slope = statistics.median(slopes)
    intercept = statistics.median(v - slope * p for p, v in zip(periods, values, strict=True))
    return Trend(slope=slope, intercept=intercept, points=len(periods))


def recent_trend(
    figures: dict[int, float], *, until: int, minimum: int = TREND_MINIMUM, maximum: int = TREND_MAXIMUM
) -> Trend | None:
    """The robust trend over the latest ``maximum`` figures up to period ``until``; None if fewer than ``minimum``."""
    usable = sorted((p, v) for p, v in figures.items() if p <= until and not math.isnan(v))[-maximum:]
    if len(usable) < minimum:
        return None
    return theil_sen([p for p, _ in usable], [v for _, v in usable])


def period_reaching(trend: Trend, target: float, *, after: int, increasing: bool) -> int | None:
    """The first period after ``after`` in which the trend reaches ``target``; None if it never does.

    ``increasing`` says which way is "reaching": up to the target or down to it.
    """
    if (trend.at(after) >= target) if increasing else (trend.at(after) <= target):
        return after
    if trend.slope == 0 or (trend.slope > 0) != increasing:
        return None
    exact = (target - trend.intercept) / trend.slope
    return max(after, math.ceil(exact - 1e-9))
