"""Presentation pieces several pages share: translated tables and series for charts."""

from __future__ import annotations

from typing import NoReturn

import pandas as pd
import streamlit as st

from metrics.cells import optional_number, whole
from metrics.periods import Quarter
from metrics.targets import propose_10x_target
from presentation.formatting import format_value
from presentation.wording import change_text, comment_line
from ui.page import PageContext


def no_organisation(context: PageContext) -> NoReturn:
    st.info(context.t("app.no_organisations"))
    st.stop()


def status_word(status: object, context: PageContext) -> str:
    """The figure's status in words; a missing figure (None or NaN from pandas) is "no data"."""
    return context.t(f"status.{status}") if isinstance(status, str) and status else context.t("status.missing")


def summary_table(summary: pd.DataFrame, context: PageContext) -> pd.DataFrame:
    """The change summary as a table a person reads: names, formatted values and verdicts."""
    by_id = {m.id: m for m in context.metrics}
    language = context.language
    rows = []
    for row in summary.itertuples(index=False):
        metric = by_id[whole(row.metric_id)]
        rows.append({
            context.t("column.metric"): metric.name(context.language),
            context.t("column.value"): format_value(optional_number(row.value), metric.unit_kind, metric.decimals, language),
            context.t("column.change_previous"): change_text(optional_number(row.change_previous), row.improved_previous,
                                                             metric, language, getattr(row, "broken_previous", False)),
            context.t("column.change_last_year"): change_text(optional_number(row.change_last_year), row.improved_last_year,
                                                              metric, language, getattr(row, "broken_last_year", False)),
            context.t("column.figure_status"): status_word(row.status, context),
            context.t("column.comment"): comment_line(row.comment, getattr(row, "comment_by", ""),
                                                      getattr(row, "comment_at", None), language)
            if isinstance(row.comment, str) else "",
        })
    return pd.DataFrame(rows)


def target_proposals(figures: pd.DataFrame, context: PageContext) -> pd.DataFrame:
    """Per metric: the baseline (the earliest figure), the latest figure and the 10x proposal."""
    rows = []
    for metric in context.metrics:
        mine = figures[figures["metric_id"] == metric.id].sort_values("period") if len(figures) else figures
        if len(mine):
            first, latest = mine.iloc[0], mine.iloc[-1]
            baseline_quarter = Quarter.from_index(int(first["period"])).label(context.language)
            baseline = float(first["value"])
            proposal = format_value(propose_10x_target(metric, baseline), metric.unit_kind, metric.decimals, context.language)
            shown = (format_value(baseline, metric.unit_kind, metric.decimals, context.language),
                     format_value(float(latest["value"]), metric.unit_kind, metric.decimals, context.language))
        else:
            baseline_quarter, proposal, shown = "–", "–", ("–", "–")
        rows.append({
            context.t("column.metric"): metric.name(context.language),
            context.t("column.baseline_quarter"): baseline_quarter,
            context.t("column.baseline"): shown[0],
            context.t("column.latest"): shown[1],
            context.t("column.proposal_10x"): proposal,
            context.t("column.direction"): context.t(f"direction.{metric.direction}"),
        })
    return pd.DataFrame(rows)
