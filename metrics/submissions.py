"""Reporting status: who has reported which figures for a quarter, and which are still uncertain.

Pure functions over the figures frame (``organisation_id, metric_id, period, value, status``), so
the Inrapportering page, the "what is missing" note on Kvartalsdata and the tests share one rule:
a metric counts as reported when the organisation has a figure for it in the quarter, whatever
its status; estimated and preliminary figures are reported but listed as uncertain.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

UNCERTAIN_STATUSES = ("estimated", "preliminary")
STATUS_COLUMNS = ["organisation_id", "reported", "expected", "missing", "estimated", "preliminary"]


def missing_metric_ids(figures: pd.DataFrame, metric_ids: Sequence[int], period: int) -> list[int]:
    """The active metrics (in the given order) without a figure in the quarter."""
    have = set(figures.loc[figures["period"] == period, "metric_id"]) if len(figures) else set()
    return [metric_id for metric_id in metric_ids if metric_id not in have]


def uncertain_figures(figures: pd.DataFrame, metric_ids: Sequence[int], period: int) -> pd.DataFrame:
    """The quarter's figures that are estimated or preliminary, for the active metrics only."""
    if not len(figures):
        return figures
    chosen = figures[
        (figures["period"] == period)
        & figures["status"].isin(UNCERTAIN_STATUSES)
        & figures["metric_id"].isin(list(metric_ids))
    ]
    return chosen.sort_values(["organisation_id", "metric_id"]).reset_index(drop=True)


def reporting_status(
    figures: pd.DataFrame, organisation_ids: Sequence[int], metric_ids: Sequence[int], period: int
) -> pd.DataFrame:
    """Per organisation: how many of the active metrics it reported for the quarter, how many are
    missing, and how many of the reported ones are estimated or preliminary."""
    expected = len(metric_ids)
    quarter = (
        figures[(figures["period"] == period) & figures["metric_id"].isin(list(metric_ids))]
        if len(figures) else pd.DataFrame(columns=["organisation_id", "status"])
    )
    rows = []
    for organisation_id in organisation_ids:
        own = quarter[quarter["organisation_id"] == organisation_id]
        reported = len(own)
        rows.append({
            "organisation_id": organisation_id,
            "reported": reported,
            "expected": expected,
            "missing": expected - reported,
            "estimated": int((own["status"] == "estimated").sum()),
            "preliminary": int((own["status"] == "preliminary").sum()),
        })
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)
