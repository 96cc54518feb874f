"""The quarterly entry form's logic: what the person saw, what they changed, and saving it.

The form remembers the figures the person saw when it was filled in (``entry_seen``), not the
ones stored at the moment they press save: only inputs that differ from what they saw are sent,
each with the version they saw, so someone else's save in between is a conflict to resolve
instead of a silent overwrite. Saving and resolving run as widget callbacks, before the page
draws, so they may refill the inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import streamlit as st

from data.actors import PermissionDenied
from data.db import reading, writing
from data.figures import (
    Figure,
    FigureChange,
    FigureConflict,
    FigureRejected,
    SaveResult,
    figures_frame,
    save_figures,
)
from metrics.catalogue import MetricDefinition
from metrics.cells import number, text, whole
from metrics.periods import Quarter
from metrics.submissions import missing_metric_ids, uncertain_figures
from presentation.formatting import format_date, format_value, input_text
from ui.numbers import EntryProblem, read_entry
from ui.page import PageContext

LOADED = "entry_loaded_for"
SEEN = "entry_seen"
OUTCOME = "entry_outcome"
PENDING = "entry_pending"


@dataclass(frozen=True)
class Stored:
    """The figure stored for one metric in a quarter, as the form needs it."""

    value: float
    status: str
    comment: str
    version: int


@dataclass(frozen=True)
class Outcome:
    """What the last save did, shown once on the page: ``kind`` is saved, nothing, error or conflict."""

    kind: str
    lines: tuple[str, ...] = ()
    message: str = ""


def value_key(metric: MetricDefinition) -> str:
    return f"entry_value_{metric.code}"


def status_key(metric: MetricDefinition) -> str:
    return f"entry_status_{metric.code}"


def comment_key(metric: MetricDefinition) -> str:
    return f"entry_comment_{metric.code}"


def entry_figures(figures: pd.DataFrame, quarter: Quarter) -> tuple[dict[int, Stored], dict[int, Stored]]:
    """The stored figures of a quarter and of the quarter before, by metric id."""
    def of(period: int) -> dict[int, Stored]:
        rows = figures[figures["period"] == period] if len(figures) else figures
        return {
            whole(r.metric_id): Stored(number(r.value), text(r.status), text(r.comment), whole(r.version))
            for r in rows.itertuples(index=False)
        }
    return of(quarter.index), of(quarter.previous.index)


def prepare_form(context: PageContext, current: dict[int, Stored]) -> None:
    """Fill the inputs with the stored figures when the organisation or quarter changes, or when
    the inputs are gone: Streamlit forgets a widget's value once a run does not draw it (another
    page, the grid), and an empty input must never be mistaken for a retraction."""
    assert context.organisation is not None
    # The language too: the fields hold text written for one language (``87,5`` or ``87.5``).
    loaded_for = (context.organisation.id, context.quarter.index, context.language)
    forgotten = any(value_key(metric) not in st.session_state for metric in context.metrics)
    if st.session_state.get(LOADED) != loaded_for or forgotten:
        _fill(context.metrics, current, context.language)
        st.session_state[LOADED] = loaded_for
        st.session_state.pop(OUTCOME, None)
        st.session_state.pop(PENDING, None)


def previous_text(context: PageContext, metric: MetricDefinition, before: Stored | None) -> str:
    shown = format_value(before.value if before else None, metric.unit_kind, metric.decimals, context.language)
    return context.t("entry.previous", value=shown)


def changed_figures(context: PageContext, inputs: dict[str, Any], seen: dict[int, Stored]) -> list[Figure]:
    """The inputs that differ from what the person saw; an emptied input retracts the figure.
    Raises :class:`EntryProblem` naming every field that holds no number (then nothing is saved)."""
    assert context.organisation is not None
    figures, problems = [], []
    for metric in context.metrics:
        metric_id = metric.id or 0
        before = seen.get(metric_id)
        try:
            value = _typed_value(context, metric, inputs.get(value_key(metric)), before)
        except EntryProblem as problem:
            problems.append(problem.message)
            continue
        status = inputs.get(status_key(metric)) or "measured"
        comment = (inputs.get(comment_key(metric)) or "").strip()
        if value is None and before is None:
            continue
        if before is not None and value is not None and (value, status, comment) == (
            before.value, before.status, before.comment
        ):
            continue
        figures.append(Figure(
            organisation_id=context.organisation.id, metric_id=metric_id, quarter=context.quarter,
            value=value, status=status, comment=comment, expected_version=before.version if before else 0,
        ))
    if problems:
        raise EntryProblem("\n".join(problems))
    return figures


def _typed_value(context: PageContext, metric: MetricDefinition, text: Any, before: Stored | None) -> float | None:
    """The figure in a field; untouched text (as the form wrote it) is the stored figure exactly."""
    if before is not None and isinstance(text, str) and text == input_text(before.value, context.language):
        return before.value
    return read_entry(text, context.language, metric.name(context.language))


def submit_form(context: PageContext) -> None:
    """The save button's callback: store every changed input in one transaction."""
    st.session_state.pop(PENDING, None)
    try:
        figures = changed_figures(context, st.session_state.to_dict(), st.session_state.get(SEEN, {}))
    except EntryProblem as problem:
        st.session_state[OUTCOME] = Outcome("error", lines=tuple(problem.message.split("\n")),
                                            message=context.t("invalid.nothing_saved"))
        return
    if not figures:
        st.session_state[OUTCOME] = Outcome("nothing", message=context.t("entry.nothing_changed"))
        return
    _save(context, figures)


