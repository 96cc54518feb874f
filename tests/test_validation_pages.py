"""Bad input on the pages, as a table: Administration (organisations, custom metrics), Mål,
Kvartalsdata (form and grid) and the decisions register show the data layer's message (or the
number reader's) beside the form, in Swedish and English, never a traceback, and every data table
is unchanged. Numbers are shown and read as the language writes them."""

from __future__ import annotations

import pytest

from data.db import reading
from data.figures import figures_frame
from data.organisations import list_organisations
from data.targets import targets_frame
from metrics.periods import Quarter
from presentation.formatting import input_text
from tests.apptest_support import open_app, shown_text
from tests.test_validation_data import snapshot


def first_organisation(url):
    with reading(url) as session:
        return list_organisations(session=session)[0]


def opened(url, monkeypatch, page, language):
    at = open_app(url, monkeypatch, page=page)
    if language == "en":
        at.segmented_control(key="language").set_value("en").run()
    assert not at.exception
    return at


def submit(at, form):
    """Press a form's submit button, whatever its label in the language shown."""
    next(b for b in at.button if (b.key or "").startswith(f"FormSubmitter:{form}-")).click().run()
    assert not at.exception, at.exception
    return at


def unchanged(url, at, act):
    """Do ``act`` on the open page; the page shows no traceback and no data table changes."""
    before = snapshot(url)
    act(at)
    assert not at.exception, at.exception
    assert snapshot(url) == before
    return shown_text(at)


def stored_value(url, organisation_id, code, quarter):
    with reading(url) as session:
        from data.catalogue_store import list_metrics
        metric_id = next(m.id for m in list_metrics(session=session) if m.code == code)
        frame = figures_frame(session=session, organisation_ids=[organisation_id], metric_ids=[metric_id],
                              first=quarter, last=quarter)
    return frame["value"].tolist()


# --- Administration: organisations and custom metrics ------------------------------------------------

@pytest.mark.parametrize(("language", "code", "name", "message"), [
    ("sv", "demo-ekbacka", "Ekbacka igen", "Koden demo-ekbacka används redan av Ekbacka kommun."),
    ("sv", "DEMO-EKBACKA", "Ekbacka igen", "Koden DEMO-EKBACKA används redan av Ekbacka kommun."),
    ("en", "Demo-Ekbacka ", "Ekbacka again", "The code Demo-Ekbacka is already used by Ekbacka kommun."),
    ("sv", "  ", "Ny kommun", "Ange organisationens kod."),
    ("en", "", "New council", "Enter the organisation's code."),
    ("sv", "ny-kod", " ", "Ange organisationens namn."),
    ("en", "ny-kod", "", "Enter the organisation's name."),
    ("sv", "x" * 41, "Ny kommun", "Koden får vara högst 40 tecken."),
    ("en", "ny-kod", "x" * 201, "The name may be at most 200 characters."),
])
def test_administration_refuses_a_bad_organisation_beside_the_form(app_db, monkeypatch, language, code, name, message):
    at = opened(app_db, monkeypatch, "admin", language)

    def act(at):
        at.text_input(key="admin_org_code").set_value(code)
        at.text_input(key="admin_org_name").set_value(name)
        return submit(at, "admin_org_add_form")
    assert message in unchanged(app_db, at, act)


@pytest.mark.parametrize(("language", "message"), [
    ("sv", "Ange organisationens namn."), ("en", "Enter the organisation's name."),
])
def test_administration_refuses_renaming_an_organisation_to_nothing(app_db, monkeypatch, language, message):
    at = opened(app_db, monkeypatch, "admin", language)

    def act(at):
        organisation = at.selectbox(key="admin_org_pick").value
        at.text_input(key=f"admin_org_edit_name_{organisation}").set_value("   ")
        return submit(at, "admin_org_edit_form")
    assert message in unchanged(app_db, at, act)


@pytest.mark.parametrize(("language", "code", "name", "message"), [
    ("sv", "Kund nöjd", "Kundnöjd", "Koden «kund_nöjd» går inte att använda. Skriv 2–60 tecken: små bokstäver a–z, "
     "siffror och understreck, först en bokstav."),
    ("en", "9lives", "Lives", "The code «9lives» cannot be used. Write 2–60 characters: lower-case letters a–z, "
     "digits and underscores, a letter first."),
    ("sv", "customer_satisfaction", "Kopia", "Koden customer_satisfaction används redan av ett annat mätetal."),
])
def test_administration_refuses_a_bad_custom_metric_beside_the_form(app_db, monkeypatch, language, code, name, message):
    at = opened(app_db, monkeypatch, "admin", language)

    def act(at):
        at.text_input(key="admin_new_metric_code").set_value(code)
        at.text_input(key="admin_new_metric_name_sv").set_value(name)
        at.text_input(key="admin_new_metric_name_en").set_value(name)
        return submit(at, "admin_metric_add_form")
    assert message in unchanged(app_db, at, act)


