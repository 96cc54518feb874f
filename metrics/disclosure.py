"""Who may see what: the disclosure rule, decided here and nowhere else.

The workshop warned that comparison dies when organisations fear exposure, so every output (pages,
charts, downloads, import messages, the board pack, the CLI) asks this module:

- **Names.** Administrators see every organisation by name. Editors and viewers see by name their
  own organisations and those that opted in to named comparison; every other organisation is an
  anonymous peer.
- **Opening.** Editors and viewers open (choose in the sidebar, read the figures, history, targets
  and board pack of) only their own organisations; administrators any. Opted-in organisations
  appear by name in comparisons, not with their history and comments.
- **Peer statistics.** A median and quartiles are shown for a metric and period only when at least
  ``Rule.minimum`` organisations count; estimated figures do not count when ``Rule.exclude_estimated``.
- **Anonymous rows.** An anonymous organisation's own value appears only inside a set that meets the
  same minimum, and only when it counts: a filter down to one organisation never shows it alone.

Pure: the viewer, the organisations, the figures and the rule's settings (read once at the edge,
``data.settings``) come in as arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

import pandas as pd

ADMIN = "admin"


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the role and the organisations they belong to."""

    role: str
    own: frozenset[int] = frozenset()

    @property
    def sees_all(self) -> bool:
        return self.role == ADMIN


@dataclass(frozen=True)
class Rule:
    """The rule's settings: how many organisations must count, whether estimates count, and —
    when peer statistics rest only on vouched figures (``EFFEKT_PEER_SIGNED_OFF_ONLY``) — the
    (organisation id, quarter index) cells that are signed off; None: every quarter counts."""

    minimum: int = 5
    exclude_estimated: bool = True
    signed_off: frozenset[tuple[int, int]] | None = None


class Organisation(Protocol):
    """What the rule needs to know of an organisation (``data.organisations.OrganisationInfo`` fits)."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def named_comparison(self) -> bool: ...
    @property
    def peer_group(self) -> str | None: ...


Org = TypeVar("Org", bound=Organisation)


def may_name(viewer: Viewer, organisation_id: int, opted_in: bool) -> bool:
    """Whether the viewer may see this organisation's name (and its values under that name)."""
    return viewer.sees_all or opted_in or organisation_id in viewer.own


def may_open(viewer: Viewer, organisation_id: int) -> bool:
    """Whether the viewer may open this organisation's own pages, downloads and board pack."""
    return viewer.sees_all or organisation_id in viewer.own


def openable(viewer: Viewer, organisations: Iterable[Org]) -> list[Org]:
    """The organisations the viewer may open, in the given order (the sidebar's options)."""
    return [o for o in organisations if may_open(viewer, o.id)]


def nameable(viewer: Viewer, organisations: Iterable[Org]) -> list[Org]:
    """The organisations the viewer may see by name, in the given order."""
    return [o for o in organisations if may_name(viewer, o.id, o.named_comparison)]


def shown_names(viewer: Viewer, organisations: Iterable[Organisation]) -> dict[int, str | None]:
    """Each organisation's name as the viewer may see it; None where it must stay anonymous."""
    return {o.id: o.name if may_name(viewer, o.id, o.named_comparison) else None for o in organisations}


def peer_group(organisation: Organisation, organisations: Iterable[Org]) -> list[Org]:
    """The organisations an organisation is compared with, for every metric: those of its peer
    group, or everyone when it has none. Mätetal i detalj and the board pack both use this."""
    group = organisation.peer_group
    return [o for o in organisations if group is None or o.peer_group == group]


def counted(figures: pd.DataFrame, rule: Rule) -> pd.DataFrame:
    """The figures that count for peer statistics: a value, and not estimated when the rule says so."""
    if not len(figures):
        return figures
    usable = figures[figures["value"].notna()]
    if rule.exclude_estimated and "status" in usable:
        usable = usable[usable["status"] != "estimated"]
    if rule.signed_off is not None:
        cells = zip(usable["organisation_id"].astype(int), usable["period"].astype(int), strict=True)
        usable = usable[[cell in rule.signed_off for cell in cells]]
    return usable


def statistics_disclosed(count: int, rule: Rule) -> bool:
    """Whether an aggregate over ``count`` counted organisations may be shown."""
    return count >= max(rule.minimum, 1)


@dataclass(frozen=True)
class PeerStatistics:
    count: int
    median: float | None
    q1: float | None
    q3: float | None

    @property
    def disclosed(self) -> bool:
        return self.median is not None


def peer_statistics(figures: pd.DataFrame, rule: Rule) -> PeerStatistics:
    """Median and quartiles of ``value`` over the figures that count, or none below the minimum."""
    values = counted(figures, rule)["value"] if len(figures) else pd.Series(dtype="float64")
    if not statistics_disclosed(len(values), rule):
        return PeerStatistics(len(values), None, None, None)
    return PeerStatistics(len(values), float(values.median()), float(values.quantile(0.25)),
                          float(values.quantile(0.75)))


def disclosed_rows(
    viewer: Viewer, organisations: Iterable[Organisation], figures: pd.DataFrame, rule: Rule
) -> pd.DataFrame:
    """The rows of ``figures`` (one per organisation) the viewer may see one by one: every row of
    an organisation it may name; an anonymous row only when it counts and the counted rows meet
    the minimum (so a filter down to a few organisations shows no single anonymous value)."""
    if not len(figures):
        return figures
    named = {o.id for o in nameable(viewer, organisations)}
    is_named = figures["organisation_id"].isin(named)
    counting = figures.index.isin(counted(figures, rule).index)
    anonymous_ok = statistics_disclosed(int(counting.sum()), rule)
    return figures[is_named | (counting & anonymous_ok)]


def anonymous_shown(viewer: Viewer, organisations: Sequence[Org], rule: Rule) -> list[Org]:
    """The organisations of a set that may appear one by one: the named ones, and the anonymous
    ones only when the whole set meets the minimum (rows per organisation without a single value,
    such as target statuses)."""
    if statistics_disclosed(len(organisations), rule):
        return list(organisations)
    return nameable(viewer, organisations)


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


def label_peers(
    organisation_ids: Sequence[int], names: Mapping[int, tuple[str, bool]], viewer: Viewer
) -> list[PeerLabel]:
    """Labels in the given order (usually best first): names where :func:`may_name` allows; others
    are numbered anonymous peers in that same order, so the numbers carry no identity beyond the
    ranking itself. ``names`` maps id to ``(name, named_comparison)``."""
    labels: list[PeerLabel] = []
    anonymous = 0
    for organisation_id in organisation_ids:
        name, opted_in = names.get(organisation_id, ("", False))
        own = organisation_id in viewer.own
        if may_name(viewer, organisation_id, opted_in):
            labels.append(PeerLabel(organisation_id, name, None, own))
        else:
            anonymous += 1
            labels.append(PeerLabel(organisation_id, None, anonymous, own))
    return labels
