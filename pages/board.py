"""Styrelserapport: the quarter on one screen for the board: what is estimated, and every metric."""

import streamlit as st

from metrics.progress import change_summary
from ui import reads
from ui.page import page_context
from ui.views import no_organisation, summary_table

context = page_context()
if context.organisation is None:
    no_organisation(context)
st.title(context.t("board.title", organisation=context.organisation.name,
                   quarter=context.quarter.label(context.language)))
figures = reads.organisation_figures(context.url, context.version, context.organisation.id)
summary = change_summary(figures, context.metrics, context.quarter)
reported = int(summary["value"].notna().sum())
uncertain = int(summary["status"].isin(["estimated", "preliminary"]).sum())
left, middle, right = st.columns(3)
left.metric(context.t("board.reported"), context.t("board.of", count=reported, total=len(summary)))
middle.metric(context.t("board.uncertain"), uncertain)
right.metric(context.t("board.missing"), len(summary) - reported)
st.subheader(context.t("board.summary"))
st.dataframe(summary_table(summary, context), hide_index=True, key="board_table")
