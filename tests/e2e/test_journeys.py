"""Journeys through the real app in Chromium: what a person does, and what they then see.

Every test starts a fresh browser context, which is a new, signed-out Streamlit session, and signs
in through the app's own form with a demo account (``open_page(..., user=...)``). They share one
server and database, so each journey writes to its own organisation and metric, and reads the
expected figures from the database at the time it runs:

- a (editor): Ekbacka kommun, Förankrad vision, the last completed quarter;
- b (administrator): Tallmo kommun, Berättelser om oss, the last three quarters;
- c (editor): Ekbacka kommun's 10x target for Publicerade datamängder;
- h (administrator): Björkhamns kommun, Digital mognad; the keyboard test: Björkhamn, Levererade idéer.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from metrics.numbers import read_number
from metrics.periods import Quarter
from tests.e2e.support import (
    EDITOR,
    EDITOR_ORGANISATION,
    VIEWER,
    VIEWER_ORGANISATION,
    chart_separators,
    choose_language,
    choose_option,
    choose_organisation,
    column_header,
    entry_input,
    first_organisation,
    go_to,
    keyed,
    metrics,
    open_page,
    organisation_named,
    row_of,
    settle,
    stored_values,
    value_cell,
)

pytestmark = pytest.mark.e2e

READ_ONLY = "Du kan läsa men inte ändra uppgifterna för den här organisationen."


def a_new_value(stored: float | None, wanted: float) -> float:
    """``wanted`` unless it is already stored (then one more), so saving always changes something."""
    return wanted + 1 if stored == wanted else wanted


def traces(page: Any, key: str) -> list[dict[str, Any]]:
    """Every trace of the plotly chart with ``key`` as the browser drew it: name, x and y."""
    chart = keyed(page, key).locator(".js-plotly-plot")
    chart.wait_for()
    drawn: list[dict[str, Any]] = chart.evaluate(
        "el => el.data.map(t => ({name: t.name ?? null, x: Array.from(t.x ?? []), y: Array.from(t.y ?? [])}))")
    return drawn


def metric_named(app: Any, code: str) -> str:
    return next(m for m in metrics(app) if m.code == code).name("sv")


def shown_metric(page: Any, label: str) -> Any:
    """The value of the ``st.metric`` labelled exactly ``label`` (a count or a status on the page)."""
    return page.get_by_test_id("stMetric").filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)) \
        .get_by_test_id("stMetricValue")


def upload(page: Any, name: str, text: str) -> None:
    """Choose a file in the Importera page's uploader (what the file dialog would hand over)."""
    keyed(page, "import_file").locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}])
    settle(page)


def test_a_an_editor_enters_a_figure_in_kvartalsdata_and_sees_it_on_the_oversikt_card_and_in_the_chart(page, live_app):
    organisation, quarter = organisation_named(live_app, EDITOR_ORGANISATION), Quarter.last_completed()
    value = a_new_value(stored_values(live_app, organisation.id, quarter).get("vision_alignment"), 87.5)
    shown = f"{value:.1f}".replace(".", ",") + "\u00a0%"

    open_page(page, live_app, user=EDITOR)
    choose_organisation(page, organisation.name)
    go_to(page, "Kvartalsdata")
    expect(page.get_by_text(f"Ange värdena för {organisation.name}, {quarter.label('sv')}")).to_be_visible()
    # Typed as a Swede types it: a decimal comma and a per cent sign.
    page.get_by_role("textbox", name="Förankrad vision (%)", exact=True).fill(f"{value:.1f}".replace(".", ",") + " %")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_text("Sparat: 1 värden ändrades.")).to_be_visible()
    assert stored_values(live_app, organisation.id, quarter)["vision_alignment"] == value

    go_to(page, "Översikt")
    card = keyed(page, "overview_card_vision_alignment")
    expect(card.get_by_test_id("stMetricValue")).to_have_text(shown)
    expect(value_cell(page, "Förankrad vision")).to_have_text(shown)

    card.get_by_role("link", name="Detaljer").click()  # the card's link to the metric in detail
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Förankrad vision")
    own = next(t for t in traces(page, "detail_chart") if t["name"] == organisation.name)
    assert (own["x"][-1], own["y"][-1]) == (quarter.label("sv"), value)


