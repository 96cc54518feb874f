"""Översikt: for one organisation and quarter, every metric's value and its change, and a trend."""

import streamlit as st

from metrics.progress import change_summary
from ui import reads
from ui.accessibility import chart_table, series_table
from ui.charts import show_figure, trend_figure
from ui.page import page_context
from ui.views import figure_series, no_organisation, summary_table

context = page_context()
st.title(context.t("overview.title"))
if context.organisation is None:
    no_organisation(context)
st.caption(context.t("overview.caption", organisation=context.organisation.name,
                     quarter=context.quarter.label(context.language)))

figures = reads.organisation_figures(context.url, context.version, context.organisation.id)
summary = change_summary(figures, context.metrics, context.quarter)
st.dataframe(summary_table(summary, context), hide_index=True, key="overview_table")

by_code = {m.code: m for m in context.metrics}
code = st.selectbox(context.t("overview.trend_metric"), options=list(by_code), key="overview_metric",
                    format_func=lambda c: by_code[c].name(context.language))
metric = by_code[code]
quarters, values = figure_series(figures, metric, context.quarter, 12)
chart = trend_figure(metric=metric, series=[(context.organisation.id, context.organisation.name, quarters, values)],
                     language=context.language)
show_figure(chart, key="overview_trend", alt=context.t("overview.trend_alt", metric=metric.name(context.language)))
chart_table(series_table(metric, quarters, values, context), key="overview_trend", context=context)
