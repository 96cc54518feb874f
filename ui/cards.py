"""What Översikt, the metric detail and Mål share: the quarter/year toggle, target statuses in
words, icons and colours, and the overview's cards.

The assessment of targets over frames lives in :mod:`metrics.targets` (the board pack uses it too);
it is re-exported here for the pages."""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Mapping
from typing import Literal

import pandas as pd
import streamlit as st

from data.events import method_changes
from metrics.breaks import breaks_by_metric
from metrics.catalogue import MetricDefinition
from metrics.cells import missing, moment, optional_number, text, whole
from metrics.changes import change_summary, hardest_first, standings
from metrics.periods import Quarter
from metrics.targets import TargetAssessment, headline_assessment, target_statuses
from metrics.yearly import yearly_summary, yearly_values
from presentation.formatting import format_value
from presentation.wording import change_text, comment_line
from presentation.wording import status_text as status_words
from ui import reads
from ui.page import PageContext
from ui.views import summary_table

MODES = ("quarter", "year")
SPARKLINE = 8
# The status colours as text on the white page: the chart palette's hues (presentation.palette.STATUS_COLOURS),
# darkened to a contrast of at least 4.5:1 (WCAG 1.4.3); the chart colours fill areas, where 3:1 suffices.
STATUS_TEXT_COLOURS = {"on_track": "#007A58", "at_risk": "#8F5F00", "off_track": "#B34E00", "no_data": "#666666"}


def period_mode(context: PageContext, key: str) -> str:
    """The quarter/year toggle each follow-up page carries (not in the sidebar: pages differ)."""
    st.session_state.setdefault(key, "quarter")
    chosen = st.segmented_control(context.t("progress.mode"), options=list(MODES), key=key, required=True,
                                  format_func=lambda mode: context.t(f"progress.mode.{mode}"))
    return chosen or "quarter"


def status_text(status: str, context: PageContext) -> str:
    """``✓ i fas``: :func:`presentation.wording.status_text` in the context's language."""
    return status_words(status, context.language)


def status_html(status: str, context: PageContext) -> str:
    """The status in its Okabe–Ito colour, with icon and word."""
    return f'<span style="color:{STATUS_TEXT_COLOURS[status]};font-weight:600">{status_text(status, context)}</span>'


def card(metric: MetricDefinition, row: pd.Series, spark: list[float], statuses: dict[str, str],
         context: PageContext, mode: str) -> None:
    """One metric's card: value, both changes with verdicts, a sparkline, figure and target status."""
    language = context.language
    delta, improved, change, label = _headline_change(metric, row, context, mode)
    with st.container(border=True, key=f"overview_card_{metric.code}"):
        st.metric(
            metric.name(language), format_value(row["value"], metric.unit_kind, metric.decimals, language),
            delta=delta, delta_color=_delta_colour(improved), delta_arrow=_arrow(change),
            delta_description=label if delta else None, help=metric.definition(language),
        )
        if spark:
            st.html(sparkline_svg(spark, metric, context))
        if mode == "quarter":
            _quarter_notes(metric, row, context)
        elif 0 < int(row["quarters"]) < 4:
            st.caption(context.t("progress.incomplete_year", count=int(row["quarters"])))
        if statuses:
            st.markdown(" · ".join(f"{context.t(f'target.kind.{kind}')}: {status_html(status, context)}"
                                   for kind, status in statuses.items()), unsafe_allow_html=True)
        else:
            st.caption(context.t("target.kind.none"))
        st.page_link("app_pages/metric_detail.py", label=context.t("overview.details"), icon=":material/show_chart:",
                     query_params={"metric": metric.code})


def _headline_change(metric: MetricDefinition, row: pd.Series, context: PageContext,
                     mode: str) -> tuple[str | None, object, object, str]:
    """The card's change (against the previous quarter, or the year against last year) as worded,
    with whether it improved, the change itself and its label."""
    if mode == "quarter":
        change, improved, label = row["change_previous"], row["improved_previous"], context.t("overview.vs_previous")
    else:
        change, improved, label = row["change"], row["improved"], context.t("overview.vs_last_year_total")
    broken = mode == "quarter" and bool(row.get("broken_previous"))
    known = broken or (change is not None and not pd.isna(change))
    return (change_text(change, improved, metric, context.language, broken) if known else None), improved, change, label


def _quarter_notes(metric: MetricDefinition, row: pd.Series, context: PageContext) -> None:
    """Under a quarter's card: the change against last year, an uncertain figure, the comment."""
    language = context.language
    yoy = change_text(row["change_last_year"], row["improved_last_year"], metric, language, row.get("broken_last_year"))
    st.caption(context.t("overview.vs_last_year", change=yoy))
    if row["status"] in ("estimated", "preliminary"):
        st.caption(context.t(f"overview.uncertain.{row['status']}"))
    if isinstance(row.get("comment"), str) and row["comment"]:
        # st.text: the comment is plain text, never markdown or HTML
        st.text(comment_line(row["comment"], row.get("comment_by", ""), row.get("comment_at"), language),
                help=context.t("event.comment_help"))


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


