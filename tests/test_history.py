"""Historik and Inrapportering through AppTest; restore as a new revision; the replay invariant."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from data.actors import SYSTEM, Actor, PermissionDenied
from data.bootstrap import prepare_database
from data.catalogue_store import list_metrics
from data.db import reading, writing
from data.figures import Figure, figures_frame, restore_revision, revisions_frame, save_figures
from data.importing.committing import commit_import
from data.importing.planning import plan_import
from data.models import MeasurementRevision
from data.organisations import NewOrganisation, add_organisations, list_organisations
from metrics.periods import Quarter
from tests.apptest_support import html_tables, open_app, shown_text
from tests.conftest import DATABASE_KINDS, database

TODAY = dt.date(2025, 11, 15)


def first_organisation(url):
    with reading(url) as session:
        return list_organisations(session=session)[0]


def test_history_lists_every_change_of_a_figure_and_an_admin_restores_one(app_db, monkeypatch):
    organisation = first_organisation(app_db)
    quarter = Quarter.last_completed()
    with reading(app_db) as session:
        metric = {m.code: m.id for m in list_metrics(session=session)}["ideas_delivered"]
    for value in (50.0, 60.0):
        with writing(app_db) as session:
            save_figures(session=session, actor=Actor("eva", "admin"), via="form",
                         figures=[Figure(organisation.id, metric, quarter, value)])
    at = open_app(app_db, monkeypatch, page="history")
    assert at.title[0].value == "Historik"
    at.selectbox(key="history_metric").set_value(metric).run()
    at.toggle(key="history_only_quarter").set_value(True).run()
    table = at.dataframe[0].value
    assert table["Efter"].tolist()[:2] == ["60 (uppmätt)", "50 (uppmätt)"]
    assert table["Vem"].tolist()[:2] == ["eva", "eva"]
    assert table["Hur"].tolist() == ["formulär", "formulär", "exempeldata"][: len(table)]
    older = int(table["Ändring"].iloc[1])
    at.selectbox(key="history_restore_revision").set_value(older).run()
    at.button(key="history_restore").click().run()
    assert f"Värdet från ändring {older} är återställt." in shown_text(at)
    table = at.dataframe[0].value
    newest = (table["Före"].iloc[0], table["Efter"].iloc[0], table["Hur"].iloc[0])
    assert newest == ("60 (uppmätt)", "50 (uppmätt)", "återställning")
    assert not at.exception


def test_only_an_administrator_restores(app_db):
    with reading(app_db) as session:
        revision = session.scalar(select(MeasurementRevision.id).limit(1))
    with pytest.raises(PermissionDenied), writing(app_db) as session:
        restore_revision(session=session, actor=Actor("eva", "editor", frozenset({1})), revision_id=revision)


def test_script_in_names_and_comments_shows_as_text(app_db, monkeypatch):
    organisation = first_organisation(app_db)
    with reading(app_db) as session:
        metric = {m.code: m.id for m in list_metrics(session=session)}["media_stories"]
    with writing(app_db) as session:
        save_figures(session=session, actor=SYSTEM, via="form", figures=[
            Figure(organisation.id, metric, Quarter.last_completed(), 2.0, "estimated", "<script>alert(1)</script>")])
    at = open_app(app_db, monkeypatch, page="history")
    assert "<script>alert(1)</script>" in at.dataframe[0].value["Kommentar"].tolist()
    assert not any("<script>" in str(m.value) for m in at.markdown if getattr(m, "allow_html", False))


def test_reporting_status_counts_reported_metrics_per_organisation(app_db, monkeypatch):
    organisation = first_organisation(app_db)
    quarter = Quarter.last_completed()
    with reading(app_db) as session:
        metrics = list_metrics(session=session)
        figures = figures_frame(session=session, organisation_ids=[organisation.id], first=quarter, last=quarter)
    with writing(app_db) as session:
        save_figures(session=session, actor=SYSTEM, via="form",
                     figures=[Figure(organisation.id, m.id, quarter, None) for m in metrics[:3]])
    reported = len(set(figures["metric_id"]) - {m.id for m in metrics[:3]})
    at = open_app(app_db, monkeypatch, page="submissions")
    assert at.title[0].value == "Inrapportering"
    status, uncertain, completion = html_tables(at)  # real tables with a caption (no canvas grid, no id clash)
    assert status.attrs["caption"] == f"Inrapportering per organisation, {quarter.label('sv')}"
    table = status.set_index("Organisation")
    assert table.loc[organisation.name, "Rapporterade mätetal"] == f"{reported} av 18"
    assert table.loc[organisation.name, "Saknas"] == str(18 - reported)
    assert (uncertain.attrs["caption"], completion.attrs["caption"]) == ("Uppskattade och preliminära värden",
                                                                        "Inrapportering i hela landet, senaste kvartalen")
    assert not at.dataframe
    assert set(uncertain["Status"]) <= {"uppskattad", "preliminär"}
    assert len(uncertain) > 0
    assert not at.exception


# --- The replay invariant --------------------------------------------------------------------

QUARTERS = [Quarter(2025, 1), Quarter(2025, 2)]
edit = st.tuples(
    st.sampled_from(["form", "import", "retract", "restore"]),
    st.integers(0, 1),  # organisation
    st.integers(0, 2),  # metric
    st.integers(0, 1),  # quarter
    st.sampled_from([0.0, 1.0, 2.0, 7.0, 50.5]),
    st.sampled_from(["measured", "estimated", "preliminary"]),
    st.integers(0, 50),  # which revision to restore
)


@pytest.fixture(scope="module", params=DATABASE_KINDS)
def replay_db(request, tmp_path_factory):
    with database(request.param, tmp_path_factory.mktemp("replay")) as url:
        prepare_database(url)
        with writing(url) as session:
            organisations = add_organisations(session=session, actor=SYSTEM, organisations=[
                NewOrganisation("r1", "Replay 1", "kommun"), NewOrganisation("r2", "Replay 2", "region")])
            metrics = [m for m in list_metrics(session=session) if m.unit_kind == "percent"][:3]
        yield url, organisations, metrics


def apply(url, organisations, metrics, step):
    kind, o, m, q, value, status, pick = step
    organisation, metric, quarter = organisations[o], metrics[m], QUARTERS[q]
    with writing(url) as session:
        if kind == "form":
            save_figures(session=session, actor=SYSTEM, via="form", today=TODAY,
                         figures=[Figure(organisation, metric.id, quarter, value, status, "")])
        elif kind == "retract":
            save_figures(session=session, actor=SYSTEM, via="grid", today=TODAY,
                         figures=[Figure(organisation, metric.id, quarter, None)])
        elif kind == "import":
            codes = {organisations[0]: "r1", organisations[1]: "r2"}
            content = (f"organisation,metric,period,value,status\n{codes[organisation]},{metric.code},{quarter},"
                       f"\"{str(value).replace('.', ',')}\",{status}\n").encode()
            plan = plan_import(session=session, content=content, file_name="r.csv", today=TODAY)
            assert plan.ok, plan.problems
            commit_import(session=session, actor=SYSTEM, plan=plan)
        else:
            ids = list(session.scalars(select(MeasurementRevision.id).order_by(MeasurementRevision.id)))
            if ids:
                restore_revision(session=session, actor=SYSTEM, revision_id=ids[pick % len(ids)], today=TODAY)


def replayed(url):
    """Apply every revision in order to an empty table: the state each cell ends in."""
    with reading(url) as session:
        rows = session.execute(select(
            MeasurementRevision.organisation_id, MeasurementRevision.metric_id, MeasurementRevision.period,
            MeasurementRevision.new_value, MeasurementRevision.new_status, MeasurementRevision.new_comment,
            MeasurementRevision.version,
        ).order_by(MeasurementRevision.id)).all()
    table: dict[tuple[int, int, int], tuple[float, str, str, int]] = {}
    for organisation, metric, period, value, status, comment, version in rows:
        if value is None:
            table.pop((organisation, metric, period), None)
        else:
            table[(organisation, metric, period)] = (value, status, comment, version)
    return table


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(edit, min_size=1, max_size=12))
def test_replaying_the_revisions_gives_the_current_figures(replay_db, steps):
    url, organisations, metrics = replay_db
    for step in steps:
        apply(url, organisations, metrics, step)
    with reading(url) as session:
        current = figures_frame(session=session, organisation_ids=organisations)
    now = {
        (int(r.organisation_id), int(r.metric_id), int(r.period)): (float(r.value), r.status, r.comment, int(r.version))
        for r in current.itertuples(index=False)
    }
    assert replayed(url) == now
    with reading(url) as session:
        history = revisions_frame(session=session, organisation_id=organisations[0])
    assert set(history["via"]) <= {"form", "grid", "import", "restore"}
    assert not pd.isna(history["version"]).any()


def test_an_imported_change_shows_the_files_name_and_hash(app_db, monkeypatch):
    import hashlib

    organisation = first_organisation(app_db)
    content = f"organisation,metric,period,value\n{organisation.code},ideas_delivered,2019-Q1,4\n".encode()
    with writing(app_db) as session:
        commit_import(session=session, actor=SYSTEM, plan=plan_import(session=session, content=content, file_name="q.csv"))
    at = open_app(app_db, monkeypatch, page="history")
    newest = at.dataframe[0].value.iloc[0]
    assert newest["Fil"] == f"q.csv (sha256 {hashlib.sha256(content).hexdigest()[:12]})"
    assert newest["Hur"] == "import"
    assert newest["Före"] == "uppgift saknas"
    assert newest["Efter"] == "4 (uppmätt)"
