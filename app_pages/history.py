"""Historik: every change of the organisation's figures, per figure or for all; restore (admin)."""

import streamlit as st

from ui import reads
from ui.history import filter_revisions, history_table, restore, revision_label
from ui.page import page_context
from ui.rounds import show_signoff_history
from ui.safe_text import markdown_literal
from ui.views import no_organisation

context = page_context()
st.title(context.t("history.title"))
if context.organisation is None:
    no_organisation(context)
st.caption(context.t("history.caption", organisation=markdown_literal(context.organisation.name)))

by_id = {m.id: m for m in context.metrics}
left, right = st.columns(2)
metric_id = left.selectbox(
    context.t("history.metric"), options=[None, *by_id], key="history_metric",
    format_func=lambda i: context.t("history.all_metrics") if i is None else by_id[i].name(context.language),
)
only_quarter = right.toggle(context.t("history.only_quarter", quarter=context.quarter.label(context.language)),
                            key="history_only_quarter")

# A restore runs as the button's callback, before this run reads the history, so the table shows it.
revisions = reads.organisation_revisions(context.url, context.version, context.organisation.id)
shown = filter_revisions(revisions, metric_id, context.quarter if only_quarter else None)
if shown.empty:
    st.info(context.t("history.empty"))
    show_signoff_history(context)
    st.stop()
st.dataframe(history_table(shown, context), hide_index=True, key="history_table")

if context.actor.is_admin:
    st.subheader(context.t("history.restore_title"))
    st.markdown(context.t("history.restore_explained"))
    revision_id = st.selectbox(context.t("history.restore_choice"), options=shown["id"].tolist()[:500],
                               key="history_restore_revision",
                               format_func=lambda i: revision_label(shown, context, i))
    st.button(context.t("history.restore"), key="history_restore", on_click=restore, args=(context,))
    message = st.session_state.pop("history_message", None)
    if message:
        st.info(message)
show_signoff_history(context)
