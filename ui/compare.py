"""Jämför's logic: who is in scope, how each organisation may be shown to this viewer, and the
views (ranking, trends, heatmap, scatter) as frames and figures.

Disclosure is decided by :mod:`metrics.disclosure`: every label that reaches a chart, a table or
a caption comes from :func:`metrics.disclosure.label_peers`, every row from
:func:`metrics.disclosure.disclosed_rows` or :func:`metrics.disclosure.anonymous_shown`, and the
peer statistics from :func:`metrics.disclosure.peer_statistics` with the context's rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from data.organisations import OrganisationInfo
from metrics.catalogue import MetricDefinition
from metrics.cells import number, whole
from metrics.changes import IndexingError, index_series, is_improvement
from metrics.disclosure import (
    PeerLabel,
    PeerStatistics,
    anonymous_shown,
    counted,
    disclosed_rows,
    label_peers,
    may_name,
    peer_statistics,
)
from metrics.disclosure import nameable as nameable_organisations
from metrics.normalisation import BASES, normalise
from metrics.peers import rank_figures
from metrics.periods import Quarter
from metrics.targets import STATUSES, assessments, headline_status
from presentation.formatting import format_value
from presentation.palette import ORGANISATION_COLOURS, organisation_colour
from presentation.wording import STATUS_ICONS
from ui import reads
from ui.cards import status_text, year_frame
from ui.charts import (
    ANONYMOUS_COLOUR,
    EventMark,
    Series,
    as_array,
    heatmap_figure,
    ranking_figure,
    scatter_figure,
    status_colourscale,
)
from ui.detail import event_marks
from ui.page import PageContext
from ui.register import within_key

VIEWS = ("ranking", "trends", "heatmap", "scatter")
TREND_QUARTERS = 12
TREND_YEARS = 4
MATURITY = "digital_maturity"


def highlighted(context: PageContext) -> int | None:
    """The organisation drawn in colour as "us": the chosen one, when it is the viewer's own (or
    the viewer is an administrator)."""
    organisation = context.organisation
    if organisation is None:
        return None
    if context.actor.is_admin or organisation.id in context.actor.organisation_ids:
        return organisation.id
    return None


def in_scope(
    context: PageContext, kinds: list[str], group: str | None, within: tuple[str, str] | None = None
) -> list[OrganisationInfo]:
    """The organisations the filters keep (kind of organisation, peer group, and ``within``: SKR's
    main group or the county, as ``("main_group", "B")`` or ``("county", "01")``)."""
    return [o for o in context.organisations if o.kind in kinds and (group is None or o.peer_group == group)
            and (within is None or within_key(o, within[0]) == within[1])]


def label_text(label: PeerLabel, context: PageContext) -> str:
    if label.name is not None:
        return label.name
    return context.t("compare.anonymous", number=label.anonymous_number or 0)


def labels_for(ids: list[int], context: PageContext, organisations: list[OrganisationInfo]) -> dict[int, str]:
    """Labels in the order given (anonymous peers are numbered in that order)."""
    names = {o.id: (o.name, o.named_comparison) for o in organisations}
    return {label.organisation_id: label_text(label, context) for label in label_peers(ids, names, context.viewer)}


def nameable(context: PageContext, organisations: list[OrganisationInfo]) -> list[OrganisationInfo]:
    """The organisations this viewer may pick by name (trends)."""
    return nameable_organisations(context.viewer, organisations)


@dataclass(frozen=True)
class Ranking:
    table: pd.DataFrame  # rank, organisation_id, label, value, shown, own, status
    statistics: PeerStatistics
    missing: tuple[str, ...]
    reported: int


def period_figures(
    figures: pd.DataFrame, metric: MetricDefinition, quarter: Quarter, mode: str
) -> pd.DataFrame:
    """The figures the ranking ranks: the quarter's, or the year's aggregated by the metric's rule
    (a year whose every figure is estimated counts as estimated for the peer statistics)."""
    if mode == "quarter":
        return figures[figures["period"] == quarter.index][["organisation_id", "value", "status"]]
    year = figures[figures["period"] // 4 == quarter.year]
    if not len(year):
        return pd.DataFrame(columns=["organisation_id", "value", "status"])
    values = year_frame(year, [metric])
    estimated = year.groupby("organisation_id")["status"].agg(lambda s: bool((s == "estimated").all()))
    values["status"] = values["organisation_id"].map(estimated).map({True: "estimated", False: "measured"})
    return values[["organisation_id", "value", "status"]]


def ranking(
    context: PageContext, metric: MetricDefinition, figures: pd.DataFrame, scope: list[OrganisationInfo], basis: str
) -> Ranking:
    """One metric across the organisations in scope, best first, with peer statistics when disclosed;
    anonymous rows only as :func:`metrics.disclosure.disclosed_rows` allows."""
    ids = {o.id for o in scope}
    mine = figures[figures["organisation_id"].isin(ids)] if len(figures) else figures
    missing: tuple[str, ...] = ()
    if basis != "none" and len(mine):
        attribute = BASES[basis][0]
        result = normalise(mine, {o.id: getattr(o, attribute) for o in scope}, basis)
        mine = result.figures
        missing = missing_names(context, scope, result.missing)
    shown = disclosed_rows(context.viewer, scope, mine, context.rule)
    ranked = rank_figures(shown, higher_is_better=metric.higher_is_better) if len(shown) else shown
    labels = labels_for([int(i) for i in ranked["organisation_id"]], context, scope) if len(ranked) else {}
    own = highlighted(context)
    decimals = metric.decimals if basis == "none" else 2
    unit_kind = metric.unit_kind if basis == "none" else "count"
    table = pd.DataFrame({
        "rank": ranked["rank"].tolist() if len(ranked) else [],
        "organisation_id": ranked["organisation_id"].tolist() if len(ranked) else [],
        "label": [labels[int(i)] for i in ranked["organisation_id"]] if len(ranked) else [],
        "value": ranked["value"].tolist() if len(ranked) else [],
        "shown": [format_value(v, unit_kind, decimals, context.language) for v in ranked["value"]] if len(ranked) else [],
        "own": (ranked["organisation_id"] == own).tolist() if len(ranked) else [],
        "status": ranked["status"].tolist() if len(ranked) else [],
    })
    statistics = peer_statistics(mine, context.rule)
    return Ranking(table, statistics, missing, len(mine))


def missing_names(context: PageContext, scope: list[OrganisationInfo], ids: tuple[int, ...]) -> tuple[str, ...]:
    """Who lacks a denominator: named ones by name, the rest only counted (numbering them would
    clash with the anonymous numbers of the ranking beside it)."""
    by_id = {o.id: o for o in scope}
    named = sorted(by_id[i].name for i in ids if may_name(context.viewer, i, by_id[i].named_comparison))
    anonymous = len(ids) - len(named)
    return (*named, *([context.t("compare.anonymous_count", count=anonymous)] if anonymous else []))


def ranking_chart(context: PageContext, metric: MetricDefinition, result: Ranking, basis: str) -> go.Figure:
    """The ranking's figure; above :data:`ui.charts.COMPACT_RANKING` organisations a compact distribution."""
    stats = result.statistics
    band = (stats.q1, stats.q3) if stats.q1 is not None and stats.q3 is not None else None
    x_title = metric.unit(context.language) if basis == "none" else context.t(f"compare.basis.{basis}")
    return ranking_figure(
        metric=metric, names=result.table["label"].tolist(), values=result.table["value"].tolist(),
        highlight=result.table["own"].tolist(), language=context.language, median=stats.median,
        median_label=context.t("compare.median"), band=band, band_label=context.t("compare.iqr"), x_title=x_title,
        rank_title=context.t("compare.rank_axis"), ranks=[int(r) for r in result.table["rank"]],
    )


