"""Ranking organisations on one metric. Who may see which rows, names and peer statistics is
decided by :mod:`metrics.disclosure`, not here."""

from __future__ import annotations

import pandas as pd


def rank_figures(figures: pd.DataFrame, *, higher_is_better: bool) -> pd.DataFrame:
    """The figures best first with a ``rank`` (ties share the better rank: 1, 2, 2, 4)."""
    ordered = figures.sort_values(["value", "organisation_id"], ascending=[not higher_is_better, True], kind="stable")
    ranks = ordered["value"].rank(method="min", ascending=not higher_is_better)
    return ordered.assign(rank=ranks.astype("int64").to_numpy()).reset_index(drop=True)
