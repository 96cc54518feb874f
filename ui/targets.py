"""The Mål page's logic: the target form's state, saving through the data layer, and the table of
targets with progress, pace, forecast and status."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from data.db import writing
from data.targets import TargetConflict, TargetInput, remove_target, save_target
from metrics.catalogue import MetricDefinition
from metrics.cells import moment, optional_number, optional_whole, whole
from metrics.errors import EffektError
from metrics.periods import Quarter
from metrics.targets import TargetAssessment, assess_target, plan_of, propose_10x_target, series_of
from presentation.formatting import format_change, format_value, input_text
from ui.cards import status_text
from ui.numbers import EntryProblem, read_entry
from ui.page import PageContext

HORIZON = 40  # target quarters offered: ten years ahead
MESSAGE = "targets_message"


def progress_text(value: float | None, language: str) -> str:
    return format_value(None if value is None else value * 100, "percent", 0, language)


def pace_text(pace: float | None, metric: MetricDefinition, context: PageContext) -> str:
    if pace is None:
        return "–"
    return context.t("targets.per_quarter", change=format_change(pace, metric.unit_kind, metric.decimals, context.language))


def quarter_text(quarter: Quarter | None, context: PageContext) -> str:
    return quarter.label(context.language) if quarter is not None else context.t("targets.not_at_this_pace")


def forecast_text(found: TargetAssessment, metric: MetricDefinition, context: PageContext) -> str:
    if found.forecast is None:
        return context.t("targets.no_forecast")
    return format_value(found.forecast, metric.unit_kind, metric.decimals, context.language)


def target_summary(context: PageContext, targets: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Every target with its baseline, target, owner and how it is going as of the chosen quarter."""
    by_id = {m.id: m for m in context.metrics}
    rows = []
    order = {m.id: position for position, m in enumerate(context.metrics)}
    ordered = targets.assign(_metric=targets["metric_id"].map(order), _kind=targets["kind"].map({"planned": 0, "10x": 1}))
    for _, row in ordered.sort_values(["_metric", "_kind"], kind="stable").iterrows():
        metric = by_id.get(int(row["metric_id"]))
        if metric is None:
            continue
        plan = plan_of(row)
        found = assess_target(plan, series_of(figures, int(row["organisation_id"]), metric.id or 0), context.quarter)
        def value(v: float | None, m: MetricDefinition = metric) -> str:
            return format_value(v, m.unit_kind, m.decimals, context.language)
        rows.append({
            context.t("column.metric"): metric.name(context.language),
            context.t("column.target_kind"): context.t(f"target.kind.{row['kind']}"),
            context.t("column.baseline"): f"{value(plan.baseline_value)} ({plan.baseline_quarter.label(context.language)})",
            context.t("column.target"): f"{value(plan.target_value)} ({plan.target_quarter.label(context.language)})",
            context.t("column.owner"): row["owner"] or "–",
            context.t("column.progress"): progress_text(found.progress, context.language),
            context.t("column.pace_needed"): pace_text(found.pace_needed, metric, context),
            context.t("column.forecast"): value(found.forecast),
            context.t("column.reached_in"): quarter_text(found.reached_in, context) if found.latest_value is not None else "–",
            context.t("column.target_status"): status_text(found.status, context),
        })
    return pd.DataFrame(rows)


def default_metric(targets: pd.DataFrame, context: PageContext) -> None:
    """Open the form on the first metric that has a target (else the catalogue's first)."""
    if "targets_metric" in st.session_state or not len(targets):
        return
    with_targets = set(targets["metric_id"].astype(int))
    first = next((m.code for m in context.metrics if m.id in with_targets), None)
    if first is not None:
        st.session_state["targets_metric"] = first


def stored_target(targets: pd.DataFrame, metric: MetricDefinition, kind: str) -> pd.Series | None:
    if not len(targets):
        return None
    mine = targets[(targets["metric_id"] == metric.id) & (targets["kind"] == kind)]
    return mine.iloc[0] if len(mine) else None


def baseline_options(figures: pd.DataFrame, metric: MetricDefinition, context: PageContext,
                     stored: pd.Series | None) -> dict[str, float | None]:
    """Quarters that can be the baseline, with the figure each holds (the data's value is the default)."""
    options: dict[str, float | None] = {}
    if len(figures):
        mine = figures[(figures["metric_id"] == metric.id) & (figures["period"] <= context.quarter.index)]
        options = {str(Quarter.from_index(int(p))): float(v) for p, v in zip(mine["period"], mine["value"], strict=True)}
    if not options:
        options = {str(context.quarter - offset): None for offset in reversed(range(12))}
    if stored is not None:
        options.setdefault(str(Quarter.from_index(int(stored["baseline_period"]))), float(stored["baseline_value"]))
    return dict(sorted(options.items()))


def target_quarter_options(context: PageContext, stored: pd.Series | None) -> list[str]:
    options = [str(context.quarter + offset) for offset in range(1, HORIZON + 1)]
    if stored is not None and str(Quarter.from_index(int(stored["target_period"]))) not in options:
        options.insert(0, str(Quarter.from_index(int(stored["target_period"]))))
    return options


