"""Mål's follow-up of experiments: each experiment's metric before and since, against what was
expected (the same rows as the board pack's follow-up slide, :mod:`reports.experiments`), and the
owner's form to record the outcome and what was learned."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.actors import PermissionDenied
from data.db import reading, writing
from data.decisions import OUTCOMES, DecisionInfo, DecisionRejected, list_decisions, record_outcome
from reports.experiments import column_names, experiment_rows
from ui import reads
from ui.page import PageContext


def experiments_of(context: PageContext) -> list[DecisionInfo]:
    """The organisation's decisions that name a metric to follow up."""
    assert context.organisation is not None
    with reading(context.url) as session:
        return [d for d in list_decisions(session=session, organisation_id=context.organisation.id)
                if d.experiment is not None]


def experiments_table(context: PageContext, experiments: list[DecisionInfo]) -> pd.DataFrame:
    assert context.organisation is not None
    figures = reads.organisation_figures(context.url, context.version, context.organisation.id)
    events = reads.events(context.url, context.version, (context.organisation.id,))
    rows = experiment_rows(language=context.language, metrics=context.metrics, figures=figures, events=events,
                           decisions=experiments, quarter=context.quarter)
    return pd.DataFrame(rows, columns=list(column_names(context.language)))


def show_experiments(context: PageContext) -> None:
    """The table, and for editors of the organisation the outcome form."""
    st.subheader(context.t("experiment.title"))
    experiments = experiments_of(context)
    if not experiments:
        st.info(context.t("experiment.none"))
        return
    st.dataframe(experiments_table(context, experiments), hide_index=True, key="experiments_table")
    assert context.organisation is not None
    if not context.actor.can_edit(context.organisation.id):
        return
    by_id = {d.id: d for d in experiments}
    with st.form("experiments_outcome"):
        chosen = st.selectbox(context.t("experiment.form.decision"), options=list(by_id), key="experiments_decision",
                              format_func=lambda i: by_id[i].what)
        outcome = st.selectbox(context.t("experiment.form.outcome"), options=list(OUTCOMES), key="experiments_outcome",
                               format_func=lambda o: context.t(f"experiment.outcome.{o}"))
        lesson = st.text_area(context.t("experiment.form.lesson"), key="experiments_lesson")
        feed = st.checkbox(context.t("experiment.form.feed"), key="experiments_feed", value=False)
        if st.form_submit_button(context.t("experiment.form.save")):
            _save(context, int(chosen), str(outcome), lesson or "", bool(feed))


def _save(context: PageContext, decision_id: int, outcome: str, lesson: str, feed: bool) -> None:
    try:
        with writing(context.url) as session:
            record_outcome(session=session, actor=context.actor, decision_id=decision_id, outcome=outcome,
                           lesson=lesson, feed_lessons=feed)
    except (DecisionRejected, PermissionDenied) as error:
        st.error(context.t(error.key, **error.params))
    else:
        st.success(context.t("experiment.saved"))
