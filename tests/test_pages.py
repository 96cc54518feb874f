"""Every page, run through AppTest on the demo data, asserting on what a person sees."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest

from data.db import reading
from data.organisations import list_organisations
from metrics import clock
from tests.apptest_support import html_tables, open_app, shown_text
from tests.conftest import TODAY


@pytest.fixture
def app(app_db, monkeypatch):
    return open_app(app_db, monkeypatch)


def first_organisation(url):
    with reading(url) as session:
        return list_organisations(session=session)[0]


def test_overview_shows_the_latest_figures_and_changes_for_the_first_organisation(app):
    assert app.title[0].value == "Översikt"
    assert app.caption[0].value == "Björkhamns kommun, 2025 K3: varje mätetals värde och hur det har förändrats."
    table = html_tables(app)[0]
    assert list(table.columns)[:3] == ["Mätetal", "Värde", "Förändring mot föregående kvartal"]
    assert len(table) == 18
    row = table.set_index("Mätetal").loc["Kundnöjdhet"]
    assert row["Värde"] == "49,4\u00a0%"
    assert row["Förändring mot föregående kvartal"] == "+2,8\u00a0p.e. (bättre)"
    card = next(m for m in app.metric if m.label == "Kundnöjdhet")
    assert (card.value, card.delta) == ("49,4\u00a0%", "+2,8\u00a0p.e. (bättre)")  # the card shows the table's figure
    assert len(app.metric) == 18  # one card per metric
    # Björkhamn changed its survey method in 2025 K1 (a demo event): last year is not comparable.
    assert row["Förändring mot samma kvartal i fjol"] == "inte jämförbart (ny mätmetod)"
    assert "Mot samma kvartal i fjol: inte jämförbart (ny mätmetod)" in shown_text(app).splitlines()


def test_the_overview_reads_the_same_whatever_the_date_the_suite_runs_on(app_db, monkeypatch):
    """Page tests run on the demo's day: a far system date or ``EFFEKT_TODAY`` changes nothing shown."""
    far = dt.date(2031, 6, 30)

    class FarDate(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return far

    monkeypatch.setattr(clock, "dt", SimpleNamespace(date=FarDate))  # the machine's calendar, in 2031
    monkeypatch.setenv("EFFEKT_TODAY", far.isoformat())
    with monkeypatch.context() as unfixed:
        unfixed.setattr(clock, "_fixed", None)
        assert clock.today() == far  # without the page tests' clock the app would read 2031
    assert clock.today() == TODAY
    at = open_app(app_db, monkeypatch)
    assert at.caption[0].value == "Björkhamns kommun, 2025 K3: varje mätetals värde och hur det har förändrats."
    assert html_tables(at)[0].set_index("Mätetal").loc["Kundnöjdhet", "Värde"] == "49,4\u00a0%"


def test_switching_to_english_changes_labels_and_number_format(app):
    app.segmented_control(key="language").set_value("en").run()
    assert app.title[0].value == "Overview"
    table = html_tables(app)[0]
    assert "Customer satisfaction" in table["Metric"].tolist()
    values = " ".join(table["Figure"])
    assert re.search(r"\d\.\d%", values)
    assert "\u00a0%" not in values


def test_compare_ranks_every_reporting_organisation_best_first(app):
    app.switch_page("app_pages/compare.py").run()
    assert not app.exception
    assert app.title[0].value == "Jämför"
    table = app.dataframe[0].value
    assert table["Placering"].tolist() == list(range(1, len(table) + 1))
    values = [float(v.replace("\u00a0%", "").replace(",", ".")) for v in table["Värde"]]
    assert values == sorted(values, reverse=True)  # vision alignment: higher is better
    assert "organisationer har rapporterat" in app.caption[0].value


def test_compare_ranks_lower_is_better_metrics_ascending(app):
    app.switch_page("app_pages/compare.py").run()
    app.selectbox(key="compare_metric").set_value("api_opening_time").run()
    values = [int(v.split("\u00a0")[0].replace("\u00a0", "")) for v in app.dataframe[0].value["Värde"]]
    assert values == sorted(values)


@pytest.mark.usefixtures("app_db")
def test_entry_form_saves_a_figure_that_then_shows_on_the_overview(app):
    app.switch_page("app_pages/entry.py").run()
    assert app.title[0].value == "Kvartalsdata"
    app.text_input(key="entry_value_ideas_delivered").set_value("77")
    app.button[0].click().run()
    assert not app.exception
    assert "Sparat: 1 värden ändrades." in shown_text(app)
    app.switch_page("app_pages/overview.py").run()
    row = html_tables(app)[0].set_index("Mätetal").loc["Levererade idéer"]
    assert row["Värde"] == "77"


def test_entry_form_refuses_a_fractional_count(app):
    app.switch_page("app_pages/entry.py").run()
    app.text_input(key="entry_value_ideas_delivered").set_value("2,5")
    app.button[0].click().run()
    assert "hela tal" in shown_text(app)


def test_import_page_explains_the_long_format(app):
    app.switch_page("app_pages/import_data.py").run()
    assert not app.exception
    assert app.title[0].value == "Importera"
    assert "organisation, metric, period, value, status, comment" in shown_text(app)


def test_targets_page_proposes_10x_targets(app):
    app.switch_page("app_pages/targets.py").run()
    assert not app.exception
    table = next(d for d in html_tables(app) if "Förslag till 10x-mål" in d.columns)
    assert len(table) == 18
    assert set(table["Riktning"]) == {"högre är bättre", "lägre är bättre"}


def test_catalogue_page_explains_each_metric_with_its_workshop_passage(app):
    app.switch_page("app_pages/catalogue.py").run()
    assert not app.exception
    assert len(app.expander) == 18
    assert "Kundnöjdhet · `customer_satisfaction`" in [e.label for e in app.expander]
    assert "Ur workshopen:" in shown_text(app)
    assert "andel" in shown_text(app)  # the unit descriptions are shown


def test_admin_page_lists_organisations_and_offers_demo_removal(app):
    app.switch_page("app_pages/admin.py").run()
    assert not app.exception
    organisations = app.dataframe[0].value
    assert len(organisations) == 12
    assert "Ekbacka kommun" in organisations["Organisation"].tolist()
    assert app.button(key="admin_remove_demo").label == "Ta bort exempeldata"
    assert "Exempeldata" in shown_text(app)


def test_a_viewer_reads_the_form_but_cannot_save(app_db, monkeypatch):
    from data.actors import Actor

    organisation = first_organisation(app_db)
    viewer = Actor("vera", "viewer", frozenset({organisation.id}))
    at = open_app(app_db, monkeypatch, page="entry", actor=viewer)
    assert "Du kan läsa men inte ändra uppgifterna för den här organisationen." in shown_text(at)
    assert at.button(key="FormSubmitter:entry_form-Spara").disabled
    # The control is in the data layer: a save that got through anyway is refused (tests/test_permissions.py).
