"""Översikt: for one organisation and quarter (or year), a card per metric: value, changes,
sparkline, figure and target status; and the same as a table."""

import streamlit as st

from metrics.targets import assessments, target_statuses
from ui import follow_up_reads, reads
from ui.cards import breaks_by_id, card, overview_rows, overview_table, period_mode, sparklines
from ui.page import page_context
from ui.safe_text import markdown_literal
from ui.tables import show_table
from ui.views import no_organisation

context = page_context()
st.title(context.t("overview.title"))
if context.organisation is None:
    no_organisation(context)
left, right = st.columns(2)
with left:
    mode = period_mode(context, "overview_mode")
with right:
    order = st.segmented_control(context.t("overview.order"), options=["catalogue", "hardest"], key="overview_order",
                                 default="catalogue", required=True,
                                 format_func=lambda o: context.t(f"overview.order.{o}")) or "catalogue"
period = context.quarter.label(context.language) if mode == "quarter" else str(context.quarter.year)
st.caption(context.t("overview.caption", organisation=markdown_literal(context.organisation.name), quarter=period))

figures = reads.organisation_figures(context.url, context.version, context.organisation.id)
targets = follow_up_reads.targets(context.url, context.version, context.organisation.id)
found = assessments(targets, figures, context.quarter, breaks_by_id(context))
summary, yearly = overview_rows(context, figures, found, mode, order)
by_id = {m.id: m for m in context.metrics}

columns = st.columns(3)
lines = sparklines(figures, yearly, context, mode)
for position, (_, row) in enumerate(summary.iterrows()):
    metric = by_id[row["metric_id"]]
    with columns[position % 3]:
        card(metric, row, lines.get(metric.id or 0, []),
             target_statuses(found, context.organisation.id, metric.id), context, mode)

st.subheader(context.t("overview.as_table"))
show_table(overview_table(summary, found, context, mode), key="overview_table", language=context.language,
           caption=context.t("overview.table_caption", organisation=context.organisation.name, period=period))
