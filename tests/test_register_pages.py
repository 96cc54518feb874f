"""Administration's Sweden section and Jämför's "compare within" in AppTest, on a real SQLite file
and a Kolada-shaped server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt

import pytest

from data.actors import SYSTEM
from data.bootstrap import prepare_database
from data.catalogue_store import list_metrics
from data.db import reading, writing
from data.figures import Figure, save_figures
from data.kolada import set_population
from data.organisations import list_organisations, update_organisation
from data.register import load_register
from metrics.periods import Quarter
from tests.apptest_support import open_app, shown_text
from tests.kolada_support import kolada_server, send  # noqa: F401 - the fixture ``kolada``


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    monkeypatch.setenv("EFFEKT_DEMO_ON_EMPTY", "0")
    monkeypatch.setenv("EFFEKT_TODAY", "2025-11-15")
    url = f"sqlite:///{tmp_path / 'real.db'}"
    prepare_database(url)
    return url


def test_an_administrator_loads_the_register_and_fetches_population(empty_db, monkeypatch, kolada):
    monkeypatch.setenv("EFFEKT_KOLADA_URL", f"{kolada.url}/v3")
    kolada.population[2024] = {"0114": 51_234.0, "0001": 2_454_821.0}
    at = open_app(empty_db, monkeypatch, page="admin")
    at.button(key="admin_register_load").click().run()
    assert not at.exception
    assert "Registret: 311 organisationer tillagda, 0 ändrade, 0 redan som de ska." in shown_text(at)
    table = at.run().dataframe[0].value  # the table above the buttons, on the next run
    vasby = table[table["Kod"] == "0114"].iloc[0]
    assert (vasby["Län"], vasby["Källa för folkmängd"]) == ("Stockholms län", "–")
    assert at.number_input(key="admin_register_year").value == 2024
    at.button(key="admin_register_population").click().run()
    assert "Folkmängd 2024 från Kolada: 2 organisationer ändrades, 0 oförändrade." in shown_text(at)
    table = at.run().dataframe[0].value
    vasby = table[table["Kod"] == "0114"].iloc[0]
    assert (vasby["Invånare"], vasby["Källa för folkmängd"]) == ("51\u00a0234", "Källa: Kolada 2024")


def test_a_failing_kolada_is_a_message_and_changes_nothing(empty_db, monkeypatch, kolada):
    monkeypatch.setenv("EFFEKT_KOLADA_URL", f"{kolada.url}/v3")
    with writing(empty_db) as session:
        load_register(session=session, actor=SYSTEM, kinds=("region",))
    kolada.failures = [lambda h: send(h, 503, b"busy")] * 10
    at = open_app(empty_db, monkeypatch, page="admin")
    at.button(key="admin_register_population").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Kolada svarade med fel 503. Inget ändrades."]
    with reading(empty_db) as session:
        assert all(o.population is None for o in list_organisations(session=session))


def test_compare_within_a_county_or_skrs_main_group(empty_db, monkeypatch):
    with writing(empty_db) as session:
        load_register(session=session, actor=SYSTEM, kinds=("kommun",))
        ids = {o.code: o.id for o in list_organisations(session=session)}
        update_organisation(session=session, actor=SYSTEM, organisation_id=ids["0180"], peer_group="A1")
        update_organisation(session=session, actor=SYSTEM, organisation_id=ids["1480"], peer_group="A1")
        update_organisation(session=session, actor=SYSTEM, organisation_id=ids["0114"], peer_group="A2")
        update_organisation(session=session, actor=SYSTEM, organisation_id=ids["2584"], peer_group="C8")
        metric = next(m for m in list_metrics(session=session) if m.code == "ideas_delivered")
        quarter = Quarter.containing(dt.date(2025, 11, 15)) - 1
        save_figures(session=session, actor=SYSTEM, via="form", today=dt.date(2025, 11, 15), figures=[
            Figure(ids[code], metric.id, quarter, value) for code, value in
            (("0180", 40), ("1480", 30), ("0114", 20), ("2584", 10))])
        set_population(session=session, actor=SYSTEM, year=2024, population={"0180": 988_943, "0114": 51_234})
        update_organisation(session=session, actor=SYSTEM, organisation_id=ids["1480"], population=600_000)
    at = open_app(empty_db, monkeypatch, page="compare")
    at.selectbox(key="compare_metric").set_value("ideas_delivered").run()
    names = at.dataframe[-1].value["Organisation"].tolist()
    assert names == ["Stockholm", "Göteborg", "Upplands Väsby", "Kiruna"]
    assert at.selectbox(key="compare_group").options == ["Alla jämförelsegrupper", "A1 Storstäder",
                                                         "A2 Pendlingskommun nära storstad", "C8 Landsbygdskommun"]
    at.selectbox(key="compare_within").set_value("county").run()
    at.selectbox(key="compare_within_county").set_value("01").run()
    assert at.dataframe[-1].value["Organisation"].tolist() == ["Stockholm", "Upplands Väsby"]
    at.selectbox(key="compare_within").set_value("main_group").run()
    assert at.selectbox(key="compare_within_main_group").options == [
        "A Storstäder och storstadsnära kommuner", "C Mindre städer/tätorter och landsbygdskommuner"]
    at.selectbox(key="compare_within_main_group").set_value("A").run()
    assert at.dataframe[-1].value["Organisation"].tolist() == [
        "Stockholm", "Göteborg", "Upplands Väsby"]
    at.selectbox(key="compare_basis").set_value("inhabitants").run()
    assert "Folkmängd: Källa: Kolada 2024 (2), angiven för hand (1)." in [c.value for c in at.caption]
    assert not at.exception
