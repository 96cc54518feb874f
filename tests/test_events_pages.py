"""Events on Mätetal i detalj and Översikt for the demo: markers with the title on hover, the
method change drawn as a break, and "inte jämförbart (ny mätmetod)" across it; markup in a title
stays plain text in the hover."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from data.actors import SYSTEM, Actor
from data.db import reading, writing
from data.events import NewEvent, add_event, list_events
from data.models import Organisation
from metrics.clock import fixed_today
from metrics.periods import Quarter
from tests.apptest_support import html_tables, open_app
from tests.conftest import TODAY, copy_of_demo
from ui.charts import EventMark, detail_figure
from ui.detail import DetailPoint
from ui.safe_text import literal_figure

LAST = Quarter.last_completed(TODAY)


@pytest.fixture(scope="module")
def app_db(demo_template, tmp_path_factory):
    """The demo as of the suite's day, with one more event whose title holds markup."""
    with copy_of_demo(demo_template, tmp_path_factory.mktemp("events")) as url:
        with writing(url) as session, fixed_today(TODAY):
            ekbacka = session.scalar(select(Organisation.id).where(Organisation.code == "demo-ekbacka"))
            add_event(session=session, actor=SYSTEM, event=NewEvent(
                ekbacka, LAST - 1, "<script>alert('x')</script> Chattbot", "launch", metric_code="customer_satisfaction"))
        yield url


def _ekbacka(url: str) -> int:
    with reading(url) as session:
        return int(session.scalar(select(Organisation.id).where(Organisation.code == "demo-ekbacka")))


def _detail(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch)
    at.selectbox(key="context_organisation").set_value(_ekbacka(app_db)).run()
    at.switch_page("app_pages/metric_detail.py").run()
    at.selectbox(key="detail_metric").set_value("customer_satisfaction").run()
    assert not at.exception
    return at


def test_the_detail_page_shows_the_demo_events_and_the_break(app_db, monkeypatch):
    at = _detail(app_db, monkeypatch)
    table = next(d for d in html_tables(at) if "Period" in d.columns)
    changes = dict(zip(table["Period"], table["Förändring mot föregående kvartal"], strict=True))
    events = dict(zip(table["Period"], table["Händelser"], strict=True))
    method = (LAST - 2).label("sv")
    assert changes[method] == "inte jämförbart (ny mätmetod)"
    assert changes[(LAST - 3).label("sv")] != "inte jämförbart (ny mätmetod)"
    assert changes[(LAST - 1).label("sv")] != "inte jämförbart (ny mätmetod)"
    assert events[method] == (f"{method} · ny mätmetod: Ny enkätmetod för kundnöjdhet — "
                              "Sms-enkät direkt efter ärendet i stället för årlig pappersenkät")
    assert events[(LAST - 4).label("sv")] == f"{(LAST - 4).label('sv')} · kampanj: Kampanj: Säg vad du tycker"
    comments = dict(zip(table["Period"], table["Kommentar"], strict=True))
    assert re.fullmatch(r"«Andra kvartalet med sms-enkäten: fler svar, och fler missnöjda hörs nu\.» — demo-editor, "
                        r"\d{4}-\d\d-\d\d", comments[LAST.label("sv")])
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    marks = next(trace for trace in spec["data"] if trace.get("name") == "Händelser")
    assert marks["x"] == [(LAST - 4).label("sv"), (LAST - 2).label("sv"), (LAST - 1).label("sv")]
    assert marks["text"][2] == f"{(LAST - 1).label('sv')} · lansering: &lt;script&gt;alert('x')&lt;/script&gt; Chattbot"
    assert "<script>" not in json.dumps(spec)
    breaks = [s for s in spec["layout"]["shapes"] if s.get("name") == "break"]
    assert [(s["x0"], s["line"]["dash"]) for s in breaks] == [(method, "dash")]


