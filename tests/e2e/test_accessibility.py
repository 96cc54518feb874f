"""Accessibility in the real browser: axe-core on every page, and the entry form by keyboard alone.

Swedish public-sector digital services must meet WCAG 2.1 AA. axe-core (bundled by the PyPI package
axe-playwright-python, so nothing is fetched at run time) checks the WCAG 2.0/2.1 A and AA rules;
a serious or critical violation fails the test unless tests/e2e/axe_allowlist.py explains why it is
Streamlit's and not Effekt's.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from data.demo_accounts import DEMO_PASSWORD
from metrics.periods import Quarter
from tests.e2e.axe_allowlist import ALLOWED, Allowed
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORT
from tests.e2e.support import (
    ADMIN,
    choose_language,
    first_organisation,
    go_to,
    open_page,
    settle,
    stored_values,
    value_cell,
)
from tools.english_words import english_words_on
from tools.live_server import sign_in
from tools.tour import PLAIN_ROUTES, targets, visit

pytestmark = pytest.mark.e2e

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
_allowances_used: set[Allowed] = set()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def allowance_for(page: Any, rule: str, target: list[str]) -> Allowed | None:
    """The allow-list entry covering this element, if it sits inside the entry's Streamlit container."""
    for allowed in ALLOWED:
        if allowed.rule == rule and page.evaluate(
            "([target, inside]) => !!document.querySelector(target)?.closest(inside)", [target[-1], allowed.inside]
        ):
            return allowed
    return None


def blocking_violations(page: Any) -> list[str]:
    found = []
    for violation in axe_violations(page):
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            allowed = allowance_for(page, violation["id"], node["target"])
            if allowed:
                _allowances_used.add(allowed)
                continue
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']}\n    {node['target']}\n"
                         f"    {node['html'][:200]}\n    {node.get('failureSummary', '')}")
    return found


@pytest.fixture(scope="module")
def tour(browser, live_app):
    """One session, signed in as the administrator (who sees every page whole), that visits every page
    in turn, as a person clicking through the sidebar would. The sign-in page is checked first."""
    context = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    open_page(page, live_app, user=None)
    yield page
    context.close()


def test_no_serious_or_critical_axe_violation_on_the_sign_in_page(tour):
    expect(tour.get_by_role("heading", level=1)).to_have_text("Logga in")
    violations, english = blocking_violations(tour), english_words_on(tour)
    sign_in(tour, ADMIN, DEMO_PASSWORD)  # before the asserts: the tour goes on signed in whatever they find
    assert violations == []
    assert english == []


@pytest.mark.parametrize("target", targets(), ids=lambda target: target.id)
def test_every_swedish_page_and_tab_has_no_serious_axe_violation_and_no_english_word(tour, target):
    visit(tour, target)
    expect(tour.get_by_role("heading", level=1)).to_be_visible()
    if target.tab is not None:
        expect(tour.get_by_role("tab").nth(target.tab)).to_have_attribute("aria-selected", "true")
    assert blocking_violations(tour) == []
    assert english_words_on(tour) == []


@pytest.mark.parametrize("route", PLAIN_ROUTES)
def test_the_plain_routes_in_swedish_have_no_english_word(page, live_app, route):
    page.goto(live_app.url(route))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert english_words_on(page) == []


def test_every_allow_list_entry_is_still_needed():
    """Runs after the page checks (file order): an entry nothing matched any more is to be removed."""
    if not _allowances_used:
        pytest.skip("the page checks did not run in this session")
    assert set(ALLOWED) - _allowances_used == set()


def test_the_page_declares_the_language_it_is_written_in(page, live_app):
    open_page(page, live_app)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    choose_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def focused(page: Any) -> dict[str, str]:
    """What has the keyboard focus: its aria-label, its text, its role (as the browser sees them)."""
    return page.evaluate("""() => {
        const element = document.activeElement;
        const label = element.getAttribute('aria-label') || (element.labels?.[0]?.innerText ?? '');
        return {label, text: (element.innerText || '').trim(), type: element.type || element.tagName.toLowerCase(),
                role: element.getAttribute('role') || ''};
    }""")


def tab_to(page: Any, matches: Any, limit: int = 150) -> None:
    """Press Tab until the focused element matches (a keyboard user's way to any control)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if matches(focused(page)):
            return
    raise AssertionError(f"Tab never reached the element; focus ended on {focused(page)}")


def test_the_entry_form_can_be_completed_with_the_keyboard_alone(page, live_app):
    organisation, quarter = first_organisation(live_app), Quarter.last_completed()
    before = stored_values(live_app, organisation.id, quarter).get("ideas_delivered")
    value = 41 if before != 41 else 42
    open_page(page, live_app, "kvartalsdata")

    page.locator("body").focus()
    tab_to(page, lambda element: element["label"] == "Levererade idéer (st)")
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    tab_to(page, lambda element: element["text"] == "Spara")
    page.keyboard.press("Enter")
    settle(page)

    expect(page.get_by_text("Sparat: 1 värden ändrades.")).to_be_visible()
    assert stored_values(live_app, organisation.id, quarter)["ideas_delivered"] == value


def test_pages_and_the_language_can_be_chosen_with_the_keyboard_alone(page, live_app):
    open_page(page, live_app)
    page.locator("body").focus()
    tab_to(page, lambda element: element["text"].splitlines()[-1:] == ["Kvartalsdata"])  # after the icon's name
    page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kvartalsdata")

    tab_to(page, lambda element: "radio" in (element["type"], element["role"]))  # the language choice, on Svenska
    page.keyboard.press("ArrowRight")  # to English: arrows move within the group, Space chooses
    assert focused(page)["text"] == "English", focused(page)
    page.keyboard.press("Space")
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly data")


def test_the_metric_detail_chart_has_a_table_with_the_plotted_figures(page, live_app):
    organisation, quarter = first_organisation(live_app), Quarter.last_completed()
    open_page(page, live_app)
    go_to(page, "Mätetal i detalj")
    expect(page.get_by_role("heading", level=1)).to_have_text("Förankrad vision")  # the catalogue's first metric
    chart = page.locator(".js-plotly-plot").first
    own = chart.evaluate(f"el => el.data.filter(t => t.name === {organisation.name!r}).map(t => Array.from(t.y))[0]")
    expect(page.get_by_role("heading", name="Samma uppgifter som tabell")).to_be_visible()
    # Björkhamn reported its vision in 2025 K2 (79,4 %), not in 2025 K3: the table says so.
    assert (organisation.name, quarter.label("sv")) == ("Björkhamns kommun", "2025 K3")
    assert "vision_alignment" not in stored_values(live_app, organisation.id, quarter)
    expect(value_cell(page, "2025 K3")).to_have_text("–")
    expect(value_cell(page, "2025 K2")).to_have_text("79,4\u00a0%")
    assert 79.4 in own  # the chart plots the figure the table shows
