"""Jämför: one metric across organisations for a quarter, best first, with the peer median."""

import streamlit as st

from metrics.peers import peer_statistics
from ui import reads
from ui.charts import ranking_figure, show_figure
from ui.page import page_context
from ui.views import ranking_rows

context = page_context()
st.title(context.t("compare.title"))
by_code = {m.code: m for m in context.metrics}
code = st.selectbox(context.t("compare.metric"), options=list(by_code), key="compare_metric",
                    format_func=lambda c: by_code[c].name(context.language))
metric = by_code[code]
quarter = context.quarter
figures = reads.metric_figures(context.url, context.version, metric.id, quarter.index, quarter.index)
st.caption(context.t("compare.caption", metric=metric.name(context.language), quarter=quarter.label(context.language),
                     count=len(figures)))
if figures.empty:
    st.info(context.t("compare.no_figures"))
    st.stop()

table = ranking_rows(figures, metric, context)
stats = peer_statistics(figures, minimum=5)
chart = ranking_figure(
    metric=metric, names=table["name"].tolist(), values=table["value"].tolist(),
    highlight=table["own"].tolist(), language=context.language, median=stats.median,
    median_label=context.t("compare.median"),
)
show_figure(chart, key="compare_ranking", alt=context.t("compare.ranking_alt", metric=metric.name(context.language)))
if not stats.disclosed:
    st.caption(context.t("compare.too_few", minimum=5, count=stats.count))
st.dataframe(table[["rank", "name", "shown"]].rename(columns={
    "rank": context.t("column.rank"), "name": context.t("column.organisation"), "shown": context.t("column.value"),
}), hide_index=True, key="compare_table")
