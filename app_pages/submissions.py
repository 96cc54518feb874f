"""Inrapportering: for the chosen quarter, who has reported how many metrics, who signed off, the
deadline, national completion over the last quarters, and what is uncertain."""

import streamlit as st

from ui.page import page_context
from ui.rounds import admin_controls, deadline_caption, round_columns, round_state, show_completion, signoff_controls
from ui.submissions import quarter_figures, status_table, uncertain_table
from ui.tables import show_table

context = page_context()
st.title(context.t("reporting.title"))
st.caption(context.t("reporting.caption", quarter=context.quarter.label(context.language), total=len(context.metrics)))
deadline, _ = round_state(context.url, context.version, context.quarter.index)
st.caption(deadline_caption(context, deadline))
figures = quarter_figures(context.url, context.version, context.quarter.index)
table = status_table(context, figures, extra=round_columns)
if table.empty:
    st.info(context.t("app.no_organisations"))
    st.stop()
complete = int((table[context.t("reporting.missing")] == 0).sum())
st.metric(context.t("reporting.complete"), context.t("reporting.of", reported=complete, expected=len(table)))
show_table(table, caption=context.t("reporting.table_caption", quarter=context.quarter.label(context.language)),
           key="reporting_status", language=context.language, grid_when_large=True)
signoff_controls(context)
admin_controls(context)
st.subheader(context.t("reporting.uncertain"))
uncertain = uncertain_table(context, figures)
if uncertain.empty:
    st.info(context.t("reporting.none_uncertain"))
else:
    show_table(uncertain, caption=context.t("reporting.uncertain"), key="reporting_uncertain", language=context.language)
show_completion(context)