# --- Mål ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "field", "text", "message"), [
    ("sv", "targets_baseline_value", "abc", "Utgångsläge: 'abc' är inget tal."),
    ("en", "targets_baseline_value", "abc", "Baseline: 'abc' is not a number."),
    ("sv", "targets_value", "\u0669\u0660", "Målvärde: '\u0669\u0660' är inget tal."),
    ("en", "targets_value", "87,5", "Target value: '87,5' is not a number."),
    ("sv", "targets_value", "120", "Målvärdet (120) är högre än det högsta tillåtna, 100."),
    ("en", "targets_value", "-1", "The target value (-1) is below the lowest allowed, 0."),
    ("sv", "targets_baseline_value", "1e-400", "Utgångsläge: '1e-400' går inte att spara. Talet är så litet"),
])
def test_targets_refuses_bad_numbers_naming_the_field(app_db, monkeypatch, language, field, text, message):
    at = opened(app_db, monkeypatch, "targets", language)

    def act(at):
        at.selectbox(key="targets_metric").set_value("customer_satisfaction").run()
        at.segmented_control(key="targets_kind").set_value("planned").run()
        at.text_input(key=field).set_value(text)
        at.button(key="targets_save").click().run()
        return at
    assert message in unchanged(app_db, at, act)


def test_targets_show_and_read_swedish_numbers(app_db, monkeypatch):
    organisation = first_organisation(app_db)
    at = opened(app_db, monkeypatch, "targets", "sv")
    at.selectbox(key="targets_metric").set_value("customer_satisfaction").run()
    at.segmented_control(key="targets_kind").set_value("10x").run()
    baseline = at.text_input(key="targets_baseline_value").value
    assert baseline
    assert "." not in baseline
    at.text_input(key="targets_value").set_value("99,5 %")
    at.button(key="targets_save").click().run()
    assert "Målet är sparat." in shown_text(at)
    assert not at.exception
    with reading(app_db) as session:
        targets = targets_frame(session=session, organisation_ids=[organisation.id])
    assert 99.5 in targets[targets["kind"] == "10x"]["target_value"].tolist()
    assert at.text_input(key="targets_value").value == "99,5"
    at.segmented_control(key="language").set_value("en").run()
    assert at.text_input(key="targets_value").value == "99.5"


# --- Kvartalsdata: the form ---------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "inputs", "messages"), [
    ("sv", {"customer_satisfaction": "abc"}, ["Inget sparades.", "Kundnöjdhet: 'abc' är inget tal."]),
    ("en", {"customer_satisfaction": "abc"}, ["Nothing was saved.", "Customer satisfaction: 'abc' is not a number."]),
    ("sv", {"ideas_delivered": "\u0661\u0662", "media_stories": "\uff13"},
     ["Levererade idéer: '\u0661\u0662' är inget tal.", "Berättelser om oss: '\uff13' är inget tal."]),
    ("en", {"ideas_delivered": "1,5"}, ["Ideas delivered: '1,5' is not a number."]),
    ("sv", {"ideas_delivered": "1e-400"}, ["Levererade idéer: '1e-400' går inte att spara. Talet är så litet"]),
    ("sv", {"customer_satisfaction": "87,5", "ideas_delivered": "x"}, ["Levererade idéer: 'x' är inget tal."]),
    ("sv", {"customer_satisfaction": "120"}, ["Kundnöjdhet: Värdet är högre än det högsta tillåtna, 100."]),
])
def test_the_entry_form_names_every_unreadable_field_and_saves_nothing(app_db, monkeypatch, language, inputs, messages):
    at = opened(app_db, monkeypatch, "entry", language)

    def act(at):
        for code, text in inputs.items():
            at.text_input(key=f"entry_value_{code}").set_value(text)
        return submit(at, "entry_form")
    text = unchanged(app_db, at, act)
    for message in messages:
        assert message in text


@pytest.mark.parametrize(("language", "code", "text", "number", "shown"), [
    ("sv", "customer_satisfaction", "87,5 %", 87.5, "87,5"),
    ("sv", "ideas_delivered", "1\u202f234", 1234.0, "1\u00a0234"),
    ("sv", "media_stories", "1 234", 1234.0, "1\u00a0234"),
    ("sv", "ideas_delivered", "-0", 0.0, "0"),
    ("en", "ideas_delivered", "1,234", 1234.0, "1,234"),
    ("en", "customer_satisfaction", "88.5%", 88.5, "88.5"),
])
def test_the_entry_form_reads_numbers_as_the_language_writes_them(app_db, monkeypatch, language, code, text, number,
                                                                  shown):
    organisation = first_organisation(app_db)
    at = opened(app_db, monkeypatch, "entry", language)
    at.text_input(key=f"entry_value_{code}").set_value(text)
    submit(at, "entry_form")
    assert stored_value(app_db, organisation.id, code, Quarter.last_completed()) == [number]
    assert at.text_input(key=f"entry_value_{code}").value == shown
    again = submit(at, "entry_form")  # the text the form wrote reads back as the same figure
    assert ("Inget att spara" if language == "sv" else "Nothing to save") in shown_text(again)


