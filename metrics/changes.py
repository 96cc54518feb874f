"""Change over time: the latest figure per metric against the previous quarter and last year.

Input is a long DataFrame of figures (``metric_id``, ``period`` as a quarter index, ``value``,
``status``); output is one row per metric. Whether a change is good depends on the metric's
direction: for "lower is better" a fall is an improvement.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from metrics.breaks import crosses_break
from metrics.catalogue import MetricDefinition
from metrics.cells import missing, optional_number, whole
from metrics.periods import Quarter

SUMMARY_COLUMNS = [
    "metric_id", "code", "value", "status", "comment", "previous", "change_previous",
    "last_year", "change_last_year", "improved_previous", "improved_last_year",
    "broken_previous", "broken_last_year",
]


def change_summary(
    figures: pd.DataFrame, metrics: Sequence[MetricDefinition], quarter: Quarter,
    breaks: Mapping[str, Sequence[int]] | None = None,
) -> pd.DataFrame:
    """Per metric: the quarter's value, the change from the previous quarter and from last year.

    A missing figure on either side gives no change (never a change against zero); so does a
    method change between the two quarters (``breaks``: metric code → break quarter indexes), and
    ``broken_previous``/``broken_last_year`` say so (:mod:`metrics.breaks`).
    """
    breaks = breaks or {}
    by_cell = {
        (whole(row.metric_id), whole(row.period)): row
        for row in figures.itertuples(index=False)
    }
    rows = []
    for metric in metrics:
        now = by_cell.get((metric.id or 0, quarter.index))
        before = by_cell.get((metric.id or 0, quarter.previous.index))
        year_ago = by_cell.get((metric.id or 0, quarter.same_quarter_last_year.index))
        value = optional_number(now.value) if now is not None else None
        previous = optional_number(before.value) if before is not None else None
        last_year = optional_number(year_ago.value) if year_ago is not None else None
        cut = breaks.get(metric.code, ())
        broken_previous = crosses_break(quarter.previous.index, quarter.index, cut)
        broken_last_year = crosses_break(quarter.same_quarter_last_year.index, quarter.index, cut)
        change_previous = None if broken_previous else _change(value, previous)
        change_last_year = None if broken_last_year else _change(value, last_year)
        rows.append({
            "metric_id": metric.id, "code": metric.code, "value": value,
            "status": now.status if now is not None else None,
            "comment": now.comment if now is not None else "",
            "previous": previous, "change_previous": change_previous,
            "last_year": last_year, "change_last_year": change_last_year,
            "improved_previous": is_improvement(change_previous, metric),
            "improved_last_year": is_improvement(change_last_year, metric),
            "broken_previous": broken_previous, "broken_last_year": broken_last_year,
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def is_improvement(change: float | None, metric: MetricDefinition) -> bool | None:
    """True if the change is for the better given the metric's direction; None if no change known."""
    if change is None or change == 0:
        return None
    return change > 0 if metric.higher_is_better else change < 0


def _change(value: float | None, base: float | None) -> float | None:
    if value is None or base is None:
        return None
    return value - base


class IndexingError(ValueError):
    """A series that cannot be indexed: no usable figure at or after the baseline quarter."""


def index_series(values: dict[int, float], baseline: Quarter) -> tuple[Quarter, dict[int, float]]:
    """The series as an index with the baseline = 100, to set different units side by side.

    The base is the figure of the baseline quarter, or, when that quarter has none, the first
    figure after it (returned, so the chart can say which quarter is 100). A base of zero cannot
    be indexed.
    """
    candidates = sorted(p for p, v in values.items() if p >= baseline.index and v is not None and not pd.isna(v))
    if not candidates:
        raise IndexingError(f"no figure in or after {baseline}")
    base_period = candidates[0]
    base = values[base_period]
    if base == 0:
        raise IndexingError(f"the figure in {Quarter.from_index(base_period)} is 0; an index needs a base other than 0")
    return Quarter.from_index(base_period), {p: v / base * 100 for p, v in values.items() if p >= base_period}


# Worst first: off track before at risk; metrics with no such status come after both.
ATTENTION_RANK = {"off_track": 0, "at_risk": 1}


@dataclass(frozen=True)
class Standing:
    """What "hardest first" weighs for one metric (Översikt, the board pack and any later output)."""

    metric_id: int
    status: str | None = None  # the headline target's status
    progress: float | None = None  # share of the way from baseline to target; lower is worse
    worsened: bool = False  # a known change for the worse against the previous quarter or last year
    relative_change: float | None = None  # the change in the good direction, relative to before


def standings(
    summary: pd.DataFrame, metrics: Sequence[MetricDefinition],
    headline: Mapping[int, tuple[str | None, float | None]], change_column: str = "change_previous",
) -> list[Standing]:
    """What "hardest first" weighs for each row of a change summary: the headline target's status and
    progress by metric id, a change for the worse against the previous quarter or last year, and the
    relative change (``change_column``: the quarter's change, or the year's)."""
    by_id = {m.id: m for m in metrics}
    found = []
    for row in summary.itertuples(index=False):
        metric_id = whole(row.metric_id)
        status, progress = headline.get(metric_id, (None, None))
        found.append(Standing(
            metric_id, status, progress, worse(row.improved_previous) or worse(row.improved_last_year),
            relative_change(optional_number(getattr(row, change_column)), optional_number(row.previous),
                            by_id[metric_id]),
        ))
    return found


def hardest_first(standings: Sequence[Standing]) -> list[Standing]:
    """Every metric, the ones needing attention first: off track, then at risk, then the rest;
    within each, worsening ones first, then least progress, then the largest relative worsening;
    otherwise the given (catalogue) order."""
    def severity(item: Standing) -> tuple[int, int, float, float]:
        progress = item.progress if item.progress is not None else math.inf
        relative = item.relative_change if item.relative_change is not None else 0.0
        return ATTENTION_RANK.get(item.status or "", 2), 0 if item.worsened else 1, progress, relative
    return sorted(standings, key=severity)


def needing_attention(standings: Sequence[Standing]) -> list[Standing]:
    """The head of :func:`hardest_first` the board discusses: metrics off track or at risk; when no
    metric has a target status, the ones that worsened."""
    ordered = hardest_first(standings)
    if any(item.status for item in standings):
        return [item for item in ordered if item.status in ATTENTION_RANK]
    return [item for item in ordered if item.worsened]


def relative_change(change: float | None, previous: float | None, metric: MetricDefinition) -> float | None:
    """The change in the good direction, relative to the previous value, so metrics compare."""
    if change is None or previous is None:
        return None
    signed = change if metric.higher_is_better else -change
    return signed / max(abs(previous), 1e-9)


def worse(improved: object) -> bool:
    """A known change for the worse (None or NaN: no change known)."""
    return not missing(improved) and not bool(improved)
