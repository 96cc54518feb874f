"""Journeys through the real app in Chromium: what a person does, and what they then see.

They share one server and database, so each journey writes to its own metric of the first
organisation in the last completed quarter (the sidebar's defaults) and reads the expected
figures from the database at the time it runs.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from metrics.periods import Quarter
from tests.e2e.support import (
    cell,
    chart_separators,
    choose_language,
    column_header,
    entry_input,
    first_organisation,
    go_to,
    metrics,
    open_page,
    plotted_values,
    stored_values,
    value_cell,
)

pytestmark = pytest.mark.e2e


def a_new_value(stored: float | None, wanted: float) -> float:
    """``wanted`` unless it is already stored (then one more), so saving always changes something."""
    return wanted + 1 if stored == wanted else wanted


def test_a_figure_entered_in_kvartalsdata_shows_on_oversikt_in_the_table_and_the_chart(page, live_app):
    organisation, quarter = first_organisation(live_app), Quarter.last_completed()
    value = a_new_value(stored_values(live_app, organisation.id, quarter).get("vision_alignment"), 87.5)

    open_page(page, live_app, "kvartalsdata")
    expect(page.get_by_text(f"Ange värdena för {organisation.name}, {quarter.label('sv')}")).to_be_visible()
    page.get_by_role("spinbutton", name="Förankrad vision (%)", exact=True).fill(str(value))
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Sparat: 1 värden ändrades.")).to_be_visible()
    assert stored_values(live_app, organisation.id, quarter)["vision_alignment"] == value

    go_to(page, "Översikt")
    expect(value_cell(page, "Förankrad vision")).to_have_text(f"{value:.1f}".replace(".", ",") + "\u00a0%")
    assert plotted_values(page, "overview_trend")[0][-1] == value


def test_f_english_shows_english_labels_and_english_number_formats(page, live_app):
    organisation, quarter = first_organisation(live_app), Quarter.last_completed()
    stored = stored_values(live_app, organisation.id, quarter)
    metric = next(m for m in metrics(live_app) if m.unit_kind == "percent" and m.decimals == 1 and m.code in stored
                  and m.code != "vision_alignment")  # vision alignment is journey a's
    value = stored[metric.code]

    open_page(page, live_app)
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")
    expect(value_cell(page, metric.name("sv"))).to_have_text(f"{value:.1f}".replace(".", ",") + "\u00a0%")
    assert chart_separators(page, "overview_trend") == ",\u00a0"

    choose_language(page, "English")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.get_by_text(f"{organisation.name}, {quarter.label('en')}: every metric's figure")).to_be_visible()
    expect(page.get_by_role("link", name="Compare", exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="Quarter")).to_be_visible()
    expect(column_header(page, "Metric")).to_be_attached()
    expect(value_cell(page, metric.name("en"))).to_have_text(f"{value:.1f}%")
    assert chart_separators(page, "overview_trend") == ".,"
    assert re.fullmatch(r"\d{4} Q[1-4]", quarter.label("en"))

    # The language stays for the session: the next page is English too.
    go_to(page, "Board report")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Board report: {organisation.name}, {quarter.label('en')}")


def test_e_styrelserapport_shows_the_organisation_the_quarter_and_what_is_reported(page, live_app):
    organisation, quarter = first_organisation(live_app), Quarter.last_completed()
    reported = len(stored_values(live_app, organisation.id, quarter))

    open_page(page, live_app, "styrelserapport")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Styrelserapport: {organisation.name}, {quarter.label('sv')}")
    expect(page.get_by_test_id("stMetric").filter(has_text="Rapporterade mätetal")).to_contain_text(f"{reported} av 18")
    expect(cell(page, "Kundnöjdhet")).to_be_attached()


@pytest.mark.xfail(strict=True, reason="conflict UI comes with issue 3")
def test_h_the_second_of_two_people_editing_the_same_figure_gets_the_conflict_message(new_context, live_app):
    organisation, quarter = first_organisation(live_app), Quarter.last_completed()
    before = stored_values(live_app, organisation.id, quarter).get("digital_maturity")
    first_value, second_value = a_new_value(before, 61), a_new_value(before, 64)
    first, second = new_context().new_page(), new_context().new_page()
    for person in (first, second):
        open_page(person, live_app, "kvartalsdata")

    # Both have the form open on the same figure; the first saves, then the second.
    entry_input(first, "digital_maturity").fill(str(int(first_value)))
    entry_input(second, "digital_maturity").fill(str(int(second_value)))
    first.get_by_role("button", name="Spara").click()
    expect(first.get_by_text("Sparat: 1 värden ändrades.")).to_be_visible()
    second.get_by_role("button", name="Spara").click()
    expect(second.get_by_text(re.compile("^(Sparat|Någon annan har ändrat)"))).to_be_visible()  # the save has run

    expect(second.get_by_text("Någon annan har ändrat värden för kvartalet")).to_be_visible(timeout=1_000)
    assert stored_values(live_app, organisation.id, quarter)["digital_maturity"] == first_value

