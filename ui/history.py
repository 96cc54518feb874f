"""Historik: every revision of the organisation's figures, in words, and an administrator's restore."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.db import writing
from data.figures import RevisionNotFound, restore_revision
from metrics.catalogue import MetricDefinition
from metrics.cells import moment, optional_number, whole
from metrics.errors import EffektError
from metrics.periods import Quarter
from presentation.formatting import format_date, format_value
from ui.page import PageContext


def filter_revisions(revisions: pd.DataFrame, metric_id: int | None, quarter: Quarter | None) -> pd.DataFrame:
    """Per organisation (all), per metric, or per figure (metric and quarter)."""
    chosen = revisions
    if metric_id is not None and len(chosen):
        chosen = chosen[chosen["metric_id"] == metric_id]
    if quarter is not None and len(chosen):
        chosen = chosen[chosen["period"] == quarter.index]
    return chosen


def history_table(revisions: pd.DataFrame, context: PageContext) -> pd.DataFrame:
    """Revisions newest first: when, who, how, which figure, old → new value and status, the file."""
    metrics = {m.id: m for m in context.metrics}
    rows = []
    for r in revisions.itertuples(index=False):
        metric = metrics.get(whole(r.metric_id))
        changed_at = moment(r.changed_at)
        rows.append({
            context.t("history.revision"): whole(r.id),
            context.t("column.when"): format_date(changed_at.date(), context.language) + changed_at.strftime(" %H:%M"),
            context.t("column.who"): r.changed_by,
            context.t("history.via"): context.t(f"history.via_{r.via}"),
            context.t("column.metric"): metric.name(context.language) if metric else str(r.metric_id),
            context.t("column.quarter"): Quarter.from_index(whole(r.period)).label(context.language),
            context.t("column.old_value"): _state(context, metric, r.old_value, r.old_status),
            context.t("column.new_value"): _state(context, metric, r.new_value, r.new_status),
            context.t("column.comment"): r.new_comment if isinstance(r.new_comment, str) else "",
            context.t("history.file"): _file(r.file_name, r.file_hash),
        })
    return pd.DataFrame(rows)


def revision_label(revisions: pd.DataFrame, context: PageContext, revision_id: int) -> str:
    """``#12 Kundnöjdhet 2025 K2: 71,5 % (uppmätt)`` for the restore choice."""
    metrics = {m.id: m for m in context.metrics}
    r = revisions[revisions["id"] == revision_id].iloc[0]
    metric = metrics.get(int(r["metric_id"]))
    name = metric.name(context.language) if metric else str(r["metric_id"])
    quarter = Quarter.from_index(int(r["period"])).label(context.language)
    return f"#{revision_id} {name} {quarter}: {_state(context, metric, r['new_value'], r['new_status'])}"


def restore(context: PageContext) -> None:
    """The restore button's callback: the chosen revision's value as a new revision; the message
    (success or why not) is left in ``history_message`` for the page."""
    st.session_state["history_message"] = restore_message(context, int(st.session_state["history_restore_revision"]))


def restore_message(context: PageContext, revision_id: int) -> str:
    """Restore a revision's value as a new revision; the message to show (success or why not)."""
    try:
        with writing(context.url) as session:
            result = restore_revision(session=session, actor=context.actor, revision_id=revision_id)
    except EffektError as error:
        return context.t(error.key, **error.params)
    except RevisionNotFound:
        return context.t("history.no_such_revision", revision=str(revision_id))
    if not result.written:
        return context.t("history.already_current", revision=str(revision_id))
    return context.t("history.restored", revision=str(revision_id))


def _file(name: object, digest: object) -> str:
    """The import file's name and the start of its SHA-256, enough to tell two versions apart."""
    if not isinstance(name, str):
        return ""
    return f"{name} (sha256 {digest[:12]})" if isinstance(digest, str) else name


def _state(context: PageContext, metric: MetricDefinition | None, value: object, status: object) -> str:
    number = optional_number(value)
    if number is None:
        return context.t("history.no_figure")
    shown = format_value(number, metric.unit_kind, metric.decimals, context.language) if metric else str(number)
    return f"{shown} ({context.t(f'status.{status}')})" if isinstance(status, str) and status else shown
