"""National completion of reporting rounds: per quarter, how many of the expected figures came in.

Pure, over the figures frame (``organisation_id, metric_id, period``), so the Inrapportering chart,
its table and the tests share one rule: expected = organisations × active metrics.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

COMPLETION_COLUMNS = ["period", "reported", "expected", "share", "signed_off", "organisations"]


def national_completion(
    figures: pd.DataFrame, organisation_ids: Sequence[int], metric_ids: Sequence[int], periods: Sequence[int],
    signed_off: frozenset[tuple[int, int]] = frozenset(),
) -> pd.DataFrame:
    """Per quarter index (oldest first): figures reported, expected, their share in per cent, and how
    many of the organisations signed the quarter off."""
    wanted = set(organisation_ids)
    chosen = figures[figures["organisation_id"].isin(list(wanted)) & figures["metric_id"].isin(list(metric_ids))] \
        if len(figures) else pd.DataFrame(columns=["organisation_id", "metric_id", "period"])
    counts = chosen.groupby("period").size() if len(chosen) else pd.Series(dtype="int64")
    expected = len(wanted) * len(metric_ids)
    rows = []
    for period in sorted(periods):
        reported = int(counts.get(period, 0))
        rows.append({
            "period": period, "reported": reported, "expected": expected,
            "share": round(100 * reported / expected, 1) if expected else 0.0,
            "signed_off": sum(1 for o, p in signed_off if p == period and o in wanted),
            "organisations": len(wanted),
        })
    return pd.DataFrame(rows, columns=COMPLETION_COLUMNS)
