"""The quarterly entry form's logic: what is stored now, and turning inputs into figures."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data.db import writing
from data.figures import Figure, SaveResult, save_figures
from metrics.periods import Quarter
from ui.page import PageContext


@dataclass(frozen=True)
class Stored:
    """The figure stored for one metric in a quarter, as the form needs it."""

    value: float
    status: str
    comment: str
    version: int


def entry_figures(figures: pd.DataFrame, quarter: Quarter) -> tuple[dict[int, Stored], dict[int, Stored]]:
    """The stored figures of a quarter and of the quarter before, by metric id."""
    def of(period: int) -> dict[int, Stored]:
        rows = figures[figures["period"] == period] if len(figures) else figures
        return {
            int(r.metric_id): Stored(float(r.value), r.status, r.comment, int(r.version))
            for r in rows.itertuples(index=False)
        }
    return of(quarter.index), of(quarter.previous.index)


def save_entry(context: PageContext, values: dict[str, float | None], current: dict[int, Stored]) -> SaveResult:
    """Store the form: an empty input on a stored figure retracts it; unchanged ones write nothing."""
    assert context.organisation is not None
    figures = []
    for metric in context.metrics:
        value = values.get(metric.code)
        stored = current.get(metric.id or 0)
        if value is None and stored is None:
            continue
        figures.append(Figure(
            organisation_id=context.organisation.id, metric_id=metric.id or 0, quarter=context.quarter,
            value=None if value is None else float(value),
            status=stored.status if stored else "measured", comment=stored.comment if stored else "",
            expected_version=stored.version if stored else 0,
        ))
    with writing(context.url) as session:
        result = save_figures(session=session, actor=context.actor, figures=figures, via="form")
    return result
