"""What Översikt, the metric detail and Mål share: the quarter/year toggle, target statuses in
words, icons and colours, and the overview's cards.

The assessment of targets over frames lives in :mod:`metrics.targets` (the board pack uses it too);
it is re-exported here for the pages."""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from metrics.catalogue import MetricDefinition
from metrics.progress import Standing, change_summary, hardest_first, relative_change, worse
from metrics.targets import TargetAssessment, headline_assessment, target_statuses
from metrics.yearly import yearly_summary, yearly_values
from ui.formatting import format_value
from ui.page import PageContext
from ui.views import summary_table
from ui.wording import change_text
from ui.wording import status_text as status_words

MODES = ("quarter", "year")
SPARKLINE = 8
# The status colours as text on the white page: the chart palette's hues (ui.charts.STATUS_COLOURS),
# darkened to a contrast of at least 4.5:1 (WCAG 1.4.3); the chart colours fill areas, where 3:1 suffices.
STATUS_TEXT_COLOURS = {"on_track": "#007A58", "at_risk": "#8F5F00", "off_track": "#B34E00", "no_data": "#666666"}


def period_mode(context: PageContext, key: str) -> str:
    """The quarter/year toggle each follow-up page carries (not in the sidebar: pages differ)."""
    st.session_state.setdefault(key, "quarter")
    chosen = st.segmented_control(context.t("progress.mode"), options=list(MODES), key=key, required=True,
                                  format_func=lambda mode: context.t(f"progress.mode.{mode}"))
    return chosen or "quarter"


def status_text(status: str, context: PageContext) -> str:
    """``✓ i fas``: :func:`ui.wording.status_text` in the context's language."""
    return status_words(status, context.language)


def status_html(status: str, context: PageContext) -> str:
    """The status in its Okabe–Ito colour, with icon and word."""
    return f'<span style="color:{STATUS_TEXT_COLOURS[status]};font-weight:600">{status_text(status, context)}</span>'


def card(metric: MetricDefinition, row: pd.Series, spark: list[float], statuses: dict[str, str],
         context: PageContext, mode: str) -> None:
    """One metric's card: value, both changes with verdicts, a sparkline, figure and target status."""
    language = context.language
    value = row["value"]
    if mode == "quarter":
        first, first_improved = row["change_previous"], row["improved_previous"]
        first_label = context.t("overview.vs_previous")
    else:
        first, first_improved = row["change"], row["improved"]
        first_label = context.t("overview.vs_last_year_total")
    delta = None
    if first is not None and not pd.isna(first):
        delta = change_text(first, first_improved, metric, language)
    with st.container(border=True, key=f"overview_card_{metric.code}"):
        st.metric(
            metric.name(language), format_value(value, metric.unit_kind, metric.decimals, language),
            delta=delta, delta_color=_delta_colour(first_improved), delta_arrow=_arrow(first),
            delta_description=first_label if delta else None, help=metric.definition(language),
        )
        if spark:
            st.html(sparkline_svg(spark, metric, context))
        if mode == "quarter":
            yoy = change_text(row["change_last_year"], row["improved_last_year"], metric, language)
            st.caption(context.t("overview.vs_last_year", change=yoy))
            if row["status"] in ("estimated", "preliminary"):
                st.caption(context.t(f"overview.uncertain.{row['status']}"))
        elif 0 < int(row["quarters"]) < 4:
            st.caption(context.t("progress.incomplete_year", count=int(row["quarters"])))
        if statuses:
            st.markdown(" · ".join(f"{context.t(f'target.kind.{kind}')}: {status_html(status, context)}"
                                   for kind, status in statuses.items()), unsafe_allow_html=True)
        else:
            st.caption(context.t("target.kind.none"))
        st.page_link("app_pages/metric_detail.py", label=context.t("overview.details"), icon=":material/show_chart:",
                     query_params={"metric": metric.code})


def sparkline_svg(values: list[float], metric: MetricDefinition, context: PageContext) -> str:
    """The card's sparkline as a small SVG picture whose text alternative lists the values it draws.

    Streamlit's own (``st.metric(chart_data=...)``) is a Vega-Lite chart with an empty
    ``<form class="vega-bindings">`` (a form without a submit button, WCAG 3.2.2 H32.2) and an
    unnamed ``<svg role="img">``; this one is an ``<img>`` with ``alt`` (st.html's sanitiser drops inline
    SVG, so the SVG travels as a data: URL, which the CSP's img-src allows) and nothing else."""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = 100 / max(len(values) - 1, 1)
    points = " ".join(f"{i * step:.1f},{28 - (v - low) / span * 26:.1f}" for i, v in enumerate(values))
    shown = "; ".join(value_text(v, metric, context) for v in values)
    label = html.escape(context.t("a11y.sparkline", values=shown), quote=True)
    picture = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 30" preserveAspectRatio="none">'
               f'<polyline points="{points}" fill="none" stroke="#005A8C" stroke-width="2" '
               'vector-effect="non-scaling-stroke"/></svg>')
    source = "data:image/svg+xml;base64," + base64.b64encode(picture.encode()).decode()
    return f'<img src="{source}" alt="{label}" width="100%" height="36" style="display:block">'