def test_the_overview_card_says_not_comparable_across_the_method_change(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch)
    at.selectbox(key="context_organisation").set_value(_ekbacka(app_db)).run()
    captions = [c.value for c in at.caption]
    assert "Mot samma kvartal i fjol: inte jämförbart (ny mätmetod)" in captions
    texts = [t.value for t in at.text]
    assert any(re.fullmatch(r"«Bygglovstjänsten frigjorde tid för två nya idéer\.» — demo-editor, \d{4}-\d\d-\d\d", t)
               for t in texts)
    with reading(app_db) as session:
        assert [e.kind for e in list_events(session=session, organisation_ids={_ekbacka(app_db)})].count(
            "method_change") == 1


def test_the_pure_builder_draws_markers_with_escaped_titles():
    from metrics.catalogue import load_builtin_catalogue
    metric = next(m for m in load_builtin_catalogue() if m.code == "customer_satisfaction")
    figure = detail_figure(metric=metric, x=["2025 K1", "2025 K2"], points=[DetailPoint("2025 K1", 70.0, False, "a")],
                           label="Ekbacka", colour="#000", language="sv", events_label="Händelser",
                           events=[EventMark("2025 K2", "<b>Ny</b> enkät", True)], break_label="ny mätmetod")
    marks = next(t for t in literal_figure(figure).data if t.name == "Händelser")  # as show_figure draws it
    assert (list(marks.x), list(marks.y), list(marks.text)) == (["2025 K2"], [70.0], ["&lt;b&gt;Ny&lt;/b&gt; enkät"])
    assert [(s.x0, s.yref) for s in figure.layout.shapes] == [("2025 K2", "paper")]


def test_compare_trends_show_events_of_named_organisations_only(app_db, monkeypatch):
    with reading(app_db) as session:
        codes = dict(session.execute(select(Organisation.code, Organisation.id)).all())
    with writing(app_db) as session:
        add_event(session=session, actor=SYSTEM, event=NewEvent(
            codes["demo-sjovik"], LAST - 1, "Hemlig omorganisation i Sjövik", "reorganisation"))
    viewer = Actor("event-viewer", "viewer", frozenset({codes["demo-ekbacka"]}))
    at = open_app(app_db, monkeypatch, actor=viewer)
    at.switch_page("app_pages/compare.py").run()
    at.segmented_control(key="compare_view").set_value("trends").run()
    at.selectbox(key="compare_metric").set_value("customer_satisfaction").run()
    at.multiselect(key="compare_organisations").set_value([codes["demo-ekbacka"], codes["demo-bjorkhamn"]]).run()
    assert not at.exception
    assert codes["demo-sjovik"] not in at.multiselect(key="compare_organisations").options
    spec = json.dumps(json.loads(at.get("plotly_chart")[0].proto.spec), ensure_ascii=False)
    assert "Händelser: Ekbacka kommun" in spec
    assert "Händelser: Björkhamns kommun" in spec
    assert "Björkhamns kommun · " + (LAST - 2).label("sv") + " · ny mätmetod: Ny enkätmetod för kundnöjdhet" in spec
    assert "Hemlig" not in spec
    assert "Sjövik" not in spec


def test_the_follow_up_view_under_mal_shows_before_and_since_for_the_demo_experiments(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch)
    at.selectbox(key="context_organisation").set_value(_ekbacka(app_db)).run()
    at.switch_page("app_pages/targets.py").run()
    assert not at.exception
    table = next(d for d in [*html_tables(at), *(d.value for d in at.dataframe)] if "Försök" in d.columns)
    rows = {r["Försök"]: r for r in table.to_dict("records")}
    ideas = rows["Idéverkstad varannan vecka med medarbetare och invånare"]
    chat = rows["Chattbot för bygglovsfrågor (MVP med tio sökande)"]
    assert (ideas["Mätetal"], ideas["Utfall"]) == ("Levererade idéer", "fungerade")
    assert ideas["Före (medel, upp till 4 kvartal)"] != "–"
    assert ideas["Sedan start (medel)"] != "–"
    assert ideas["Lärdom"] == "Korta, återkommande verkstäder ger fler idéer än en årlig tävling."
    assert chat["Förändring"] == "inte jämförbart (ny mätmetod)"
    assert chat["Obs"] == "Försiktighet: ny mätmetod under perioden"
    assert (chat["Utfall"], chat["Förväntat"]) == ("för tidigt att säga", "+5,0\u00a0p.e.")
