"""The metric detail page's logic: one organisation's series of one metric with its targets'
trajectories and the peer group's median and quartiles, as one frame the chart, the table and the
CSV all come from (so they always agree)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data.events import METHOD_CHANGE, EventInfo, method_changes
from data.exporter import event_table, to_csv_bytes, workbook_bytes
from metrics.breaks import breaks_for, crosses_break
from metrics.catalogue import MetricDefinition
from metrics.cells import moment, optional_number, text, whole
from metrics.changes import is_improvement
from metrics.disclosure import Rule, peer_group, peer_statistics
from metrics.periods import Quarter
from metrics.targets import KINDS, TargetPlan, plan_of
from presentation.formatting import format_value
from presentation.palette import organisation_colour
from presentation.wording import change_text, comment_line
from ui.cards import year_frame
from ui.charts import DetailPoint, EventMark, PeerBand, detail_figure
from ui.page import PageContext

WINDOW = 12
DETAIL_COLUMNS = ["period", "label", "value", "status", "comment", "trajectory_planned", "trajectory_10x",
                  "median", "q1", "q3", "peers"]
AUTHOR_COLUMNS = ["comment_by", "comment_at"]  # who wrote a figure's comment, and when: shown, not in the CSV


def chosen_metric(context: PageContext) -> MetricDefinition:
    """The metric from the selectbox, which follows the ``?metric=`` link from an overview card."""
    by_code = {m.code: m for m in context.metrics}
    linked = st.query_params.get("metric")
    if linked in by_code and st.session_state.get("detail_linked") != linked:
        st.session_state["detail_metric"] = linked
        st.session_state["detail_linked"] = linked
    if st.session_state.get("detail_metric") not in by_code:
        st.session_state["detail_metric"] = next(iter(by_code))
    code = st.selectbox(context.t("detail.metric"), options=list(by_code), key="detail_metric",
                        format_func=lambda c: by_code[c].name(context.language))
    return by_code[code]


def peer_ids(context: PageContext) -> set[int]:
    """The chosen organisation's peer group (:func:`metrics.disclosure.peer_group`, as the board pack)."""
    assert context.organisation is not None
    return {o.id for o in peer_group(context.organisation, context.organisations)}


def detail_frame(
    context: PageContext, metric: MetricDefinition, own: pd.DataFrame, everyone: pd.DataFrame,
    targets: pd.DataFrame, mode: str,
) -> pd.DataFrame:
    """One row per period: the organisation's figure, the trajectories, the peers' median and quartiles."""
    mine = own[own["metric_id"] == metric.id] if len(own) else own
    peers = everyone[everyone["organisation_id"].isin(peer_ids(context))] if len(everyone) else everyone
    if mode == "year":
        return _yearly_frame(context, metric, mine, peers, context.rule)
    mine_targets = targets[targets["metric_id"] == metric.id] if len(targets) else targets
    plans = {str(row["kind"]): plan_of(row) for _, row in mine_targets.iterrows()}
    last = context.quarter
    first = last - (WINDOW - 1)
    for plan in plans.values():
        first = min(first, plan.baseline_quarter)
        last = max(last, plan.target_quarter)
    by_period = {whole(r.period): r for r in mine.itertuples(index=False)}
    rows = []
    for index in range(first.index, last.index + 1):
        quarter = Quarter.from_index(index)
        figure = by_period.get(index) if quarter <= context.quarter else None
        stats = peer_statistics(peers[peers["period"] == index] if len(peers) else peers, context.rule)
        rows.append({
            "period": str(quarter), "label": quarter.label(context.language),
            "value": figure.value if figure is not None else None,
            "status": figure.status if figure is not None else None,
            "comment": figure.comment if figure is not None else "",
            "comment_by": figure.updated_by if figure is not None and figure.comment else "",
            "comment_at": moment(figure.updated_at).date() if figure is not None and figure.comment else None,
            **{f"trajectory_{kind}": _on_trajectory(plans.get(kind), quarter) for kind in KINDS},
            "median": stats.median, "q1": stats.q1, "q3": stats.q3, "peers": stats.count,
        })
    return pd.DataFrame(rows, columns=[*DETAIL_COLUMNS, *AUTHOR_COLUMNS])