def _delta_colour(improved: object) -> str:
    """Blue for better, orange for worse (a colour-blind-safe pair); the words say it too."""
    if improved is None or pd.isna(improved):
        return "gray"
    return "blue" if bool(improved) else "orange"


def _arrow(change: object) -> str:
    if change is None or pd.isna(change) or change == 0:
        return "off"
    return "up" if float(change) > 0 else "down"  # type: ignore[arg-type]


def year_frame(figures: pd.DataFrame, metrics: list[MetricDefinition]) -> pd.DataFrame:
    """Yearly values of these figures by each metric's rule."""
    return yearly_values(figures, {m.id or 0: m.aggregation for m in metrics})


def sparkline(figures: pd.DataFrame, yearly: pd.DataFrame, metric_id: int, context: PageContext, mode: str) -> list[float]:
    """The last eight quarters (or years) up to the chosen one, gaps left out."""
    if mode == "quarter":
        last = context.quarter.index
        mine = figures[(figures["metric_id"] == metric_id) & (figures["period"] <= last) & (figures["period"] > last - SPARKLINE)]
        return [float(v) for v in mine.sort_values("period")["value"]]
    year = context.quarter.year
    mine = yearly[(yearly["metric_id"] == metric_id) & (yearly["year"] <= year) & (yearly["year"] > year - SPARKLINE)]
    return [float(v) for v in mine.sort_values("year")["value"]]


def value_text(value: float | None, metric: MetricDefinition, context: PageContext) -> str:
    return format_value(value, metric.unit_kind, metric.decimals, context.language)


def overview_rows(
    context: PageContext, figures: pd.DataFrame, found: Mapping[tuple[int, int, str], TargetAssessment], mode: str, order: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows the cards and the table show, in the chosen order, and the yearly frame."""
    assert context.organisation is not None
    yearly = year_frame(figures, context.metrics) if len(figures) else pd.DataFrame(
        columns=["organisation_id", "metric_id", "year", "value", "quarters", "complete"])
    if mode == "quarter":
        summary = change_summary(figures, context.metrics, context.quarter)
    else:
        summary = yearly_summary(yearly, context.metrics, context.quarter.year)
        summary = summary.assign(improved_previous=None, improved_last_year=summary["improved"])
    if order == "hardest":
        summary = _hardest_first(summary, found, context, mode)
    return summary, yearly


def _hardest_first(summary: pd.DataFrame, found: Mapping[tuple[int, int, str], TargetAssessment],
                   context: PageContext, mode: str) -> pd.DataFrame:
    """The summary in :func:`metrics.progress.hardest_first` order, the same rule as the board pack."""
    assert context.organisation is not None
    by_id = {m.id: m for m in context.metrics}
    standings = []
    for row in summary.itertuples(index=False):
        assessment = headline_assessment(found, context.organisation.id, int(row.metric_id))
        change, previous = (row.change_previous, row.previous) if mode == "quarter" else (row.change, row.previous)
        standings.append(Standing(
            int(row.metric_id), assessment.status if assessment else None, assessment.progress if assessment else None,
            worse(row.improved_previous) or worse(row.improved_last_year),
            relative_change(_number(change), _number(previous), by_id[row.metric_id]),
        ))
    order = {item.metric_id: position for position, item in enumerate(hardest_first(standings))}
    return summary.sort_values("metric_id", key=lambda ids: ids.map(order), kind="stable")


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def overview_table(summary: pd.DataFrame, found: Mapping[tuple[int, int, str], TargetAssessment],
                   context: PageContext, mode: str) -> pd.DataFrame:
    """The accessible alternative to the cards: the same numbers and words as a table."""
    assert context.organisation is not None
    by_id = {m.id: m for m in context.metrics}
    if mode == "quarter":
        table = summary_table(summary, context)
    else:
        rows = []
        for row in summary.itertuples(index=False):
            metric = by_id[row.metric_id]
            rows.append({
                context.t("column.metric"): metric.name(context.language),
                context.t("column.value"): value_text(row.value, metric, context),
                context.t("column.quarters"): context.t("progress.quarters_of_four", count=int(row.quarters)),
                context.t("column.change_previous_year"): change_text(row.change, row.improved, metric, context.language),
            })
        table = pd.DataFrame(rows)
    table[context.t("column.target_status")] = [
        " · ".join(f"{context.t(f'target.kind.{k}')}: {status_text(s, context)}"
                   for k, s in target_statuses(found, context.organisation.id, int(m)).items()) or "–"
        for m in summary["metric_id"]
    ]
    return table
