"""Peer statistics that are safe to show.

The workshop warned that dashboards die when organisations fear exposure: a median of three
peers practically names them. Statistics are given only when enough organisations reported, and
estimated figures are left out of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


def disclosed_statistics(
    figures: pd.DataFrame, *, minimum: int, exclude_estimated: bool
) -> PeerStatistics:
    """:func:`peer_statistics` with the thresholds spelled out: the settings decide them, not the page."""
    return peer_statistics(figures, minimum=minimum, exclude_estimated=exclude_estimated)


def rank_figures(figures: pd.DataFrame, *, higher_is_better: bool) -> pd.DataFrame:
    """The figures best first with a ``rank`` (ties share the better rank: 1, 2, 2, 4)."""
    ordered = figures.sort_values(["value", "organisation_id"], ascending=[not higher_is_better, True], kind="stable")
    ranks = ordered["value"].rank(method="min", ascending=not higher_is_better)
    return ordered.assign(rank=ranks.astype("int64").to_numpy()).reset_index(drop=True)


@dataclass(frozen=True)
class PeerLabel:
    """How one organisation is shown to a viewer: by name, or as an anonymous peer with a number."""

    organisation_id: int
    name: str | None
    anonymous_number: int | None
    own: bool

    @property
    def anonymous(self) -> bool:
        return self.name is None


@dataclass(frozen=True)
class Disclosure:
    """Who is looking: their own organisations, and whether they see every name (administrators)."""

    own: frozenset[int]
    sees_all: bool = False

    def may_name(self, organisation_id: int, opted_in: bool) -> bool:
        return self.sees_all or opted_in or organisation_id in self.own


def label_peers(
    organisation_ids: Sequence[int], names: Mapping[int, tuple[str, bool]], disclosure: Disclosure
) -> list[PeerLabel]:
    """Labels in the given order (usually best first): names only for organisations that opted in
    to named comparison, the viewer's own, or for administrators; others are numbered anonymous
    peers in that same order, so the numbers carry no identity beyond the ranking itself.

    ``names`` maps id to ``(name, named_comparison)``.
    """
    labels: list[PeerLabel] = []
    anonymous = 0
    for organisation_id in organisation_ids:
        name, opted_in = names.get(organisation_id, ("", False))
        own = organisation_id in disclosure.own
        if disclosure.may_name(organisation_id, opted_in):
            labels.append(PeerLabel(organisation_id, name, None, own))
        else:
            anonymous += 1
            labels.append(PeerLabel(organisation_id, None, anonymous, own))
    return labels
