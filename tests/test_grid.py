"""Grid editing: metrics × quarters, the import's checks per cell, all or nothing, retraction."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, select

from data.catalogue_store import list_metrics
from data.db import reading
from data.figures import figures_frame, revisions_frame
from data.models import MeasurementRevision
from data.organisations import list_organisations
from metrics.periods import Quarter
from presentation.formatting import input_text
from tests.apptest_support import open_app, shown_text


def grid(url, monkeypatch):
    at = open_app(url, monkeypatch, page="entry")
    at.segmented_control(key="entry_mode").set_value("grid").run()
    assert not at.exception, at.exception
    return at


def edit(at, edits):
    at.session_state["entry_grid"] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.button(key="entry_grid_save").click().run()
    assert not at.exception, at.exception
    return at


def setup(url):
    with reading(url) as session:
        organisation = list_organisations(session=session)[0]
        metrics = list_metrics(session=session)
        figures = figures_frame(session=session, organisation_ids=[organisation.id])
        revisions = session.scalar(select(func.count(MeasurementRevision.id)))
    return organisation, metrics, figures, revisions


def row_of(metrics, code):
    return next(i for i, m in enumerate(metrics) if m.code == code)


def test_the_grid_shows_metrics_by_quarters(app_db, monkeypatch):
    _organisation, metrics, figures, _ = setup(app_db)
    at = grid(app_db, monkeypatch)
    frame = at.dataframe[0].value
    last = Quarter.last_completed()
    assert list(frame.columns)[-1] == str(last)
    assert len(frame.columns) == 9
    assert len(frame) == len(metrics)
    ideas = row_of(metrics, "ideas_delivered")
    stored = figures[(figures["metric_id"] == metrics[ideas].id) & (figures["period"] == last.index)]["value"].tolist()
    assert frame.iloc[ideas][str(last)] == input_text(stored[0], "sv") == f"{stored[0]:.0f}"
    assert "En tömd cell tar bort värdet" in shown_text(at)


def test_editing_cells_saves_them_and_clearing_one_retracts(app_db, monkeypatch):
    organisation, metrics, figures, revisions = setup(app_db)
    last = Quarter.last_completed()
    sat = row_of(metrics, "customer_satisfaction")
    ideas = row_of(metrics, "ideas_delivered")
    stored_ideas = figures[(figures["metric_id"] == metrics[ideas].id) & (figures["period"] == (last - 1).index)]
    assert len(stored_ideas) == 1
    at = edit(grid(app_db, monkeypatch), {sat: {str(last): 55.5}, ideas: {str(last - 1): None}})
    assert "Sparat: 2 värden ändrades, varav 1 borttagna." in shown_text(at)
    with reading(app_db) as session:
        now = figures_frame(session=session, organisation_ids=[organisation.id])
        history = revisions_frame(session=session, organisation_id=organisation.id, metric_id=metrics[ideas].id,
                                  quarter=last - 1)
        assert session.scalar(select(func.count(MeasurementRevision.id))) == revisions + 2
    value = now[(now["metric_id"] == metrics[sat].id) & (now["period"] == last.index)]["value"].tolist()
    assert value == [55.5]
    assert now[(now["metric_id"] == metrics[ideas].id) & (now["period"] == (last - 1).index)].empty
    assert pd.isna(history["new_value"].iloc[0])
    assert history["via"].iloc[0] == "grid"


def test_every_invalid_cell_is_reported_and_nothing_is_saved(app_db, monkeypatch):
    _organisation, metrics, _figures, revisions = setup(app_db)
    last = Quarter.last_completed()
    at = edit(grid(app_db, monkeypatch), {
        row_of(metrics, "customer_satisfaction"): {str(last): 120.0},
        row_of(metrics, "ideas_delivered"): {str(last): 2.5, str(last - 1): -1.0},
        row_of(metrics, "media_stories"): {str(last): 4.0},
    })
    text = shown_text(at)
    assert "Inget sparades: 3 celler går inte att spara." in text
    assert f"Kundnöjdhet, {last.label('sv')}: «120.0» – Värdet är högre än det högsta tillåtna, 100." in text
    assert "Levererade idéer" in text
    assert "hela tal" in text
    assert "lägre än det minsta tillåtna, 0" in text
    with reading(app_db) as session:
        assert session.scalar(select(func.count(MeasurementRevision.id))) == revisions


def stored_value(url, organisation, metric, quarter):
    with reading(url) as session:
        now = figures_frame(session=session, organisation_ids=[organisation.id], metric_ids=[metric.id],
                            first=quarter, last=quarter)
    return now["value"].tolist()


@pytest.mark.parametrize(("choice", "kept"), [("entry_grid_overwrite", 61.5), ("entry_grid_keep", 44.5)])
def test_a_conflict_in_the_grid_is_shown_and_resolved_by_overwrite_or_keep(app_db, monkeypatch, choice, kept):
    organisation, metrics, _, _ = setup(app_db)
    last = Quarter.last_completed()
    sat = row_of(metrics, "customer_satisfaction")
    anna = grid(app_db, monkeypatch)
    bo = grid(app_db, monkeypatch)
    assert "Sparat: 1 värden ändrades" in shown_text(edit(anna, {sat: {str(last): 44.5}}))
    edit(bo, {sat: {str(last): 61.5}})
    warning = shown_text(bo)
    assert "Inget sparades: 1 av värdena har ändrats av någon annan sedan du öppnade tabellen." in warning
    assert "Kundnöjdhet, " + last.label("sv") + ": nu 44,5\u00a0%, ändrat av test-admin" in warning
    assert "ditt värde 61,5\u00a0%" in warning
    assert stored_value(app_db, organisation, metrics[sat], last) == [44.5]
    bo.button(key=choice).click().run()
    assert not bo.exception
    assert stored_value(app_db, organisation, metrics[sat], last) == [kept]
    assert "entry_grid_overwrite" not in [b.key for b in bo.button]