def ranking_table(context: PageContext, result: Ranking) -> pd.DataFrame:
    """The ranking in words; estimated figures are ranked but marked, as the median leaves them out."""
    return pd.DataFrame({
        context.t("column.rank"): result.table["rank"],
        context.t("column.organisation"): result.table["label"],
        context.t("column.value"): result.table["shown"],
        context.t("column.figure_status"): [context.t(f"status.{s}") if s in ("measured", "estimated", "preliminary")
                                            else "–" for s in result.table["status"]],
    })


def own_rank(context: PageContext, result: Ranking) -> str | None:
    """"Your rank: 3 of 11" — each organisation sees where it stands among the anonymous peers."""
    mine = result.table[result.table["own"]]
    if not len(mine):
        return None
    return context.t("compare.own_rank", rank=int(mine["rank"].iloc[0]), count=len(result.table))


def trend_series(
    context: PageContext, metric: MetricDefinition, figures: pd.DataFrame, chosen: list[int], mode: str, indexed: bool,
    scope: list[OrganisationInfo], everyone: bool = False,
) -> tuple[list[Series], list[str]]:
    """One line per chosen organisation over the last 12 quarters (or 4 years), optionally indexed
    (first period = 100), and with ``everyone`` the rest of the scope as grey lines behind them
    (anonymous unless the viewer may name them); also the labels of lines that could not be indexed."""
    periods, values = _periods(context, metric, figures, mode)
    named = {o.id for o in nameable(context, scope)}
    values = _disclosed_values(context, values, named)
    # By id, not by name: the order of anonymous numbers must not hint at the alphabet.
    shown = anonymous_shown(context.viewer, scope, context.rule)
    rest = sorted(o.id for o in shown if o.id not in chosen) if everyone else []
    labels = labels_for(chosen + rest, context, scope)
    grouped = {whole(k): g for k, g in values.groupby("organisation_id")} if len(values) else {}
    series, unindexed = [], []
    for organisation_id in chosen + rest:
        mine = grouped.get(organisation_id)
        by_period = {int(p): float(v) for p, v in zip(mine["key"], mine["value"], strict=True)} if mine is not None else {}
        if indexed:
            try:
                by_period = _indexed(by_period, periods[0][0], mode)
            except IndexingError:
                unindexed.append(labels[organisation_id])
                continue
        colour = organisation_colour(organisation_id) if organisation_id in named else ANONYMOUS_COLOUR
        series.append(Series(labels[organisation_id], [p[1] for p in periods], [by_period.get(p[0]) for p in periods],
                             colour, highlight=organisation_id in chosen))
    return series, unindexed