def resolve_conflict(context: PageContext, choice: str) -> None:
    """After a conflict: ``overwrite`` stores the person's figures over the other person's;
    ``keep`` keeps the other person's figures and stores the rest of the person's."""
    pending: tuple[tuple[Figure, ...], tuple[FigureChange, ...]] | None = st.session_state.pop(PENDING, None)
    if pending is None:
        return
    figures, conflicts = pending
    current = {(c.figure.metric_id): c.current for c in conflicts}
    if choice == "overwrite":
        figures = tuple(
            replace(f, expected_version=stored.version if (stored := current.get(f.metric_id)) else 0)
            if f.metric_id in current else f
            for f in figures
        )
    else:
        figures = tuple(f for f in figures if f.metric_id not in current)
        for metric in context.metrics:
            if (metric.id or 0) in current:
                _fill_one(metric, _stored(current[metric.id or 0]), context.language)
    if figures:
        _save(context, list(figures))
    else:
        st.session_state[OUTCOME] = Outcome("nothing", message=context.t("entry.kept_theirs"))
    _reload_seen(context)


def conflict_lines(context: PageContext) -> list[str]:
    """For each figure in conflict: who changed it, when, to what, and what the person typed."""
    pending = st.session_state.get(PENDING)
    if pending is None:
        return []
    by_id = {m.id: m for m in context.metrics}
    lines = []
    for change in pending[1]:
        metric = by_id.get(change.figure.metric_id)
        if metric is None:
            continue
        theirs = change.current
        lines.append(context.t(
            "entry.conflict_line", metric=metric.name(context.language),
            theirs=_shown(context, metric, theirs.value if theirs else None),
            who=theirs.updated_by if theirs else "–",
            when=format_date(theirs.updated_at.date(), context.language) + theirs.updated_at.strftime(" %H:%M")
            if theirs else "–",
            mine=_shown(context, metric, change.figure.value),
        ))
    return lines


def saved_lines(context: PageContext, result: SaveResult) -> list[str]:
    """Each stored change as ``name: old → new`` in the person's language."""
    by_id = {m.id: m for m in context.metrics}
    lines = []
    for change in result.changes:
        metric = by_id.get(change.figure.metric_id)
        if metric is None:
            continue
        old = change.current.value if change.current else None
        lines.append(context.t(
            "entry.saved_line", metric=metric.name(context.language),
            old=_shown(context, metric, old), new=_shown(context, metric, change.figure.value),
            status=context.t(f"status.{change.figure.status}") if change.figure.value is not None
            else context.t("entry.retracted"),
        ))
    return lines


