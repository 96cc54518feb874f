"""Mätetal i detalj: one metric for the organisation over time, with its target trajectories,
the peer group's median and interquartile band, a table of the same data and a CSV download."""

from functools import partial

import streamlit as st

from ui import follow_up_reads, reads
from ui.cards import period_mode
from ui.charts import show_figure
from ui.detail import chart, chosen_metric, csv_bytes, detail_frame, table, xlsx_bytes
from ui.downloads import guarded
from ui.page import page_context
from ui.safe_text import markdown_literal
from ui.tables import show_table
from ui.targets import target_summary
from ui.views import no_organisation

context = page_context()
if context.organisation is None:
    no_organisation(context)
heading = st.empty()  # the title names the metric chosen just below it
metric = chosen_metric(context)
heading.title(metric.name(context.language))
mode = period_mode(context, "detail_mode")
st.caption(context.t("detail.caption", organisation=markdown_literal(context.organisation.name),
                     quarter=context.quarter.label(context.language), direction=context.t(f"direction.{metric.direction}")))

own = reads.organisation_figures(context.url, context.version, context.organisation.id)
everyone = reads.metric_figures(context.url, context.version, metric.id, context.quarter.index - 40, context.quarter.index)
targets = follow_up_reads.targets(context.url, context.version, context.organisation.id)
frame = detail_frame(context, metric, own, everyone, targets, mode)
events = reads.events(context.url, context.version, (context.organisation.id,)) if mode == "quarter" else []

show_figure(chart(context, metric, frame, targets, events), key="detail_chart",
            alt=context.t("detail.chart_alt", metric=metric.name(context.language)))
if frame["median"].isna().all():
    st.caption(context.t("detail.peers_withheld", minimum=context.rule.minimum))
mine = targets[targets["metric_id"] == metric.id] if len(targets) else targets
if len(mine):
    show_table(target_summary(context, mine, own), key="detail_targets", language=context.language,
               caption=context.t("detail.targets_caption", metric=metric.name(context.language)))
st.subheader(context.t("detail.table"))
show_table(table(context, metric, frame, events), caption=context.t("detail.table_caption", metric=metric.name(context.language),
           organisation=context.organisation.name), key="detail_table", language=context.language)
# Made on the click (with the sign-in checked again), not on every run: the two files were a fifth of the page's run.
code, organisation_id = context.organisation.code, context.organisation.id
st.download_button(context.t("detail.download"), data=guarded(context, partial(csv_bytes, frame, metric, code)),
                   file_name=f"{code}-{metric.code}.csv", mime="text/csv", key="detail_csv", on_click="ignore")
st.download_button(context.t("event.download_xlsx"), key="detail_xlsx", on_click="ignore",
                   data=guarded(context, partial(xlsx_bytes, frame, metric, code, organisation_id, events)),
                   file_name=f"{code}-{metric.code}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
