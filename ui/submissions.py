"""Inrapportering: per quarter, which organisations reported how many metrics, and what is uncertain."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from data.db import reading
from data.figures import figures_frame
from metrics.cells import number, whole
from metrics.disclosure import openable
from metrics.periods import Quarter
from metrics.submissions import reporting_status, uncertain_figures
from presentation.formatting import format_value
from ui.page import PageContext


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def quarter_figures(url: str, version: int, period: int) -> pd.DataFrame:  # noqa: ARG001 - the cache key: a new data version is a new read
    """Every organisation's figures for one quarter (organisations × metrics rows at most)."""
    quarter = Quarter.from_index(period)
    with reading(url) as session:
        return figures_frame(session=session, first=quarter, last=quarter)


def visible_organisations(context: PageContext) -> list[int]:
    """The organisations this person may open (:func:`metrics.disclosure.openable`): administrators
    every one, editors and viewers their own."""
    return [o.id for o in openable(context.viewer, context.organisations)]


def status_table(
    context: PageContext, figures: pd.DataFrame,
    extra: Callable[[PageContext, pd.Series], dict[str, list[str]]] | None = None,
) -> pd.DataFrame:
    """Per organisation: reported n of m, missing, uncertain; ``extra`` adds columns by organisation id
    (the reporting round's sign-off and days left, ui/rounds.py)."""
    names = {o.id: o.name for o in context.organisations}
    metric_ids = [m.id or 0 for m in context.metrics]
    status = reporting_status(figures, visible_organisations(context), metric_ids, context.quarter.index)
    status = status.sort_values(["missing", "organisation_id"], ascending=[False, True], kind="stable")
    return pd.DataFrame({
        context.t("column.organisation"): status["organisation_id"].map(names),
        **(extra(context, status["organisation_id"]) if extra else {}),
        context.t("reporting.reported"): [
            context.t("reporting.of", reported=r, expected=e) for r, e in zip(status["reported"], status["expected"], strict=True)
        ],
        context.t("reporting.missing"): status["missing"].astype(int),
        context.t("status.estimated"): status["estimated"].astype(int),
        context.t("status.preliminary"): status["preliminary"].astype(int),
    })


def uncertain_table(context: PageContext, figures: pd.DataFrame) -> pd.DataFrame:
    names = {o.id: o.name for o in context.organisations}
    metrics = {m.id: m for m in context.metrics}
    visible = set(visible_organisations(context))
    chosen = uncertain_figures(figures, [m.id for m in context.metrics if m.id is not None], context.quarter.index)
    rows = []
    for r in chosen.itertuples(index=False):
        if whole(r.organisation_id) not in visible:
            continue
        metric = metrics[whole(r.metric_id)]
        rows.append({
            context.t("column.organisation"): names.get(whole(r.organisation_id), ""),
            context.t("column.metric"): metric.name(context.language),
            context.t("column.value"): format_value(number(r.value), metric.unit_kind, metric.decimals, context.language),
            context.t("column.figure_status"): context.t(f"status.{r.status}"),
            context.t("column.comment"): r.comment,
        })
    return pd.DataFrame(rows)
