"""Heavy reads in SQL: latest figure per organisation, per-quarter peer aggregates, and the indexes they use."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from sqlalchemy import text

from data.actors import SYSTEM
from data.aggregates import LATEST_SQL, PEER_VALUES_SQL, latest_figures, peer_aggregates
from data.catalogue_store import list_metrics
from data.db import reading, writing
from data.figures import Figure, figures_frame, save_figures
from data.organisations import NewOrganisation, add_organisations
from metrics.disclosure import Rule, peer_statistics
from metrics.periods import Quarter
from tests.conftest import TODAY

Q = Quarter(2025, 1)


@pytest.fixture
def filled(ready_url):
    """Seven organisations, three quarters of one metric; gaps, one estimated figure per quarter."""
    with writing(ready_url) as session:
        ids = add_organisations(session=session, actor=SYSTEM, organisations=[
            NewOrganisation(f"o{n}", f"Organisation {n}", "kommun") for n in range(7)
        ])
        metric = {m.code: m.id for m in list_metrics(session=session)}["customer_satisfaction"]
        figures = []
        for offset in range(3):
            for position, organisation in enumerate(ids):
                if position == offset:  # a gap: organisation ``offset`` has no figure this quarter
                    continue
                status = "estimated" if position == 6 else "measured"
                figures.append(Figure(organisation, metric, Q + offset, 10.0 * position + offset, status))
        save_figures(session=session, actor=SYSTEM, figures=figures, via="import", today=TODAY)
    return ready_url, ids, metric


def test_latest_figure_per_organisation_is_the_newest_up_to_the_quarter(filled):
    url, ids, metric = filled
    with reading(url) as session:
        latest = latest_figures(session=session, metric_id=metric, last=Q + 1)
    by_organisation = {row.organisation_id: (row.period, row.value) for row in latest.itertuples()}
    assert by_organisation[ids[1]] == ((Q).index, 10.0)  # missing in Q+1, so Q's figure
    assert by_organisation[ids[0]] == ((Q + 1).index, 1.0)
    assert by_organisation[ids[3]] == ((Q + 1).index, 31.0)
    assert len(latest) == 7


def test_peer_aggregates_match_peer_statistics_per_quarter(filled):
    url, ids, metric = filled
    with reading(url) as session:
        band = peer_aggregates(session=session, metric_id=metric, first=Q, last=Q + 2, rule=Rule(5, True))
        everything = figures_frame(session=session, metric_ids=[metric])
    assert band["period"].tolist() == [Q.index, (Q + 1).index, (Q + 2).index]
    for row in band.itertuples():
        expected = peer_statistics(everything[everything["period"] == row.period], Rule(5, True))
        assert row.count == expected.count == 5  # six reported, the estimated one left out
        assert row.median == pytest.approx(expected.median)
        assert row.q1 == pytest.approx(expected.q1) and row.q3 == pytest.approx(expected.q3)


def test_peer_aggregates_hide_the_band_below_the_minimum_and_filter_by_peers(filled):
    url, ids, metric = filled
    with reading(url) as session:
        band = peer_aggregates(session=session, metric_id=metric, first=Q, last=Q, organisation_ids=ids[:4], rule=Rule(5, True))
        empty = peer_aggregates(session=session, metric_id=metric, first=Q + 10, last=Q + 12, rule=Rule(5, True))
    assert band["count"].tolist() == [3]
    assert math.isnan(band["median"].iloc[0])
    assert empty.empty and list(empty.columns) == ["period", "count", "median", "q1", "q3"]


def _plan(url: str, sql: str, params: dict[str, object]) -> str:
    with reading(url) as session:
        rows = session.execute(text(f"EXPLAIN QUERY PLAN {sql}"), params).all()
    return "\n".join(str(row[-1]) for row in rows)


def test_sqlite_query_plans_use_the_covering_index(tmp_path):
    from data.bootstrap import prepare_database

    url = f"sqlite:///{tmp_path / 'plan.db'}"
    prepare_database(url)
    params = {"metric_id": 1, "first": 8000, "last": 8100}
    latest = _plan(url, LATEST_SQL, params)
    assert "USING COVERING INDEX ix_measurement_metric_period_value (metric_id=? AND period>? AND period<?)" in latest
    # the unique (organisation, metric, period) key: SQLite names its index after the table
    assert "SEARCH m USING INDEX sqlite_autoindex_measurement_1 (organisation_id=? AND metric_id=? AND period=?)" in latest
    band = _plan(url, PEER_VALUES_SQL.format(filters=" AND status <> 'estimated'"), params)
    assert "USING COVERING INDEX ix_measurement_metric_period_value" in band
    # The compare page's read (every column of one metric in one quarter) searches the same index.
    compare = _plan(url, "SELECT * FROM measurement WHERE metric_id = :metric_id AND period BETWEEN :first AND :last",
                    params)
    assert "SEARCH measurement USING INDEX ix_measurement_metric_period_value" in compare
    # One organisation's figures (Översikt, Kvartalsdata) use the unique cell index.
    overview = _plan(url, "SELECT * FROM measurement WHERE organisation_id = :organisation_id", {"organisation_id": 1})
    assert "SEARCH measurement USING INDEX" in overview


def test_latest_figures_empty_metric_gives_an_empty_frame(ready_url):
    with reading(ready_url) as session:
        latest = latest_figures(session=session, metric_id=1, last=Q)
    assert isinstance(latest, pd.DataFrame) and latest.empty