# --- Kvartalsdata: the grid ---------------------------------------------------------------------------

def grid(url, monkeypatch, language):
    at = opened(url, monkeypatch, "entry", language)
    at.segmented_control(key="entry_mode").set_value("grid").run()
    assert not at.exception
    return at


def test_the_grid_shows_swedish_numbers_and_empty_cells_never_none(app_db, monkeypatch):
    at = grid(app_db, monkeypatch, "sv")
    frame = at.dataframe[0].value
    cells = [value for column in frame.columns[1:] for value in frame[column]]
    assert all(isinstance(value, str) for value in cells)  # no None, no NaN
    assert "" in cells
    assert "None" not in cells
    assert "nan" not in cells
    assert any("," in value for value in cells)
    assert not any("." in value for value in cells)
    english = grid(app_db, monkeypatch, "en").dataframe[0].value
    assert any("." in value for column in english.columns[1:] for value in english[column])


@pytest.mark.parametrize(("language", "text", "message"), [
    ("sv", "abc", "Inget tal. Skriv ett tal med decimalkomma eller decimalpunkt, till exempel 87,5."),
    ("en", "87,5", "Not a number. Write a number with a decimal point or comma, for example 87.5."),
    ("sv", "\u0668\u0667", "Inget tal."),
    ("sv", "1e-400", "Talet är så litet att det skulle sparas som 0."),
])
def test_the_grid_names_every_unreadable_cell_and_saves_nothing(app_db, monkeypatch, language, text, message):
    last = Quarter.last_completed()

    at = grid(app_db, monkeypatch, language)

    def act(at):
        names = at.dataframe[0].value["metric_name"].tolist()
        row = next(i for i, name in enumerate(names) if name.startswith(("Kundnöjdhet", "Customer satisfaction")))
        at.session_state["entry_grid"] = {"edited_rows": {row: {str(last): text}}, "added_rows": [], "deleted_rows": []}
        at.button(key="entry_grid_save").click().run()
        return at
    shown = unchanged(app_db, at, act)
    assert f"«{text}» – {message}" in shown


def test_the_grid_reads_swedish_spellings(app_db, monkeypatch):
    organisation = first_organisation(app_db)
    last = Quarter.last_completed()
    at = grid(app_db, monkeypatch, "sv")
    names = at.dataframe[0].value["metric_name"].tolist()
    row = next(i for i, name in enumerate(names) if name.startswith("Kundnöjdhet"))
    at.session_state["entry_grid"] = {"edited_rows": {row: {str(last - 1): "66,5\u00a0%"}}, "added_rows": [],
                                      "deleted_rows": []}
    at.button(key="entry_grid_save").click().run()
    assert not at.exception
    assert "Sparat: 1 värden ändrades" in shown_text(at)
    assert stored_value(app_db, organisation.id, "customer_satisfaction", last - 1) == [66.5]
    assert at.dataframe[0].value.iloc[row][str(last - 1)] == input_text(66.5, "sv") == "66,5"


# --- the decisions register ---------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "what", "message"), [
    ("sv", "   ", "Skriv vad som beslutades."), ("en", "", "Write what was decided."),
])
def test_the_register_refuses_a_decision_without_a_title(app_db, monkeypatch, language, what, message):
    at = opened(app_db, monkeypatch, "board", language)

    def act(at):
        at.segmented_control(key="board_mode").set_value("decisions").run()
        at.text_area(key="board_decision_what").input(what)
        at.form_submit_button[0].click().run()
        return at
    assert message in unchanged(app_db, at, act)


@pytest.mark.parametrize(("language", "edit", "message"), [
    ("sv", {"what": "x" * 301}, "Beskrivningen får vara högst 300 tecken."),
    ("en", {"what": ""}, "Write what was decided."),
    ("sv", {"due": "2001 K1"}, "Klart-senast-kvartalet 2001-Q1 ligger före mötets kvartal"),
    ("en", {"owner": "o" * 201}, "The owner may be at most 200 characters."),
    ("sv", {"due": "\u0662\u0660\u0663\u0660 K1"}, "\u0662\u0660\u0663\u0660 K1"),
])
def test_the_register_refuses_a_bad_edit_and_keeps_every_decision(app_db, monkeypatch, language, edit, message):
    at = opened(app_db, monkeypatch, "board", language)

    def act(at):
        at.segmented_control(key="board_mode").set_value("decisions").run()
        at.session_state["board_decisions_grid"] = {"edited_rows": {0: edit}, "added_rows": [], "deleted_rows": []}
        at.button(key="board_decisions_save").click().run()
        return at
    assert message in unchanged(app_db, at, act)
