"""Journeys with the keyboard alone, as a person who cannot use a mouse makes them (WCAG 2.1.1), and
every chart's figures reachable as a real table (WCAG 1.1.1): sign in, move to a page, step the
board slides, download the pack."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from data.demo_accounts import DEMO_PASSWORD
from tests.e2e.support import ADMIN, go_to, open_page, settle
from tests.e2e.test_accessibility import focused, tab_to

pytestmark = pytest.mark.e2e


def test_sign_in_with_the_keyboard_alone(page, live_app):
    open_page(page, live_app, user=None)
    page.locator("body").focus()
    tab_to(page, lambda element: element["text"] == "Logga in" and element["type"] == "a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/signin**")
    tab_to(page, lambda element: element["label"] == "Användarnamn")
    page.keyboard.type(ADMIN)
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Lösenord"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")  # submits the form
    page.get_by_test_id("stSidebarNav").wait_for()
    settle(page)
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def test_step_the_board_slides_with_the_keyboard_alone(page, live_app):
    open_page(page, live_app)
    page.locator("body").focus()
    tab_to(page, lambda element: element["text"].splitlines()[-1:] == ["Styrelserapport"])
    page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Styrelserapport")
    counter = page.get_by_text(re.compile(r"^Bild \d+ av \d+$"))
    count = int(counter.inner_text().split()[-1])
    page.locator("body").focus()
    page.keyboard.press("ArrowRight")
    settle(page)
    expect(counter).to_have_text(f"Bild 2 av {count}")
    page.keyboard.press("PageDown")  # a presenter's clicker
    settle(page)
    expect(counter).to_have_text(f"Bild 3 av {count}")
    page.keyboard.press("ArrowLeft")
    settle(page)
    expect(counter).to_have_text(f"Bild 2 av {count}")


def test_download_the_pack_with_the_keyboard_alone(page, live_app):
    open_page(page, live_app, "styrelserapport")
    page.locator("body").focus()
    tab_to(page, lambda element: element["text"].endswith("Styrelseunderlag (PDF)"), limit=250)
    with page.expect_download(timeout=90_000) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_a_collapsible_panel_opens_and_closes_with_enter_and_space(page, live_app):
    open_page(page, live_app, "mal")
    panel = page.get_by_test_id("stExpander").first
    panel.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(panel.locator("details")).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(panel.locator("details")).not_to_have_attribute("open", "")


@pytest.mark.parametrize("link", ["Mätetal i detalj", "Inrapportering"])
def test_every_chart_on_the_page_has_its_figures_in_a_table_with_a_caption(page, live_app, link):
    open_page(page, live_app)
    go_to(page, link)
    charts = page.locator(".js-plotly-plot").count()
    assert charts >= 1
    captions = page.locator("table caption").all_inner_texts()
    assert len(captions) >= charts, captions
    for caption in captions:  # a screen reader finds each table by its name, with its header cells
        table = page.get_by_role("table", name=caption, exact=True)
        expect(table).to_have_count(1)
        expect(table.get_by_role("columnheader").first).to_be_attached()
        expect(table.get_by_role("rowheader").first).to_be_attached()
