"""Grid editing on Kvartalsdata: the organisation's figures as metrics × quarters, for bulk fixes.

Edited cells go through the same checks as an import (a number, in the metric's range, not a
future quarter); one bad cell and nothing is saved, and every bad cell is named. A cleared cell
retracts its figure, which is a revision like any other change.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import streamlit as st

from data.db import writing
from data.figures import Figure, FigureChange, FigureConflict, save_figures
from metrics import clock
from metrics.catalogue import MetricDefinition
from metrics.cells import number, text, whole
from metrics.errors import EffektError
from metrics.numbers import NumberProblem, read_number
from metrics.periods import Quarter
from presentation.formatting import format_date, format_value, input_text
from presentation.i18n import translate
from ui.page import PageContext

GRID_KEY = "entry_grid"
OUTCOME = "entry_grid_outcome"
# After a conflict: the person's figures and the conflicting changes, until they overwrite or keep.
PENDING = "entry_grid_pending"
QUARTERS_SHOWN = 8
NAME_COLUMN = "metric_name"


@dataclass(frozen=True)
class CellProblem:
    metric: str
    quarter: str
    value: str
    reason: str


def grid_quarters(last: Quarter) -> list[Quarter]:
    return [last - offset for offset in reversed(range(QUARTERS_SHOWN))]


def grid_frame(context: PageContext, figures: pd.DataFrame, quarters: list[Quarter]) -> pd.DataFrame:
    """One row per active metric, one column per quarter (``2025-Q3``): the stored values as text in
    the reader's language (``87,5``, ``1 234``), an empty cell where there is none (never ``None``)."""
    stored = {(whole(r.metric_id), whole(r.period)): number(r.value)
              for r in figures.itertuples(index=False)} if len(figures) else {}
    rows = []
    for metric in context.metrics:
        row: dict[str, Any] = {NAME_COLUMN: f"{metric.name(context.language)} ({metric.unit(context.language)})"}
        for quarter in quarters:
            row[str(quarter)] = input_text(stored.get((metric.id or 0, quarter.index)), context.language)
        rows.append(row)
    return pd.DataFrame(rows, columns=[NAME_COLUMN, *(str(q) for q in quarters)], dtype=object)


def grid_figures(
    context: PageContext, edits: dict[Any, dict[str, Any]], figures: pd.DataFrame, today: dt.date
) -> tuple[list[Figure], list[CellProblem]]:
    """The edited cells as figures to save, or the problems of every invalid cell."""
    assert context.organisation is not None
    stored = {
        (whole(r.metric_id), whole(r.period)): r for r in figures.itertuples(index=False)
    } if len(figures) else {}
    current = Quarter.containing(today)
    result: list[Figure] = []
    problems: list[CellProblem] = []
    for row, cells in sorted(edits.items(), key=lambda item: int(item[0])):
        metric = context.metrics[int(row)]
        for column, raw in cells.items():
            if column == NAME_COLUMN:
                continue
            quarter = Quarter.parse(column)
            value, reason = _cell_value(raw, metric, quarter, current, context.language)
            if reason:
                problems.append(CellProblem(metric.name(context.language), quarter.label(context.language),
                                            "" if raw is None else str(raw), reason))
                continue
            old = stored.get((metric.id or 0, quarter.index))
            if value is None and old is None:
                continue
            result.append(Figure(
                organisation_id=context.organisation.id, metric_id=metric.id or 0, quarter=quarter, value=value,
                status=text(old.status) if old is not None else "measured", comment=text(old.comment) if old is not None else "",
                expected_version=whole(old.version) if old is not None else 0,
            ))
    return result, problems


def save_grid(context: PageContext, figures_data: pd.DataFrame) -> None:
    """The save button's callback: validate every edited cell, then store all or nothing."""
    state = st.session_state.get(GRID_KEY) or {}
    edits = state.get("edited_rows", {}) if isinstance(state, dict) else {}
    figures, problems = grid_figures(context, edits, figures_data, clock.today())
    if problems:
        st.session_state[OUTCOME] = ("problems", problems)
        return
    if not figures:
        st.session_state[OUTCOME] = ("info", context.t("entry.nothing_changed"))
        return
    _store(context, figures)


def resolve_grid_conflict(context: PageContext, choice: str) -> None:
    """``overwrite`` stores the person's cells over the other person's; ``keep`` keeps theirs and
    stores the person's other cells. Either way the grid then starts again from what is stored."""
    pending: tuple[tuple[Figure, ...], tuple[FigureChange, ...]] | None = st.session_state.pop(PENDING, None)
    if pending is None:
        return
    figures, conflicts = pending
    current = {(c.figure.metric_id, c.figure.quarter.index): c.current for c in conflicts}

    def cell(figure: Figure) -> tuple[int, int]:
        return figure.metric_id, figure.quarter.index

    if choice == "overwrite":
        chosen = [
            replace(f, expected_version=(stored.version if (stored := current[cell(f)]) else 0)) if cell(f) in current else f
            for f in figures
        ]
    else:
        chosen = [f for f in figures if cell(f) not in current]
    st.session_state.pop(GRID_KEY, None)
    if chosen:
        _store(context, chosen)
    else:
        st.session_state[OUTCOME] = ("info", context.t("entry.kept_theirs"))