def test_b_an_import_with_one_bad_row_saves_nothing_then_the_fixed_file_is_previewed_and_saved(page, live_app):
    organisation, last = organisation_named(live_app, "Tallmo kommun"), Quarter.last_completed()
    quarters = [last - 2, last - 1, last]
    before = {q: stored_values(live_app, organisation.id, q).get("media_stories") for q in quarters}
    wanted = {q: (before[q] or 0) + 5 + number for number, q in enumerate(quarters)}
    lines = [f"{organisation.code},media_stories,{q},{wanted[q]:.0f}" for q in quarters]
    header = "organisation,metric,period,value"
    bad = [lines[0], lines[1].replace(str(quarters[1]), f"{quarters[1].year}-Q5"), lines[2]]  # row 3: no such quarter

    open_page(page, live_app, "importera")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera")
    upload(page, "tallmo-fel.csv", "\n".join([header, *bad]) + "\n")
    expect(page.get_by_text("Filen har 1 fel. Inget har sparats.")).to_be_visible()
    problem = row_of(page, "3")  # the spreadsheet's row 3 (the header is row 1)
    expect(problem).to_contain_text(f"period{quarters[1].year}-Q5Inget kvartal.")
    expect(page.locator('[role="row"]')).to_have_count(2)  # the heading and the one problem: the good rows pass
    expect(page.get_by_role("button", name="Bekräfta och spara")).to_have_count(0)
    assert {q: stored_values(live_app, organisation.id, q).get("media_stories") for q in quarters} == before

    upload(page, "tallmo.csv", "\n".join([header, *lines]) + "\n")
    new = sum(before[q] is None for q in quarters)
    expect(shown_metric(page, "Nya värden")).to_have_text(str(new))
    expect(shown_metric(page, "Ändrade värden")).to_have_text(str(3 - new))
    assert {q: stored_values(live_app, organisation.id, q).get("media_stories") for q in quarters} == before  # a preview
    page.get_by_role("button", name="Bekräfta och spara").click()
    expect(page.get_by_text(f"Importen är sparad: 3 värden ändrades ({new} nya, {3 - new} ändrade).")).to_be_visible()
    assert {q: stored_values(live_app, organisation.id, q)["media_stories"] for q in quarters} == wanted


def test_c_a_10x_target_shows_its_status_and_trajectory_on_the_metric_detail(page, live_app):
    name = metric_named(live_app, "datasets_published")
    open_page(page, live_app, user=EDITOR)
    choose_organisation(page, EDITOR_ORGANISATION)
    go_to(page, "Mål")
    choose_option(page, "targets_metric", name)
    keyed(page, "targets_kind").get_by_text("10x-mål", exact=True).click()
    settle(page)
    target = keyed(page, "targets_value").locator("input")
    expect(target).not_to_have_value("")  # the 10x proposal, filled in from the baseline
    proposed = read_number(target.input_value(), "sv")  # shown as Swedish writes it
    page.get_by_role("button", name="Spara mål").click()
    settle(page)
    expect(page.get_by_text("Målet är sparat.")).to_be_visible()
    status = shown_metric(page, "Målstatus")
    expect(status).to_have_text(re.compile(r"(i fas|risk|ej i fas|uppgift saknas)$"))  # a word, not colour alone
    status_words = status.inner_text().strip()

    go_to(page, "Mätetal i detalj")
    choose_option(page, "detail_metric", name)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    trajectory = next(t for t in traces(page, "detail_chart") if t["name"] == "Målbana 10x")
    assert len(trajectory["y"]) >= 2
    assert trajectory["y"][0] < trajectory["y"][-1] <= proposed
    # The targets table beside the chart: the grid's accessible rows hold only the columns on screen,
    # so widen the window (as on a large monitor) to have the status column among them.
    page.set_viewport_size({"width": 2600, "height": 800})
    settle(page)
    target_row = page.get_by_role("row").filter(has_text="10x-mål").filter(has_text=name)
    expect(target_row).to_contain_text(f"{proposed:.0f} ({(Quarter.last_completed() + 8).label('sv')})")
    expect(target_row).to_contain_text(status_words)
    expect(column_header(page, "Målbana 10x")).to_be_attached()  # the chart's table alternative has it too