def _on_trajectory(plan: TargetPlan | None, quarter: Quarter) -> float | None:
    """The trajectory's value in a quarter between baseline and target; None outside."""
    if plan is None or not plan.baseline_quarter <= quarter <= plan.target_quarter:
        return None
    return plan.trajectory(quarter)


def _yearly_frame(
    context: PageContext, metric: MetricDefinition, mine: pd.DataFrame, peers: pd.DataFrame, rule: Rule,
) -> pd.DataFrame:
    """Years by the metric's rule; peers' years leave estimated quarters out when the settings say so."""
    own_years = year_frame(mine, [metric]) if len(mine) else pd.DataFrame(columns=["year", "value", "quarters"])
    usable = peers[peers["status"] != "estimated"] if rule.exclude_estimated and len(peers) else peers
    peer_years = year_frame(usable, [metric]) if len(usable) else pd.DataFrame(columns=["year", "value"])
    last = context.quarter.year
    rows = []
    for year in range(last - WINDOW // 4 - 1, last + 1):
        own_row = own_years[own_years["year"] == year]
        those = peer_years[peer_years["year"] == year].assign(status="measured") if len(peer_years) else peer_years
        stats = peer_statistics(those, Rule(minimum=rule.minimum, exclude_estimated=False))
        quarters = int(own_row["quarters"].iloc[0]) if len(own_row) else 0
        rows.append({
            "period": str(year), "label": str(year),
            "value": float(own_row["value"].iloc[0]) if len(own_row) else None,
            "status": None if not len(own_row) else ("measured" if quarters == 4 else "incomplete"),
            "comment": context.t("progress.quarters_of_four", count=quarters) if 0 < quarters < 4 else "",
            "trajectory_planned": None, "trajectory_10x": None,
            "median": stats.median, "q1": stats.q1, "q3": stats.q3, "peers": stats.count,
        })
    return pd.DataFrame(rows, columns=DETAIL_COLUMNS).assign(comment_by="", comment_at=None)


def event_marks(context: PageContext, events: Sequence[EventInfo], metric: MetricDefinition) -> list[EventMark]:
    """The events concerning this metric as chart marks: ``2025 K2 · ny mätmetod: Ny enkät``."""
    return [EventMark(e.quarter.label(context.language),
                      f"{e.quarter.label(context.language)} · {context.t(f'event.kind.{e.kind}')}: {e.title}"
                      + (f" — {e.note}" if e.note else ""), e.kind == METHOD_CHANGE)
            for e in events if e.applies_to(metric.code)]


def chart(context: PageContext, metric: MetricDefinition, frame: pd.DataFrame, targets: pd.DataFrame,
          events: Sequence[EventInfo] = ()) -> go.Figure:
    """The detail chart from the frame: hollow markers for uncertain figures, comments on hover."""
    assert context.organisation is not None
    points = []
    for row in frame.itertuples(index=False):
        value, label, figure_status = optional_number(row.value), text(row.label), text(row.status)
        if value is None:
            continue
        status = context.t(f"status.{figure_status}") if figure_status in ("measured", "estimated", "preliminary") else \
            context.t("progress.incomplete")
        parts = [label, format_value(value, metric.unit_kind, metric.decimals, context.language), status]
        if row.comment:
            parts.append(str(row.comment))
        points.append(DetailPoint(label, value, figure_status != "measured", " · ".join(parts)))
    trajectories = []
    for kind in KINDS:
        column = frame[f"trajectory_{kind}"]
        shown = frame[column.notna()]
        if len(shown):
            trajectories.append((context.t(f"detail.trajectory.{kind}"), shown["label"].tolist(),
                                 shown[f"trajectory_{kind}"].astype(float).tolist()))
    baseline = None
    mine = targets[targets["metric_id"] == metric.id] if len(targets) else targets
    if len(mine) and frame["trajectory_planned"].notna().any() | frame["trajectory_10x"].notna().any():
        first = mine.iloc[0]
        quarter = Quarter.from_index(int(first["baseline_period"])).label(context.language)
        baseline = (context.t("detail.baseline", quarter=quarter), float(first["baseline_value"]))
    disclosed = frame[frame["median"].notna()]
    peers = PeerBand(disclosed["label"].tolist(), disclosed["median"].astype(float).tolist(),
                     disclosed["q1"].astype(float).tolist(), disclosed["q3"].astype(float).tolist(),
                     context.t("detail.peer_median"), context.t("detail.peer_band")) if len(disclosed) else None
    return detail_figure(metric=metric, x=frame["label"].tolist(), points=points, label=context.organisation.name,
                         colour=organisation_colour(context.organisation.id), language=context.language,
                         trajectories=trajectories, baseline=baseline, peers=peers,
                         events=event_marks(context, list(events), metric), events_label=context.t("event.sheet"),
                         break_label=context.t("event.chart_break"))


def _changes(context: PageContext, metric: MetricDefinition, frame: pd.DataFrame, breaks: list[int]) -> list[str]:
    """Each quarter's change from the one before, in the shared wording; across a method change
    "inte jämförbart (ny mätmetod)" (:mod:`metrics.breaks`). Years have no breaks here."""
    shown = ["–"]
    for before, now in zip(frame.itertuples(index=False), list(frame.itertuples(index=False))[1:], strict=False):
        broken = len(str(now.period)) > 4 and crosses_break(Quarter.parse(before.period).index,
                                                            Quarter.parse(now.period).index, breaks)
        earlier, later = optional_number(before.value), optional_number(now.value)
        change = later - earlier if earlier is not None and later is not None else None
        shown.append(change_text(change, is_improvement(change, metric), metric, context.language, broken))
    return shown


def table(context: PageContext, metric: MetricDefinition, frame: pd.DataFrame,
          events: Sequence[EventInfo] = ()) -> pd.DataFrame:
    """The accessible alternative: the same data in words and locale numbers, with the change from
    the quarter before and the quarter's events."""
    breaks = breaks_for(metric.code, method_changes(list(events)))
    marks: dict[str, list[str]] = {}
    for mark in event_marks(context, list(events), metric):
        marks.setdefault(mark.x, []).append(mark.text)
    def shown(value: object) -> str:
        return format_value(optional_number(value), metric.unit_kind, metric.decimals, context.language)
    status_words = {s: context.t(f"status.{s}") for s in ("measured", "estimated", "preliminary")}
    status_words["incomplete"] = context.t("progress.incomplete")
    return pd.DataFrame({
        context.t("column.period"): frame["label"],
        context.t("column.value"): [shown(v) for v in frame["value"]],
        context.t("column.change_previous"): _changes(context, metric, frame, breaks),
        context.t("column.figure_status"): [status_words.get(s, "–") if isinstance(s, str) else "–" for s in frame["status"]],
        context.t("column.comment"): [comment_line(c, b, a, context.language) if isinstance(c, str) else ""
                                      for c, b, a in zip(frame["comment"], frame["comment_by"], frame["comment_at"],
                                                         strict=True)],
        context.t("detail.trajectory.planned"): [shown(v) for v in frame["trajectory_planned"]],
        context.t("detail.trajectory.10x"): [shown(v) for v in frame["trajectory_10x"]],
        context.t("detail.peer_median"): [shown(v) for v in frame["median"]],
        context.t("column.q1"): [shown(v) for v in frame["q1"]],
        context.t("column.q3"): [shown(v) for v in frame["q3"]],
        context.t("event.sheet"): ["; ".join(marks.get(label, [])) for label in frame["label"]],
    })


def csv_bytes(frame: pd.DataFrame, metric: MetricDefinition, organisation_code: str) -> bytes:
    """The frame as CSV for spreadsheets: canonical periods, plain numbers (point decimals), text
    through the one neutraliser (a comment ``=HYPERLINK(...)`` never runs as a formula)."""
    out = frame.drop(columns=["label"]).assign(organisation=organisation_code, metric=metric.code)
    out = out[["organisation", "metric", *[c for c in DETAIL_COLUMNS if c != "label"]]]
    return to_csv_bytes(out)


def xlsx_bytes(frame: pd.DataFrame, metric: MetricDefinition, organisation_code: str, organisation_id: int,
               events: Sequence[EventInfo]) -> bytes:
    """The same rows as the CSV on one sheet, and the events concerning the metric on a second."""
    figures = pd.read_csv(io.BytesIO(csv_bytes(frame, metric, organisation_code)), keep_default_na=False,
                          dtype={"period": str, "comment": str, "status": str})
    shown = [e for e in events if e.applies_to(metric.code)]
    return workbook_bytes({"figures": figures, "events": event_table(shown, {organisation_id: organisation_code})})
