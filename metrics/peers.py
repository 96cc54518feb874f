"""Peer statistics that are safe to show.

The workshop warned that dashboards die when organisations fear exposure: a median of three
peers practically names them. Statistics are given only when enough organisations reported, and
estimated figures are left out of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class PeerStatistics:
    count: int
    median: float | None
    q1: float | None
    q3: float | None

    @property
    def disclosed(self) -> bool:
        return self.median is not None


def peer_statistics(
    figures: pd.DataFrame, *, minimum: int = 5, exclude_estimated: bool = True
) -> PeerStatistics:
    """Median and quartiles of ``value`` over the rows, or none when fewer than ``minimum`` count."""
    usable = figures
    if exclude_estimated and len(figures):
        usable = figures[figures["status"] != "estimated"]
    values = usable["value"].dropna() if len(usable) else pd.Series(dtype="float64")
    if len(values) < minimum:
        return PeerStatistics(len(values), None, None, None)
    return PeerStatistics(
        count=len(values),
        median=float(values.median()),
        q1=float(values.quantile(0.25)),
        q3=float(values.quantile(0.75)),
    )
