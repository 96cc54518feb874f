"""Heavy reads done by the database: the latest figure per organisation and per-quarter peer aggregates.

At national scale one metric has 650 organisations × 40 quarters = 26 000 figures. Pages need a
handful of numbers from them, so the grouping happens in SQL on the covering index
``ix_measurement_metric_period_value`` (a test checks the SQLite query plan). PostgreSQL computes
the quartiles itself (``percentile_cont``, the same linear interpolation as pandas); SQLite has no
percentile function, so it returns the values of each quarter, already filtered and from the index
alone, and :func:`metrics.disclosure.peer_statistics` does the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from metrics.cells import whole
from metrics.disclosure import Rule, peer_statistics, statistics_disclosed
from metrics.periods import Quarter

LATEST_COLUMNS = ["organisation_id", "period", "value", "status"]
PEER_COLUMNS = ["period", "count", "median", "q1", "q3"]

LATEST_SQL = """
SELECT m.organisation_id, m.period, m.value, m.status
FROM measurement AS m
JOIN (
    SELECT organisation_id, MAX(period) AS period
    FROM measurement
    WHERE metric_id = :metric_id AND period BETWEEN :first AND :last
    GROUP BY organisation_id
) AS latest ON latest.organisation_id = m.organisation_id AND latest.period = m.period
WHERE m.metric_id = :metric_id
ORDER BY m.organisation_id
"""

PEER_VALUES_SQL = """
SELECT period, value FROM measurement
WHERE metric_id = :metric_id AND period BETWEEN :first AND :last {filters}
ORDER BY period
"""

PEER_PERCENTILES_SQL = """
SELECT period, COUNT(*) AS count,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS median,
       percentile_cont(0.25) WITHIN GROUP (ORDER BY value) AS q1,
       percentile_cont(0.75) WITHIN GROUP (ORDER BY value) AS q3
FROM measurement
WHERE metric_id = :metric_id AND period BETWEEN :first AND :last {filters}
GROUP BY period
ORDER BY period
"""


def latest_figures(*, session: Session, metric_id: int, last: Quarter, first: Quarter | None = None) -> pd.DataFrame:
    """Each organisation's most recent figure of a metric up to ``last`` (not older than ``first``)."""
    params = {"metric_id": metric_id, "first": (first or Quarter(1900, 1)).index, "last": last.index}
    rows = session.execute(text(LATEST_SQL), params).all()
    frame = pd.DataFrame(rows, columns=LATEST_COLUMNS)
    return frame.astype({"value": "float64"}) if len(frame) else frame


def peer_aggregates(
    *,
    session: Session,
    metric_id: int,
    first: Quarter,
    last: Quarter,
    rule: Rule,
    organisation_ids: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Per quarter: how many figures count, and their median and quartiles when the rule discloses them.

    The same rule as :func:`metrics.disclosure.peer_statistics` (estimated figures left out, nothing
    disclosed below the minimum), so a page shows the same band whichever database it runs on.
    """
    filters, params = _filters(metric_id, first, last, organisation_ids, rule.exclude_estimated)
    if session.connection().dialect.name == "postgresql":
        statement = text(PEER_PERCENTILES_SQL.format(filters=filters))
        rows = [tuple(r) for r in session.execute(_bind(statement, params), params).all()]
        frame = pd.DataFrame(rows, columns=PEER_COLUMNS)
    else:
        statement = text(PEER_VALUES_SQL.format(filters=filters))
        values = pd.DataFrame(session.execute(_bind(statement, params), params).all(), columns=["period", "value"])
        frame = pd.DataFrame(
            [_quarter_row(whole(period), group) for period, group in values.groupby("period", sort=True)],
            columns=PEER_COLUMNS,
        )
    if frame.empty:
        return pd.DataFrame({name: pd.Series(dtype="float64") for name in PEER_COLUMNS}).astype({"period": "int64",
                                                                                                  "count": "int64"})
    frame = frame.astype({"period": "int64", "count": "int64", "median": "float64", "q1": "float64", "q3": "float64"})
    hidden = ~frame["count"].map(lambda count: statistics_disclosed(int(count), rule)).astype(bool)
    frame.loc[hidden, ["median", "q1", "q3"]] = float("nan")
    return frame


def _filters(
    metric_id: int, first: Quarter, last: Quarter, organisation_ids: Iterable[int] | None, exclude_estimated: bool
) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {"metric_id": metric_id, "first": first.index, "last": last.index}
    filters = ""
    if exclude_estimated:
        filters += " AND status <> 'estimated'"
    if organisation_ids is not None:
        params["organisation_ids"] = sorted(set(organisation_ids))
        filters += " AND organisation_id IN :organisation_ids"
    return filters, params


def _bind(statement: Any, params: dict[str, Any]) -> Any:
    if "organisation_ids" in params:
        return statement.bindparams(bindparam("organisation_ids", expanding=True))
    return statement


def _quarter_row(period: int, group: pd.DataFrame) -> tuple[int, int, float | None, float | None, float | None]:
    stats = peer_statistics(group.assign(status="measured"), Rule(minimum=1, exclude_estimated=False))
    return period, stats.count, stats.median, stats.q1, stats.q3