def grid_conflict_lines(context: PageContext, conflicts: tuple[FigureChange, ...]) -> list[str]:
    """For each cell in conflict: who changed it, when, to what, and what the person typed."""
    by_id = {m.id: m for m in context.metrics}
    lines = []
    for change in conflicts:
        metric = by_id.get(change.figure.metric_id)
        if metric is None:
            continue
        theirs = change.current

        def shown(value: float | None, metric: MetricDefinition = metric) -> str:
            return format_value(value, metric.unit_kind, metric.decimals, context.language)

        lines.append(context.t(
            "entry.conflict_line",
            metric=f"{metric.name(context.language)}, {change.figure.quarter.label(context.language)}",
            theirs=shown(theirs.value if theirs else None), who=theirs.updated_by if theirs else "–",
            when=format_date(theirs.updated_at.date(), context.language) + theirs.updated_at.strftime(" %H:%M")
            if theirs else "–",
            mine=shown(change.figure.value),
        ))
    return lines


def _store(context: PageContext, figures: list[Figure]) -> None:
    try:
        with writing(context.url) as session:
            result = save_figures(session=session, actor=context.actor, figures=figures, via="grid")
    except EffektError as error:
        st.session_state[OUTCOME] = ("error", context.t(error.key, **error.params))
    except FigureConflict as conflict:
        st.session_state[PENDING] = (tuple(figures), conflict.conflicts)
    else:
        st.session_state[OUTCOME] = ("saved", context.t(
            "entry.grid_saved", count=result.written, retracted=result.retracted))
        st.session_state.pop(GRID_KEY, None)  # the grid starts again from what is stored now


def show_grid(context: PageContext, figures: pd.DataFrame) -> None:
    """Draw the grid, its save button and the outcome of the last save."""
    quarters = grid_quarters(context.quarter)
    frame = grid_frame(context, figures, quarters)
    config: dict[str, Any] = {NAME_COLUMN: st.column_config.TextColumn(context.t("column.metric"), disabled=True)}
    for quarter in quarters:
        config[str(quarter)] = st.column_config.TextColumn(quarter.label(context.language))
    st.caption(context.t("entry.grid_caption"))
    st.data_editor(frame, key=GRID_KEY, hide_index=True, num_rows="fixed", column_config=config,
                   width="stretch")
    assert context.organisation is not None
    st.button(context.t("entry.save"), type="primary", key="entry_grid_save", on_click=save_grid,
              args=(context, figures), disabled=not context.actor.can_edit(context.organisation.id))
    pending = st.session_state.get(PENDING)
    if pending is not None:
        st.warning(context.t("entry.grid_conflict", count=len(pending[1])) + "\n\n" + "\n".join(
            f"- {line}" for line in grid_conflict_lines(context, pending[1])))
        left, right = st.columns(2)
        left.button(context.t("entry.overwrite"), key="entry_grid_overwrite", on_click=resolve_grid_conflict,
                    args=(context, "overwrite"))
        right.button(context.t("entry.keep_theirs"), key="entry_grid_keep", on_click=resolve_grid_conflict,
                     args=(context, "keep"))
    outcome = st.session_state.pop(OUTCOME, None)
    if outcome is None:
        return
    kind, payload = outcome
    if kind == "problems":
        st.error(context.t("entry.grid_problems", count=len(payload)) + "\n\n" + "\n".join(
            f"- {p.metric}, {p.quarter}: «{p.value}» – {p.reason}" for p in payload))
    elif kind == "saved":
        st.success(payload)
    elif kind == "info":
        st.info(payload)
    else:
        st.error(payload)


def _cell_value(
    raw: Any, metric: MetricDefinition, quarter: Quarter, current: Quarter, language: str
) -> tuple[float | None, str]:
    """A cell's figure and, if it cannot be stored, why (in the person's language)."""
    if quarter > current:
        return None, translate("period.future", language, quarter=quarter.label(language))
    if raw is None or (isinstance(raw, float) and math.isnan(raw)) or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    try:
        value = read_number(str(raw), language)  # a number put there by code reads the same way
    except NumberProblem as error:
        return None, translate(error.key, language)
    problem = metric.range_problem(value)
    if problem:
        return None, translate(problem, language, min=metric.min_value, max=metric.max_value, value=value)
    return value, ""