def trend_events(context: PageContext, metric: MetricDefinition, chosen: list[int], scope: list[OrganisationInfo],
                 series: list[Series]) -> list[tuple[str, list[EventMark], dict[str, float]]]:
    """Per chosen organisation the viewer may see by name (:func:`nameable`, the disclosure rule):
    its events concerning the metric as marks, with its line's values to place them on."""
    named = {o.id: o.name for o in nameable(context, scope)}
    allowed = tuple(sorted(i for i in chosen if i in named))
    if not allowed:
        return []
    events = reads.events(context.url, context.version, allowed)
    lines = {line.label: line for line in series}
    found = []
    for organisation_id in allowed:
        mine = [e for e in events if e.organisation_id == organisation_id]
        marks = [replace(mark, text=f"{named[organisation_id]} · {mark.text}")
                 for mark in event_marks(context, mine, metric)]
        line = lines.get(named[organisation_id])
        at = {x: y for x, y in zip(line.x, line.y, strict=True) if y is not None} if line else {}
        if marks:
            found.append((named[organisation_id], marks, at))
    return found


def _disclosed_values(context: PageContext, values: pd.DataFrame, named: set[int]) -> pd.DataFrame:
    """Named organisations' values all; anonymous ones only those that count under the rule."""
    if not len(values) or "status" not in values:
        return values
    anonymous = ~values["organisation_id"].isin(named)
    return values[~anonymous | values.index.isin(counted(values, context.rule).index)]


def _indexed(values: dict[int, float], first_key: int, mode: str) -> dict[int, float]:
    """Index a series (quarter indexes or years as keys) with its first period in the window = 100."""
    if mode == "quarter":
        return index_series(values, Quarter.from_index(first_key))[1]
    return _index_years(values, first_key)[1]


def metric_series(context: PageContext, metrics: list[MetricDefinition], figures: pd.DataFrame, mode: str) -> tuple[
        list[Series], list[str]]:
    """Several metrics of the chosen organisation, indexed (first period = 100), to set units side by side."""
    assert context.organisation is not None
    series, unindexed = [], []
    for position, metric in enumerate(metrics):
        mine = figures[figures["organisation_id"] == context.organisation.id]
        periods, values = _periods(context, metric, mine, mode)
        by_period = {int(p): float(v) for p, v in zip(values["key"], values["value"], strict=True)} if len(values) else {}
        try:
            by_period = _indexed(by_period, periods[0][0], mode)
        except IndexingError:
            unindexed.append(metric.name(context.language))
            continue
        series.append(Series(metric.name(context.language), [p[1] for p in periods], [by_period.get(p[0]) for p in periods],
                             ORGANISATION_COLOURS[position % len(ORGANISATION_COLOURS)]))
    return series, unindexed


