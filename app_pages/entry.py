"""Kvartalsdata: enter one quarter's figures for the organisation, all in one form (or a grid)."""


import streamlit as st

from data.models import FIGURE_STATUSES
from metrics import clock
from metrics.periods import Quarter
from ui import reads
from ui.entry import (
    OUTCOME,
    comment_key,
    conflict_lines,
    entry_figures,
    missing_note,
    prepare_form,
    previous_text,
    resolve_conflict,
    status_key,
    submit_form,
    value_key,
)
from ui.grid import show_grid
from ui.page import page_context
from ui.safe_text import markdown_literal
from ui.views import no_organisation

context = page_context()
st.title(context.t("entry.title"))
if context.organisation is None:
    no_organisation(context)
figures = reads.organisation_figures(context.url, context.version, context.organisation.id)
read_only = not context.actor.can_edit(context.organisation.id)
if read_only:  # a convenience: the data layer refuses any save by a reader anyway
    st.info(context.t("access.read_only"), icon=":material/visibility:")

headline, lines = missing_note(context, figures)
with st.expander(headline, expanded=bool(lines), icon=":material/checklist:"):
    st.markdown("\n".join(f"- {line}" for line in lines) if lines else context.t("entry.complete"))

if context.quarter > Quarter.containing(clock.today()):
    st.error(context.t("period.future", quarter=context.quarter.label(context.language)))
    st.stop()

st.caption(context.t("entry.caption", organisation=markdown_literal(context.organisation.name),
                     quarter=context.quarter.label(context.language)))
mode = st.segmented_control(context.t("entry.mode"), options=["form", "grid"], default="form", key="entry_mode",
                            format_func=lambda m: context.t(f"entry.mode_{m}"), required=True)
if mode == "grid":
    show_grid(context, figures)
    st.stop()

current, previous = entry_figures(figures, context.quarter)
prepare_form(context, current)

with st.form("entry_form"):
    for metric in context.metrics:
        value, before, status, comment = st.columns([3, 2, 2, 3], vertical_alignment="bottom")
        # Text, not st.number_input: the field shows and reads numbers as the language writes them.
        value.text_input(
            f"{metric.name(context.language)} ({metric.unit(context.language)})",
            help=metric.definition(context.language), key=value_key(metric),
            placeholder=context.t("entry.no_figure"),
        )
        before.markdown(previous_text(context, metric, previous.get(metric.id or 0)))
        status.selectbox(context.t("column.figure_status"), options=FIGURE_STATUSES, key=status_key(metric),
                         format_func=lambda s: context.t(f"status.{s}"))
        comment.text_input(context.t("column.comment"), key=comment_key(metric), max_chars=2000)
    st.form_submit_button(context.t("entry.save"), type="primary", on_click=submit_form, args=(context,),
                          disabled=read_only)

outcome = st.session_state.get(OUTCOME)
if outcome is not None and outcome.kind != "conflict":
    del st.session_state[OUTCOME]  # said once; a later rerun starts clean
if outcome is not None and outcome.kind == "saved":
    st.success(outcome.message + "\n\n" + "\n".join(f"- {line}" for line in outcome.lines))
elif outcome is not None and outcome.kind == "nothing":
    st.info(outcome.message)
elif outcome is not None and outcome.kind == "error":
    st.error("\n\n".join((outcome.message, *outcome.lines)) if outcome.lines else outcome.message)
elif outcome is not None and outcome.kind == "conflict":
    st.warning(outcome.message + "\n\n" + "\n".join(f"- {line}" for line in conflict_lines(context)))
    left, right = st.columns(2)
    left.button(context.t("entry.overwrite"), key="entry_overwrite", on_click=resolve_conflict, args=(context, "overwrite"))
    right.button(context.t("entry.keep_theirs"), key="entry_keep", on_click=resolve_conflict, args=(context, "keep"))
