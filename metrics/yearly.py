"""Years from quarters, by each metric's own rule.

Ideas delivered add up over a year (sum); a share of satisfied customers does not (mean); a lead
time is a median of medians. A year with fewer than four quarters reported is still shown, with
how many quarters it holds, so nobody mistakes three quarters' ideas for a whole year's.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

AGGREGATIONS = ("sum", "mean", "median")


class AggregationError(ValueError):
    """An unknown aggregation rule."""


def yearly_values(figures: pd.DataFrame, rules: Mapping[int, str]) -> pd.DataFrame:
    """One row per (organisation, metric, year): the aggregated ``value`` and ``quarters`` held.

    ``figures`` has ``organisation_id``, ``metric_id``, ``period`` (quarter index), ``value``;
    ``rules`` maps metric id to "sum", "mean" or "median". ``complete`` is True for four quarters.
    """
    columns = ["organisation_id", "metric_id", "year", "value", "quarters", "complete"]
    unknown = {r for r in rules.values() if r not in AGGREGATIONS}
    if unknown:
        raise AggregationError(f"unknown aggregation {sorted(unknown)}; use sum, mean or median")
    if not len(figures):
        return pd.DataFrame(columns=columns)
    frame = figures[["organisation_id", "metric_id", "period", "value"]].dropna(subset=["value"]).copy()
    frame["year"] = frame["period"] // 4
    rows = []
    for (organisation_id, metric_id, year), group in frame.groupby(["organisation_id", "metric_id", "year"], sort=True):
        rule = rules.get(int(metric_id), "mean")
        value = float(getattr(group["value"], rule)())
        rows.append((int(organisation_id), int(metric_id), int(year), value, len(group), len(group) == 4))
    return pd.DataFrame(rows, columns=columns)