def _delta_colour(improved: object) -> Literal["gray", "blue", "orange"]:
    """Blue for better, orange for worse (a colour-blind-safe pair); the words say it too."""
    if missing(improved):
        return "gray"
    return "blue" if bool(improved) else "orange"


def _arrow(change: object) -> Literal["off", "up", "down"]:
    number = optional_number(change)
    if not number:
        return "off"
    return "up" if number > 0 else "down"


def year_frame(figures: pd.DataFrame, metrics: list[MetricDefinition]) -> pd.DataFrame:
    """Yearly values of these figures by each metric's rule."""
    return yearly_values(figures, {m.id or 0: m.aggregation for m in metrics})


def sparklines(figures: pd.DataFrame, yearly: pd.DataFrame, context: PageContext, mode: str) -> dict[int, list[float]]:
    """Per metric id, the last eight quarters (or years) up to the chosen one, gaps left out: one
    filter and one grouping for all cards (a filter per card was a sixth of Översikt's run)."""
    if mode == "quarter":
        last, frame, period = context.quarter.index, figures, "period"
    else:
        last, frame, period = context.quarter.year, yearly, "year"
    if not len(frame):
        return {}
    window = frame[(frame[period] <= last) & (frame[period] > last - SPARKLINE)].sort_values(period)
    return {whole(metric_id): [float(v) for v in group["value"]] for metric_id, group in window.groupby("metric_id")}


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
        summary = with_comment_authors(
            change_summary(figures, context.metrics, context.quarter, organisation_breaks(context)), figures,
            context.quarter)
    else:
        summary = yearly_summary(yearly, context.metrics, context.quarter.year)
        summary = summary.assign(improved_previous=None, improved_last_year=summary["improved"])
    if order == "hardest":
        summary = _hardest_first(summary, found, context, mode)
    return summary, yearly


def with_comment_authors(summary: pd.DataFrame, figures: pd.DataFrame, quarter: Quarter) -> pd.DataFrame:
    """The summary with who last changed each quarter's figure (and so its comment) and when."""
    cell = figures[figures["period"] == quarter.index] if len(figures) else figures
    by_metric: dict[int, tuple[str, dt.date | None]] = {
        whole(r.metric_id): (text(r.updated_by), moment(r.updated_at).date()) for r in cell.itertuples(index=False)
    } if len(cell) else {}
    ids = [whole(m) for m in summary["metric_id"]]
    return summary.assign(comment_by=[by_metric.get(m, ("", None))[0] for m in ids],
                          comment_at=pd.Series([by_metric.get(m, ("", None))[1] for m in ids], dtype="object",
                                               index=summary.index))


def organisation_breaks(context: PageContext) -> Mapping[str, list[int]]:
    """The method changes of the chosen organisation's metrics (:mod:`metrics.breaks`)."""
    assert context.organisation is not None
    events = reads.events(context.url, context.version, (context.organisation.id,))
    return breaks_by_metric([m.code for m in context.metrics], method_changes(events))


def breaks_by_id(context: PageContext) -> Mapping[int, list[int]]:
    """:func:`organisation_breaks` by metric id, as :func:`metrics.targets.assessments` takes them."""
    breaks = organisation_breaks(context)
    return {m.id or 0: breaks[m.code] for m in context.metrics if m.code in breaks}


def _hardest_first(summary: pd.DataFrame, found: Mapping[tuple[int, int, str], TargetAssessment],
                   context: PageContext, mode: str) -> pd.DataFrame:
    """The summary in :func:`metrics.changes.hardest_first` order, the same rule as the board pack."""
    assert context.organisation is not None
    headline = {}
    for metric in context.metrics:
        assessment = headline_assessment(found, context.organisation.id, int(metric.id or 0))
        if assessment is not None:
            headline[int(metric.id or 0)] = (assessment.status, assessment.progress)
    weighed = standings(summary, context.metrics, headline, "change_previous" if mode == "quarter" else "change")
    order = {item.metric_id: position for position, item in enumerate(hardest_first(weighed))}
    return summary.sort_values("metric_id", key=lambda ids: ids.map(order), kind="stable")


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
            metric = by_id[whole(row.metric_id)]
            rows.append({
                context.t("column.metric"): metric.name(context.language),
                context.t("column.value"): value_text(optional_number(row.value), metric, context),
                context.t("column.quarters"): context.t("progress.quarters_of_four", count=whole(row.quarters)),
                context.t("column.change_previous_year"): change_text(optional_number(row.change), row.improved, metric,
                                                                      context.language),
            })
        table = pd.DataFrame(rows)
    table[context.t("column.target_status")] = [
        " · ".join(f"{context.t(f'target.kind.{k}')}: {status_text(s, context)}"
                   for k, s in target_statuses(found, context.organisation.id, int(m)).items()) or "–"
        for m in summary["metric_id"]
    ]
    return table
