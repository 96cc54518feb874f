"""Mål: the organisation's targets per metric (planned and 10x, "sikta tio gånger högre"), with
progress, the pace needed, the forecast and the status; the 10x proposal is one press away."""

import streamlit as st

from metrics.periods import Quarter
from metrics.targets import KINDS
from ui import follow_up_reads, reads
from ui.cards import status_text
from ui.experiments import show_experiments
from ui.page import page_context
from ui.safe_text import markdown_literal
from ui.tables import show_table
from ui.targets import (
    assessment_of,
    baseline_changed,
    baseline_options,
    default_metric,
    forecast_text,
    history_table,
    load_form,
    pace_text,
    progress_text,
    propose,
    quarter_text,
    remove,
    save,
    show_message,
    stored_target,
    target_quarter_options,
    target_summary,
)
from ui.views import no_organisation, target_proposals

context = page_context()
st.title(context.t("targets.title"))
if context.organisation is None:
    no_organisation(context)
st.markdown(context.t("targets.intro"))
read_only = not context.actor.can_edit(context.organisation.id)
if read_only:  # a convenience: the data layer refuses any save by a reader anyway
    st.info(context.t("access.read_only"), icon=":material/visibility:")
show_message(context)
figures = reads.organisation_figures(context.url, context.version, context.organisation.id)
targets = follow_up_reads.targets(context.url, context.version, context.organisation.id)

st.subheader(context.t("targets.current", organisation=markdown_literal(context.organisation.name),
                       quarter=context.quarter.label(context.language)))
if len(targets):
    show_table(target_summary(context, targets, figures), key="targets_summary", language=context.language,
               caption=context.t("targets.current", organisation=context.organisation.name,
                                 quarter=context.quarter.label(context.language)))
else:
    st.info(context.t("targets.none_yet"))

st.subheader(context.t("targets.edit"))
by_code = {m.code: m for m in context.metrics}
default_metric(targets, context)
left, right = st.columns([2, 1])
code = left.selectbox(context.t("column.metric"), options=list(by_code), key="targets_metric",
                      format_func=lambda c: by_code[c].name(context.language))
kind = right.segmented_control(context.t("column.target_kind"), options=list(KINDS), key="targets_kind", default="planned",
                               required=True, format_func=lambda k: context.t(f"target.kind.{k}")) or "planned"
metric = by_code[code]
stored = stored_target(targets, metric, kind)
baselines = baseline_options(figures, metric, context, stored)
load_form(metric, kind, stored, baselines, context)
st.caption(context.t("targets.direction", direction=context.t(f"direction.{metric.direction}"),
                     unit=metric.unit(context.language)))

one, two = st.columns(2)
one.selectbox(context.t("column.baseline_quarter"), options=list(baselines), key="targets_baseline_quarter",
              format_func=lambda q: Quarter.parse(q).label(context.language), on_change=baseline_changed,
              args=(baselines, context.language))
# Text fields, not st.number_input: they show and read numbers as the language writes them (87,5).
two.text_input(context.t("column.baseline"), key="targets_baseline_value")
one.selectbox(context.t("column.target_quarter"), options=target_quarter_options(context, stored), key="targets_quarter",
              format_func=lambda q: Quarter.parse(q).label(context.language))
two.text_input(context.t("column.target_value"), key="targets_value")
st.button(context.t("targets.propose_10x"), key="targets_propose", on_click=propose, args=(context, metric),
          icon=":material/rocket_launch:", help=context.t("targets.propose_help"), disabled=read_only)
st.text_input(context.t("column.owner"), key="targets_owner", max_chars=200)
st.text_area(context.t("column.note"), key="targets_note", max_chars=2000)
save_column, remove_column = st.columns([1, 4])
save_column.button(context.t("targets.save"), key="targets_save", type="primary", on_click=save,
                   args=(context, metric, kind, stored), disabled=read_only)
if stored is not None:
    remove_column.button(context.t("targets.remove"), key="targets_remove", on_click=remove,
                         args=(context, metric, kind, stored), disabled=read_only)

found = assessment_of(figures, stored, context)
if found is not None:
    cells = st.columns(5)
    cells[0].metric(context.t("column.progress"), progress_text(found.progress, context.language))
    cells[1].metric(context.t("column.pace_needed"), pace_text(found.pace_needed, metric, context))
    cells[2].metric(context.t("column.forecast"), forecast_text(found, metric, context))
    cells[3].metric(context.t("column.reached_in"), quarter_text(found.reached_in, context))
    cells[4].metric(context.t("column.target_status"), status_text(found.status, context))

with st.expander(context.t("targets.proposals")):
    show_table(target_proposals(figures, context), caption=context.t("targets.proposals"), key="targets_table",
               language=context.language)
with st.expander(context.t("targets.history")):
    history = follow_up_reads.targets_history(context.url, context.version, context.organisation.id)
    show_table(history_table(history, context), caption=context.t("targets.history"), key="targets_history",
               language=context.language)

show_experiments(context)
