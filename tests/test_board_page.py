"""Styrelserapport in AppTest: walking the slides, show all, as of a date, the decisions register."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from data.actors import Actor
from data.db import reading
from data.decisions import list_decisions
from data.organisations import list_organisations
from metrics.periods import Quarter
from reports.gather import read_board_pack
from tests.apptest_support import open_app, shown_text
from tests.conftest import copy_of_demo


@pytest.fixture(scope="module")
def board_db(demo_template, tmp_path_factory):
    """The demo as of TODAY (the day the page tests' clock reads), shared by the module."""
    with copy_of_demo(demo_template, tmp_path_factory.mktemp("board")) as url:
        yield url


@pytest.fixture
def board(board_db, monkeypatch):
    return open_app(board_db, monkeypatch, page="board")


def expected_pack(url, language="sv"):
    with reading(url) as session:
        organisation = list_organisations(session=session)[0]
        return read_board_pack(session=session, organisation=organisation, quarter=Quarter.last_completed(),
                               language=language)


def test_walking_the_slides_shows_each_title_in_agenda_order_with_a_counter(board, board_db):
    pack = expected_pack(board_db)
    count = len(pack.slides)
    seen = []
    for number in range(1, count + 1):
        assert f"**Bild {number} av {count}**" in shown_text(board)
        seen.append(board.header[0].value)
        if number < count:
            board.button(key="board_next").click().run()
    assert seen == pack.titles()
    assert seen[1] == "Kundens röst"
    assert seen[-2].startswith("Uppföljning")
    assert seen[-1] == "Alla mätetal"
    assert board.button(key="board_next").disabled
    board.button(key="board_previous").click().run()
    assert board.header[0].value == pack.titles()[-2]
    assert not board.exception


def test_title_slide_states_the_figures_in_numbers_and_the_customer_slide_has_a_chart(board, board_db):
    text = shown_text(board)
    assert re.search(r"\d+ av 18 mätetal rapporterade", text)
    assert re.search(r"\d+ värden är uppskattade eller preliminära", text)
    assert "Aktuella värden per " in text
    assert not board.get("plotly_chart")  # the title slide has no chart
    board.button(key="board_next").click().run()
    customer = expected_pack(board_db).slides[1]
    assert customer.bullets[0] in shown_text(board).replace("\\", "")
    assert len(board.get("plotly_chart")) == 1
    assert not board.text_input
    assert not board.number_input
    assert not board.exception


def test_show_all_lists_every_slide_and_the_follow_up_table(board, board_db):
    board.segmented_control(key="board_mode").set_value("all").run()
    pack = expected_pack(board_db)
    assert [h.value for h in board.header] == pack.titles()
    follow_up = [t.value for t in board.table]
    assert any("Testa en chattbot för bygglovsfrågor med tio sökande (MVP)" in frame.index for frame in follow_up)
    assert len(board.get("plotly_chart")) == sum(1 for s in pack.slides if s.chart)
    assert not board.exception


def test_english_pack_and_an_as_of_date_before_the_data_shows_no_figures(board):
    board.segmented_control(key="language").set_value("en").run()
    assert board.header[0].value.startswith("Board report: ")
    board.date_input(key="board_as_of").set_value(dt.date(2020, 1, 1)).run()
    text = shown_text(board)
    assert "0 of 18 metrics reported" in text
    assert "Figures as they stood on 1 Jan 2020, from the history." in text
    assert not board.exception


def test_a_decision_is_added_then_marked_done_in_the_register(board, board_db):
    board.segmented_control(key="board_mode").set_value("decisions").run()
    board.text_area(key="board_decision_what").input("Pröva digital signering i bygglov")
    board.text_input(key="board_decision_owner").input("Stadsbyggnadschef")
    board.form_submit_button[0].click().run()
    assert "Beslutet är registrerat." in shown_text(board)
    grid = board.data_editor(key="board_decisions_grid").value
    assert grid.iloc[0]["what"] == "Pröva digital signering i bygglov"
    board.session_state["board_decisions_grid"] = {"edited_rows": {0: {"done": True}}, "added_rows": [],
                                                   "deleted_rows": []}
    board.button(key="board_decisions_save").click().run()
    assert "Sparat: 1 beslut ändrades." in shown_text(board)
    with reading(board_db) as session:
        organisation = list_organisations(session=session)[0]
        stored = [d for d in list_decisions(session=session, organisation_id=organisation.id)
                  if d.what == "Pröva digital signering i bygglov"]
    assert len(stored) == 1
    assert stored[0].done
    assert stored[0].owner == "Stadsbyggnadschef"
    assert not board.exception


def test_a_viewer_cannot_record_decisions(board_db, monkeypatch):
    with reading(board_db) as session:
        own = list_organisations(session=session)[0]
    # A viewer opens only its own organisations (metrics.disclosure.may_open), so vera belongs to one.
    at = open_app(board_db, monkeypatch, page="board", actor=Actor("vera", "viewer", frozenset({own.id})))
    at.segmented_control(key="board_mode").set_value("decisions").run()
    at.text_area(key="board_decision_what").input("Något")
    at.form_submit_button[0].click().run()
    assert at.error[0].value == "Du har inte behörighet att ändra uppgifter för den här organisationen."
    assert not at.exception


def test_the_pack_and_the_figures_can_be_downloaded(board):
    buttons = board.get("download_button")
    labels = [button.proto.label for button in buttons]
    assert labels == ["Styrelseunderlag (PDF)", "Styrelseunderlag (PowerPoint)", "Värden (Excel)",
                      "Värden (CSV, långt format)"]
    assert not board.exception


def test_arrow_keys_and_a_clickers_page_keys_step_the_slides(board, board_db):
    shortcuts = {key: board.button(key=key).proto.shortcut for key in
                 ("board_previous", "board_next", "board_page_up", "board_page_down")}
    assert shortcuts == {"board_previous": "left", "board_next": "right", "board_page_up": "pageup",
                         "board_page_down": "pagedown"}
    titles = expected_pack(board_db).titles()
    board.button(key="board_page_down").click().run()  # what PageDown on a clicker presses
    assert board.header[0].value == titles[1] == "Kundens röst"
    board.button(key="board_page_up").click().run()
    board.button(key="board_page_up").click().run()  # at the first slide: stays there
    assert board.header[0].value == titles[0]
    assert not board.exception


def test_the_presenter_view_shows_the_slide_alone_and_returns_to_the_page(board, board_db):
    titles = expected_pack(board_db).titles()
    board.button(key="board_next").click().run()
    board.button(key="board_present").click().run()
    assert [title.value for title in board.title] == []  # no page title: the slide is all there is
    assert board.header[0].value == titles[1]
    assert "display: none" in board.markdown[0].value
    assert '[data-testid="stSidebar"]' in board.markdown[0].value
    assert "board_mode" not in [w.key for w in board.get("segmented_control")]
    assert board.get("date_input") == []
    assert board.button(key="presenter_next").proto.shortcut == "right"
    assert board.button(key="presenter_exit").proto.shortcut == "escape"
    board.button(key="presenter_page_down").click().run()
    assert board.header[0].value == titles[2]
    assert "**Bild 3 av 8**" in shown_text(board)
    board.button(key="presenter_exit").click().run()
    assert board.title[0].value == "Styrelserapport"
    assert board.header[0].value == titles[2]
    assert not board.exception