def ranked(page: Any) -> list[tuple[str, float]]:
    """The ranking chart's bars, best first: (label, value)."""
    bars = traces(page, "compare_ranking")[0]
    return list(zip(bars["y"], bars["x"], strict=True))


def test_d_compare_normalisation_changes_the_ranking_and_a_viewer_sees_anonymous_peers(page, live_app):
    name = metric_named(live_app, "ecosystem_collaborations")
    open_page(page, live_app, user=VIEWER)
    choose_organisation(page, VIEWER_ORGANISATION)
    go_to(page, "Jämför")
    choose_option(page, "compare_metric", name)
    as_reported = ranked(page)
    expect(page.get_by_text(re.compile(r"^Er placering: \d+ av \d+$"))).to_be_visible()

    choose_option(page, "compare_basis", "per 1 000 anställda")
    per_employee = ranked(page)
    assert [label for label, _ in per_employee] != [label for label, _ in as_reported]
    values = [value for _, value in per_employee]
    assert values == sorted(values, reverse=True)
    own = dict(per_employee)[VIEWER_ORGANISATION]
    granlunda = organisation_named(live_app, VIEWER_ORGANISATION)
    stored = stored_values(live_app, granlunda.id, Quarter.last_completed())["ecosystem_collaborations"]
    assert own == pytest.approx(stored / granlunda.employees * 1000)

    # The viewer's own organisation by name, the others anonymous: never a name that did not opt in.
    labels = [label for label, _ in per_employee]
    assert VIEWER_ORGANISATION in labels
    assert any(label.startswith("Anonym organisation") for label in labels)
    assert "Sjöviks kommun" not in labels
    expect(page.get_by_test_id("stMain")).not_to_contain_text("Sjöviks kommun")


def test_e_board_slides_step_through_and_the_pdf_has_the_right_page_count(page, live_app):
    import pypdf

    organisation, quarter = first_organisation(live_app), Quarter.last_completed()
    open_page(page, live_app, "styrelserapport")
    expect(page.get_by_role("heading", level=1)).to_have_text("Styrelserapport")
    counter = page.get_by_text(re.compile(r"^Bild \d+ av \d+$"))
    expect(counter).to_have_text(re.compile(r"^Bild 1 av \d+$"))
    count = int(counter.inner_text().split()[-1])
    assert count >= 8
    previous, following = page.get_by_role("button", name="Föregående"), page.get_by_role("button", name="Nästa")
    expect(previous).to_be_disabled()
    titles = set()
    for number in range(2, count + 1):
        following.click()
        settle(page)
        expect(counter).to_have_text(f"Bild {number} av {count}")
        titles.add(page.get_by_test_id("stMain").locator("h2").first.inner_text())
    expect(following).to_be_disabled()
    assert len(titles) >= count - 2  # the slides differ as one steps through them
    previous.click()
    settle(page)
    expect(counter).to_have_text(f"Bild {count - 1} av {count}")

    expect(page.get_by_role("heading", name="Ladda ned styrelseunderlaget och värdena")).to_be_visible()
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="Styrelseunderlag (PDF)").click()
    pdf = download.value
    assert pdf.suggested_filename == f"styrelseunderlag-{organisation.code}-{quarter}.pdf"
    content = Path(pdf.path()).read_bytes()
    assert content.startswith(b"%PDF")
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) == count