def load_form(metric: MetricDefinition, kind: str, stored: pd.Series | None, baselines: Mapping[str, float | None],
              context: PageContext) -> None:
    """Fill the form from the stored target, or from the data when there is none; only when the
    person switches metric or kind (or the target changed), so their typing is never overwritten."""
    marker = (metric.code, kind, int(stored["version"]) if stored is not None else 0, context.version, context.language)
    if st.session_state.get("targets_loaded") == marker:
        return
    st.session_state["targets_loaded"] = marker
    if stored is not None:
        st.session_state["targets_baseline_quarter"] = str(Quarter.from_index(int(stored["baseline_period"])))
        st.session_state["targets_baseline_value"] = input_text(float(stored["baseline_value"]), context.language)
        st.session_state["targets_value"] = input_text(float(stored["target_value"]), context.language)
        st.session_state["targets_quarter"] = str(Quarter.from_index(int(stored["target_period"])))
        st.session_state["targets_owner"] = str(stored["owner"])
        st.session_state["targets_note"] = str(stored["note"])
        return
    first = next(iter(baselines))
    baseline = baselines[first]
    st.session_state["targets_baseline_quarter"] = first
    st.session_state["targets_baseline_value"] = input_text(baseline, context.language)
    st.session_state["targets_value"] = input_text(
        propose_10x_target(metric, baseline) if kind == "10x" and baseline is not None else None, context.language)
    st.session_state["targets_quarter"] = str(context.quarter + 8)
    st.session_state["targets_owner"] = ""
    st.session_state["targets_note"] = ""


def baseline_changed(baselines: Mapping[str, float | None], language: str) -> None:
    """Callback: a new baseline quarter takes that quarter's figure as the baseline value."""
    value = baselines.get(st.session_state["targets_baseline_quarter"])
    if value is not None:
        st.session_state["targets_baseline_value"] = input_text(value, language)


def propose(context: PageContext, metric: MetricDefinition) -> None:
    """Callback of the 10x button: the workshop's proposal from the baseline in the form."""
    try:
        baseline = _typed(context, "targets_baseline_value", "column.baseline")
    except EntryProblem as problem:
        st.session_state[MESSAGE] = ("error", None, {"text": problem.message})
        return
    if baseline is None:
        st.session_state[MESSAGE] = ("warning", "targets.need_baseline", {})
        return
    st.session_state["targets_value"] = input_text(propose_10x_target(metric, baseline), context.language)
    st.session_state[MESSAGE] = ("info", "targets.proposed", {})


def _typed(context: PageContext, key: str, label_key: str) -> float | None:
    """The number in one of the form's fields, read in the person's language."""
    return read_entry(st.session_state.get(key), context.language, context.t(label_key))


def save(context: PageContext, metric: MetricDefinition, kind: str, stored: pd.Series | None) -> None:
    """Store the form's target; the outcome is kept for the next run to show."""
    assert context.organisation is not None
    state = st.session_state
    try:
        baseline = _typed(context, "targets_baseline_value", "column.baseline")
        value = _typed(context, "targets_value", "column.target_value")
    except EntryProblem as problem:
        state[MESSAGE] = ("error", None, {"text": problem.message})
        return
    if baseline is None or value is None:
        state[MESSAGE] = ("error", "targets.need_values", {})
        return
    target = TargetInput(
        organisation_id=context.organisation.id, metric_id=metric.id or 0, kind=kind,
        baseline_quarter=Quarter.parse(state["targets_baseline_quarter"]), baseline_value=baseline,
        target_quarter=Quarter.parse(state["targets_quarter"]), target_value=value,
        owner=state.get("targets_owner") or "", note=state.get("targets_note") or "",
        expected_version=int(stored["version"]) if stored is not None else 0,
    )
    _write(context, lambda session: save_target(session=session, actor=context.actor, target=target).action,
           "targets.saved")


def remove(context: PageContext, metric: MetricDefinition, kind: str, stored: pd.Series) -> None:
    assert context.organisation is not None
    organisation_id = context.organisation.id
    _write(context, lambda session: remove_target(session=session, actor=context.actor, organisation_id=organisation_id,
                                                  metric_id=metric.id or 0, kind=kind,
                                                  expected_version=int(stored["version"])), "targets.removed")


def _write(context: PageContext, action: Callable[[Session], object], success: str) -> None:
    try:
        with writing(context.url) as session:
            outcome = action(session)
    except EffektError as error:
        st.session_state[MESSAGE] = ("error", error.key, error.params)
    except TargetConflict:
        st.session_state[MESSAGE] = ("error", "targets.conflict", {})
    else:
        key = "targets.unchanged" if outcome == "unchanged" else success
        st.session_state[MESSAGE] = ("success", key, {})


def show_message(context: PageContext) -> None:
    """The outcome of the last button press, once."""
    message = st.session_state.pop(MESSAGE, None)
    if message is None:
        return
    kind, key, params = message
    getattr(st, kind)(params["text"] if key is None else context.t(key, **params))


def assessment_of(figures: pd.DataFrame, stored: pd.Series | None,
                  context: PageContext) -> TargetAssessment | None:
    if stored is None:
        return None
    return assess_target(plan_of(stored), series_of(figures, int(stored["organisation_id"]), int(stored["metric_id"])),
                         context.quarter)


def history_table(history: pd.DataFrame, context: PageContext) -> pd.DataFrame:
    """The target's history in words: who changed what when."""
    by_id = {m.id: m for m in context.metrics}
    rows = []
    for row in history.itertuples(index=False):
        metric = by_id.get(whole(row.metric_id))
        if metric is None:
            continue
        def value(v: object, m: MetricDefinition = metric) -> str:
            return format_value(optional_number(v), m.unit_kind, m.decimals, context.language)
        period = optional_whole(row.target_period)
        target = "–" if period is None else \
            f"{value(row.target_value)} ({Quarter.from_index(period).label(context.language)})"
        rows.append({
            context.t("column.when"): moment(row.changed_at).strftime("%Y-%m-%d %H:%M"),
            context.t("column.who"): row.changed_by,
            context.t("column.metric"): metric.name(context.language),
            context.t("column.target_kind"): context.t(f"target.kind.{row.kind}"),
            context.t("column.action"): context.t(f"targets.action.{row.action}"),
            context.t("column.target"): target,
            context.t("column.owner"): row.owner or "–",
        })
    return pd.DataFrame(rows)