def _index_years(values: dict[int, float], first_year: int) -> tuple[int, dict[int, float]]:
    """Years indexed with the same rule as quarters (years stand in for quarter indexes here)."""
    as_quarters = {year * 4: value for year, value in values.items()}
    base, indexed = index_series(as_quarters, Quarter(first_year, 1))
    return base.year, {key // 4: value for key, value in indexed.items()}


def _periods(context: PageContext, metric: MetricDefinition, figures: pd.DataFrame, mode: str) -> tuple[
        list[tuple[int, str]], pd.DataFrame]:
    """The periods on the axis as (key, label), and the figures keyed by them (quarter index or year)."""
    mine = figures[figures["metric_id"] == metric.id] if len(figures) else figures
    if mode == "quarter":
        quarters = [context.quarter - offset for offset in reversed(range(TREND_QUARTERS))]
        keyed = mine.assign(key=mine["period"]) if len(mine) else pd.DataFrame(columns=["organisation_id", "key", "value"])
        return [(q.index, q.label(context.language)) for q in quarters], keyed
    years = list(range(context.quarter.year - TREND_YEARS + 1, context.quarter.year + 1))
    yearly = year_frame(mine, [metric]) if len(mine) else pd.DataFrame(columns=["organisation_id", "year", "value"])
    return [(y, str(y)) for y in years], yearly.rename(columns={"year": "key"})


@dataclass(frozen=True)
class Heatmap:
    rows: list[str]
    columns: list[str]
    z: list[list[float | None]]
    text: list[list[str]]
    words: list[list[str]]


def heat_order(context: PageContext, scope: list[OrganisationInfo]) -> list[int]:
    """Rows: ours first, then named organisations by name, then anonymous peers (numbered in turn)."""
    own = highlighted(context)
    named_ids = {o.id for o in nameable(context, scope)}
    shown = anonymous_shown(context.viewer, scope, context.rule)
    named = sorted((o for o in shown if o.id != own and o.id in named_ids), key=lambda o: o.name)
    anonymous = sorted((o for o in shown if o.id != own and o.id not in named_ids), key=lambda o: o.id)
    return ([own] if own is not None and own in {o.id for o in scope} else []) + [o.id for o in named] + \
        [o.id for o in anonymous]


def status_heatmap(context: PageContext, scope: list[OrganisationInfo], targets: pd.DataFrame,
                   figures: pd.DataFrame) -> Heatmap:
    """Organisations × metrics by target status as of the chosen quarter (– where no target)."""
    order = heat_order(context, scope)
    labels = labels_for(order, context, scope)
    mine = targets[targets["organisation_id"].isin(order)] if len(targets) else targets
    found = assessments(mine, figures, context.quarter)
    code = {"no_data": 0.5, "off_track": 1.5, "at_risk": 2.5, "on_track": 3.5}
    z, text, words = [], [], []
    for organisation_id in order:
        statuses = [headline_status(found, organisation_id, m.id or 0) for m in context.metrics]
        z.append([code[s] if s else None for s in statuses])
        text.append([STATUS_ICONS[s] if s else "" for s in statuses])
        words.append([status_text(s, context) if s else "" for s in statuses])
    return Heatmap([labels[i] for i in order], [m.name(context.language) for m in context.metrics], z, text, words)


def change_heatmap(context: PageContext, scope: list[OrganisationInfo], figures: pd.DataFrame, mode: str) -> Heatmap:
    """Organisations × metrics by change against last year: better, worse, unchanged, or no data."""
    order = heat_order(context, scope)
    labels = labels_for(order, context, scope)
    values = _comparable_values(context, figures, mode)
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    words: list[list[str]] = []
    for organisation_id in order:
        row_z: list[float | None] = []
        row_text: list[str] = []
        row_words: list[str] = []
        for metric in context.metrics:
            now = values.get((organisation_id, metric.id or 0, 0))
            before = values.get((organisation_id, metric.id or 0, 1))
            if now is None or before is None:
                row_z.append(None)
                row_text.append("–")
                row_words.append(context.t("target.status.no_data"))
                continue
            change = now - before
            better = is_improvement(change, metric)
            row_z.append(0.0 if better is None else (1.0 if better else -1.0))
            row_text.append("=" if better is None else ("▲" if change > 0 else "▼"))
            row_words.append(context.t("compare.unchanged") if better is None else
                             context.t("change.better" if better else "change.worse"))
        z.append(row_z)
        text.append(row_text)
        words.append(row_words)
    return Heatmap([labels[i] for i in order], [m.name(context.language) for m in context.metrics], z, text, words)


def _comparable_values(context: PageContext, figures: pd.DataFrame, mode: str) -> dict[tuple[int, int, int], float]:
    """(organisation, metric, 0 now / 1 a year before) → value, by quarter or by year."""
    result: dict[tuple[int, int, int], float] = {}
    if not len(figures):
        return result
    if mode == "quarter":
        wanted = {context.quarter.index: 0, context.quarter.same_quarter_last_year.index: 1}
        subset = figures[figures["period"].isin(list(wanted))]
        for row in subset.itertuples(index=False):
            result[(whole(row.organisation_id), whole(row.metric_id), wanted[whole(row.period)])] = number(row.value)
        return result
    yearly = year_frame(figures, context.metrics)
    wanted = {context.quarter.year: 0, context.quarter.year - 1: 1}
    for row in yearly[yearly["year"].isin(list(wanted))].itertuples(index=False):
        result[(whole(row.organisation_id), whole(row.metric_id), wanted[whole(row.year)])] = number(row.value)
    return result


def heatmap_chart(context: PageContext, heatmap: Heatmap, by: str) -> go.Figure:
    if by == "status":
        return heatmap_figure(rows=heatmap.rows, columns=heatmap.columns, z=heatmap.z, text=heatmap.text,
                              colourscale=status_colourscale(), zmin=0, zmax=4, language=context.language,
                              hover="%{y} · %{x}: %{customdata}<extra></extra>") \
            .update_traces(customdata=as_array(heatmap.words))
    scale = [(0.0, "#D55E00"), (0.33, "#D55E00"), (0.34, "#dddddd"), (0.66, "#dddddd"), (0.67, "#0072B2"), (1.0, "#0072B2")]
    return heatmap_figure(rows=heatmap.rows, columns=heatmap.columns, z=heatmap.z, text=heatmap.text,
                          colourscale=scale, zmin=-1.5, zmax=1.5, language=context.language,
                          hover="%{y} · %{x}: %{customdata}<extra></extra>").update_traces(customdata=as_array(heatmap.words))


def heatmap_table(context: PageContext, heatmap: Heatmap) -> pd.DataFrame:
    """The heatmap in words: the accessible alternative."""
    frame = pd.DataFrame(heatmap.words, columns=heatmap.columns)
    frame.insert(0, context.t("column.organisation"), heatmap.rows)
    return frame


def scatter(context: PageContext, metric: MetricDefinition, maturity: MetricDefinition, figures: pd.DataFrame,
            scope: list[OrganisationInfo], mode: str) -> tuple[go.Figure, pd.DataFrame]:
    """Digital maturity against another metric, one dot per organisation in scope."""
    ids = [o.id for o in scope]
    x_values = _values_by_organisation(context, maturity, figures, mode)
    y_values = _values_by_organisation(context, metric, figures, mode)
    both = {i for i in ids if i in x_values and i in y_values}
    shown = {o.id for o in anonymous_shown(context.viewer, [o for o in scope if o.id in both], context.rule)}
    ranked = sorted((i for i in ids if i in shown), key=lambda i: y_values[i], reverse=metric.higher_is_better)
    labels = labels_for(ranked, context, scope)
    named = {o.id for o in nameable(context, scope)}
    colours = [organisation_colour(i) if i in named else ANONYMOUS_COLOUR for i in ranked]
    figure = scatter_figure(
        x=[x_values[i] for i in ranked], y=[y_values[i] for i in ranked], labels=[labels[i] for i in ranked],
        colours=colours, x_title=maturity.name(context.language), y_title=metric.name(context.language),
        language=context.language, x_decimals=maturity.decimals, y_decimals=metric.decimals,
        highlight=[i == highlighted(context) for i in ranked],
    )
    table = pd.DataFrame({
        context.t("column.organisation"): [labels[i] for i in ranked],
        maturity.name(context.language): [format_value(x_values[i], maturity.unit_kind, maturity.decimals, context.language)
                                          for i in ranked],
        metric.name(context.language): [format_value(y_values[i], metric.unit_kind, metric.decimals, context.language)
                                        for i in ranked],
    })
    if maturity.code == metric.code:
        table = table.iloc[:, :2]
    return figure, table


def _values_by_organisation(context: PageContext, metric: MetricDefinition, figures: pd.DataFrame, mode: str) -> dict[int, float]:
    mine = figures[figures["metric_id"] == metric.id] if len(figures) else figures
    chosen = period_figures(mine, metric, context.quarter, mode) if len(mine) else mine
    return {int(o): float(v) for o, v in zip(chosen["organisation_id"], chosen["value"], strict=True)} if len(chosen) else {}


def status_legend(context: PageContext) -> str:
    return " · ".join(status_text(s, context) for s in STATUSES)