def test_f_english_shows_english_labels_and_english_number_formats(page, live_app):
    organisation, quarter = first_organisation(live_app), Quarter.last_completed()
    stored = stored_values(live_app, organisation.id, quarter)
    metric = next(m for m in metrics(live_app) if m.unit_kind == "percent" and m.decimals == 1 and m.code in stored
                  and m.code != "vision_alignment")
    value = stored[metric.code]

    open_page(page, live_app)
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")
    expect(value_cell(page, metric.name("sv"))).to_have_text(f"{value:.1f}".replace(".", ",") + "\u00a0%")

    choose_language(page, "English")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.get_by_text(f"{organisation.name}, {quarter.label('en')}: every metric's")).to_be_visible()
    expect(page.get_by_role("link", name="Compare", exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="Quarter")).to_be_visible()
    expect(column_header(page, "Metric")).to_be_attached()
    expect(value_cell(page, metric.name("en"))).to_have_text(f"{value:.1f}%")
    expect(keyed(page, f"overview_card_{metric.code}").get_by_test_id("stMetricValue")).to_have_text(f"{value:.1f}%")
    assert re.fullmatch(r"\d{4} Q[1-4]", quarter.label("en"))

    # The language stays for the session: the next page is English too, numbers and charts included.
    go_to(page, "Metric detail")
    expect(page.get_by_role("combobox", name="Metric")).to_be_visible()
    assert chart_separators(page, "detail_chart") == ".,"
    go_to(page, "Board report")
    expect(page.get_by_role("heading", level=1)).to_have_text("Board report")
    expect(page.get_by_text(re.compile(r"^Slide 1 of \d+$"))).to_be_visible()


def test_g_a_viewer_finds_no_way_to_change_anything_and_a_visitor_sees_only_sign_in(page, live_app, new_context):
    organisation, quarter = organisation_named(live_app, VIEWER_ORGANISATION), Quarter.last_completed()
    before = stored_values(live_app, organisation.id, quarter)
    open_page(page, live_app, user=VIEWER)
    choose_organisation(page, organisation.name)
    main = page.get_by_test_id("stMain")

    # Reading pages offer nothing to save.
    for link in ("Översikt", "Jämför", "Administration"):
        go_to(page, link)
        # A filter's chips ("Ta bort kommun" in Jämför's multiselect) remove a choice, never data.
        chips = main.get_by_test_id("stMultiSelect").get_by_role("button", name=re.compile("^(Ta bort|Remove) ")).count()
        expect(main.get_by_role("button", name=re.compile("Spara|Bekräfta|Ta bort|Lägg till"))).to_have_count(chips)
    expect(page.get_by_text("Bara en administratör får göra detta.")).to_be_visible()

    # The entry form and Mål say they are read-only and their save buttons are disabled (the data
    # layer refuses a reader's save anyway: tests/test_permissions.py).
    for link in ("Kvartalsdata", "Mål"):
        go_to(page, link)
        expect(page.get_by_text(READ_ONLY)).to_be_visible()
        for button in main.get_by_role("button", name=re.compile("^Spara")).all():
            expect(button).to_be_disabled()

    # An import of the own organisation's figures stops before the preview: no confirm button.
    go_to(page, "Importera")
    upload(page, "granlunda.csv", f"organisation,metric,period,value\n{organisation.code},ideas_delivered,{quarter},99\n")
    expect(page.get_by_text(re.compile("^Filen ändrar värden för organisationer som du inte får ändra"))).to_be_visible()
    expect(page.get_by_role("button", name="Bekräfta och spara")).to_have_count(0)
    assert stored_values(live_app, organisation.id, quarter) == before

    # Signed out, every address shows the sign-in form and nothing else.
    visitor = new_context().new_page()
    for path in ("", "administration"):
        open_page(visitor, live_app, path, user=None)
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Logga in")
        expect(visitor.get_by_role("link", name="Logga in")).to_be_visible()  # to the /signin page
        expect(visitor.get_by_test_id("stSidebarNav")).to_have_count(0)
        expect(visitor.locator('[class*="st-key-entry_value_"], [class*="st-key-targets_"]')).to_have_count(0)
        expect(visitor.get_by_test_id("stMain")).not_to_contain_text(organisation.name)


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
    first.get_by_role("button", name="Spara", exact=True).click()
    expect(first.get_by_text("Sparat: 1 värden ändrades.")).to_be_visible()
    second.get_by_role("button", name="Spara", exact=True).click()
    settle(second)

    expect(second.get_by_text(re.compile("^Inget sparades: någon annan har ändrat 1 av värdena"))).to_be_visible()
    expect(second.get_by_role("button", name=re.compile("Skriv över|Behåll"))).to_have_count(2)
    assert stored_values(live_app, organisation.id, quarter)["digital_maturity"] == first_value
