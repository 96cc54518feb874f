"""Figures as they stood at a moment, rebuilt from the revision history.

A board pack must be reproducible after later corrections: "what did the board see on 12 March?"
Every change to ``measurement`` writes a revision in the same transaction, so the latest revision
of each cell at or before the moment is the figure then (a retraction's revision has no value).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.figures import FIGURE_COLUMNS
from data.models import MeasurementRevision


def end_of_day(day: dt.date) -> dt.datetime:
    """A date given as "as of" means the whole of that day (UTC, like every stored time)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time()) - dt.timedelta(microseconds=1)


def figures_as_of(
    *, session: Session, moment: dt.datetime, organisation_ids: Iterable[int] | None = None,
) -> pd.DataFrame:
    """The figures as they stood at ``moment`` (UTC), in the shape of :func:`data.figures.figures_frame`."""
    r = MeasurementRevision
    query = select(
        r.id, r.organisation_id, r.metric_id, r.period, r.new_value, r.new_status, r.new_comment,
        r.version, r.changed_at, r.changed_by,
    ).where(r.changed_at <= moment)
    if organisation_ids is not None:
        query = query.where(r.organisation_id.in_(list(organisation_ids)))
    latest: dict[tuple[int, int, int], tuple[object, ...]] = {}
    for row in session.execute(query.order_by(r.id)):
        latest[(row.organisation_id, row.metric_id, row.period)] = tuple(row)
    rows = [
        (organisation_id, metric_id, period, value, status or "measured", comment or "", version, at, by)
        for (_id, organisation_id, metric_id, period, value, status, comment, version, at, by) in latest.values()
        if value is not None
    ]
    frame = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    return frame.astype({"value": "float64"}) if len(frame) else frame
