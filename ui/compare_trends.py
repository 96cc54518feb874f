"""Jämför's trend view: the chosen organisations' lines over time and the own organisation's metrics
side by side as indexes, each chart followed by its figures as a table (WCAG 1.1.1).

The table lists the lines the chart draws one by one (:func:`ui.charts.individual_lines`); with
"everyone" on, the grey crowd behind them stays out of it, as it does on the chart, where it is
context rather than figures to read. Labels and values come from :func:`ui.compare.trend_series`,
so the table shows only what the disclosure rule lets the chart show.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from data.organisations import OrganisationInfo
from metrics.catalogue import MetricDefinition
from metrics.periods import Quarter
from ui import follow_up_reads
from ui.charts import Series, add_event_marks, individual_lines, show_figure, trend_figure
from ui.compare import highlighted, metric_series, nameable, trend_events, trend_series
from ui.page import PageContext
from ui.safe_text import markdown_literal
from ui.tables import show_table

SIDE_BY_SIDE = ("digital_maturity", "customer_satisfaction", "priority_lead_time")


def trend_table(series: Sequence[Series], period_heading: str, decimals: int) -> pd.DataFrame:
    """The chart's figures: a row per period, a column per line drawn on its own, rounded as shown."""
    lines = individual_lines(series)
    periods = list(lines[0].x) if lines else []
    frame = pd.DataFrame({period_heading: periods})
    for line in lines:
        frame[line.label] = [None if value is None else round(value, decimals) for value in line.y]
    return frame


def show_trends(context: PageContext, metric: MetricDefinition, figures: pd.DataFrame, scope: list[OrganisationInfo],
                mode: str) -> None:
    """The chosen organisations' lines (optionally indexed, optionally with everyone behind), then the table."""
    st.caption(context.t("compare.trends_caption", metric=metric.name(context.language)))
    choices = {o.id: o.name for o in nameable(context, scope)}
    own = highlighted(context)
    default = ([own] if own in choices else []) + [i for i in choices if i != own][:3]
    chosen = st.multiselect(context.t("compare.organisations"), options=list(choices), default=default,
                            key="compare_organisations", format_func=lambda i: choices[i])
    left, right = st.columns(2)
    indexed = left.toggle(context.t("compare.indexed"), key="compare_indexed")
    everyone = right.toggle(context.t("compare.everyone"), key="compare_everyone")
    series, unindexed = trend_series(context, metric, figures, chosen, mode, indexed, scope, everyone)
    decimals = 1 if indexed else metric.decimals
    chart = trend_figure(metric=metric, series=series, language=context.language, decimals=decimals if indexed else None,
                         y_title=context.t("compare.index_axis") if indexed else None,
                         many_label=context.t("compare.others"))
    if mode == "quarter" and not indexed:
        for name, marks, at in trend_events(context, metric, chosen, scope, series):
            add_event_marks(chart, marks, at=at, name=context.t("event.series_of", organisation=name),
                            break_label=context.t("event.chart_break"))
    show_figure(chart, key="compare_trends", alt=context.t("compare.trends_alt", metric=metric.name(context.language)))
    if unindexed:
        st.caption(context.t("compare.not_indexed", names=markdown_literal(", ".join(unindexed))))
    table = trend_table(series, period_heading(context, mode), decimals)
    if len(table.columns) > 1:
        show_table(table, key="compare_trends_table", language=context.language,
                   caption=context.t("compare.trends_table", metric=metric.name(context.language)))


def show_side_by_side(context: PageContext, metrics: dict[str, MetricDefinition], first: Quarter, mode: str) -> None:
    """The own organisation's chosen metrics as indexes (first period = 100) on one chart, then the table."""
    if context.organisation is None or highlighted(context) is None:
        return
    st.subheader(context.t("compare.side_by_side", organisation=markdown_literal(context.organisation.name)))
    codes = st.multiselect(context.t("compare.metrics"), options=list(metrics), key="compare_index_metrics",
                           default=[code for code in SIDE_BY_SIDE if code in metrics],
                           format_func=lambda code: metrics[code].name(context.language))
    everything = follow_up_reads.all_figures(context.url, context.version, first.index, context.quarter.index)
    lines, skipped = metric_series(context, [metrics[code] for code in codes], everything, mode)
    show_figure(trend_figure(series=lines, language=context.language, y_title=context.t("compare.index_axis"),
                             decimals=1), key="compare_indexed_metrics", alt=context.t("compare.indexed_alt"))
    if skipped:
        st.caption(context.t("compare.not_indexed", names=markdown_literal(", ".join(skipped))))
    table = trend_table(lines, period_heading(context, mode), 1)
    if len(table.columns) > 1:
        show_table(table, key="compare_indexed_table", language=context.language,
                   caption=context.t("compare.indexed_table", organisation=context.organisation.name))


def period_heading(context: PageContext, mode: str) -> str:
    return context.t("column.quarter" if mode == "quarter" else "column.year")