def _save(context: PageContext, figures: list[Figure]) -> None:
    by_id = {m.id: m for m in context.metrics}
    try:
        with writing(context.url) as session:
            result = save_figures(session=session, actor=context.actor, figures=figures, via="form")
    except FigureRejected as error:
        metric = by_id.get(error.figure.metric_id)
        reason = context.t(error.key, **error.params)
        message = f"{metric.name(context.language)}: {reason}" if metric else reason
        st.session_state[OUTCOME] = Outcome("error", message=message)
    except PermissionDenied as error:
        st.session_state[OUTCOME] = Outcome("error", message=context.t(error.key, **error.params))
    except FigureConflict as conflict:
        st.session_state[PENDING] = (tuple(figures), conflict.conflicts)
        st.session_state[OUTCOME] = Outcome("conflict", message=context.t("entry.conflict", count=len(conflict.conflicts)))
    else:
        st.session_state[OUTCOME] = Outcome(
            "saved", lines=tuple(saved_lines(context, result)),
            message=context.t("entry.saved", count=result.written),
        )
        _reload_seen(context)
        _show_as_stored(context, figures)


def _show_as_stored(context: PageContext, figures: list[Figure]) -> None:
    """Saved fields show the figure as the language writes it (``87,5 %`` typed, ``87,5`` shown)."""
    by_id = {m.id: m for m in context.metrics}
    for figure in figures:
        metric = by_id.get(figure.metric_id)
        if metric is not None:
            st.session_state[value_key(metric)] = input_text(figure.value, context.language)


def _reload_seen(context: PageContext) -> None:
    """After a save the person has seen what is stored now: the next save starts from it."""
    assert context.organisation is not None
    with reading(context.url) as session:
        frame = figures_frame(session=session, organisation_ids=[context.organisation.id],
                              first=context.quarter, last=context.quarter)
    st.session_state[SEEN] = entry_figures(frame, context.quarter)[0]


def _fill(metrics: list[MetricDefinition], current: dict[int, Stored], language: str) -> None:
    st.session_state[SEEN] = dict(current)
    for metric in metrics:
        _fill_one(metric, current.get(metric.id or 0), language)


def _fill_one(metric: MetricDefinition, stored: Stored | None, language: str) -> None:
    st.session_state[value_key(metric)] = input_text(stored.value if stored else None, language)
    st.session_state[status_key(metric)] = stored.status if stored else "measured"
    st.session_state[comment_key(metric)] = stored.comment if stored else ""


def _stored(current: Any) -> Stored | None:
    if current is None:
        return None
    return Stored(float(current.value), current.status, current.comment, int(current.version))


def _shown(context: PageContext, metric: MetricDefinition, value: float | None) -> str:
    if value is not None and math.isnan(value):
        value = None
    return format_value(value, metric.unit_kind, metric.decimals, context.language)


def missing_note(context: PageContext, figures: pd.DataFrame) -> tuple[str, list[str]]:
    """For the last completed quarter: a headline and the metrics still missing or uncertain."""
    quarter = Quarter.last_completed()
    ids = [m.id or 0 for m in context.metrics]
    by_id = {m.id: m for m in context.metrics}
    missing = missing_metric_ids(figures, ids, quarter.index)
    uncertain = uncertain_figures(figures, ids, quarter.index)
    lines = [context.t("entry.missing_metric", metric=by_id[i].name(context.language)) for i in missing]
    lines += [
        context.t("entry.uncertain_metric", metric=by_id[whole(r.metric_id)].name(context.language),
                  status=context.t(f"status.{r.status}"))
        for r in uncertain.itertuples(index=False)
    ]
    headline = context.t(
        "entry.missing_headline", quarter=quarter.label(context.language), missing=len(missing),
        total=len(ids), uncertain=len(uncertain),
    )
    return headline, lines
