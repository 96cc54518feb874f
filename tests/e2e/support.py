"""What a person does in the browser, in a few words each, so the journeys read like the story.

Locators follow what a person perceives: roles and accessible names (``get_by_role``,
``get_by_label``, ``get_by_text``); where Streamlit gives no name, its stable ``st-key-<key>`` class
on keyed widgets (the keys are the pages' own, e.g. ``entry_value_<metric code>``).
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from data.catalogue_store import list_metrics
from data.db import reading
from data.demo_accounts import DEMO_PASSWORD
from data.figures import figures_frame
from data.organisations import OrganisationInfo, list_organisations
from metrics.catalogue import MetricDefinition
from metrics.periods import Quarter
from tests.e2e.conftest import LiveApp
from tools.live_server import sign_in, wait_until_drawn

# The demo database's accounts (data.accounts.DEMO_ACCOUNTS): an administrator, an editor of
# Ekbacka kommun and a viewer of Granlunda kommun, all with the demo password.
ADMIN, EDITOR, VIEWER = "demo-admin", "demo-editor", "demo-viewer"
EDITOR_ORGANISATION, VIEWER_ORGANISATION = "Ekbacka kommun", "Granlunda kommun"


def settle(page: Any) -> None:
    """Wait until the current script run has finished drawing (after navigation or an interaction)."""
    wait_until_drawn(page)


def open_page(page: Any, app: LiveApp, path: str = "", user: str | None = ADMIN) -> None:
    """Open a page by its URL path (``kvartalsdata``, ``styrelserapport`` ...) in a new session and
    sign in as ``user`` (every page load is a new, signed-out session; the app then shows the page
    asked for). ``user=None`` stays signed out, on the sign-in page.

    Streamlit 1.67 sometimes (seen on a fresh server's first session) puts a "Page not found" dialog
    over the right page when a session starts on a page's URL; a person closes it, and so does this.
    """
    page.goto(app.url(path))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    settle(page)
    if path:
        dismiss_page_not_found(page)
    if user is not None:
        sign_in(page, user, DEMO_PASSWORD)
        if path:
            dismiss_page_not_found(page)


def dismiss_page_not_found(page: Any) -> None:
    dialog = page.get_by_role("dialog").filter(has_text="Page not found")
    if dialog.count():
        dialog.get_by_role("button", name="Close").click()
        expect(dialog).to_have_count(0)


def go_to(page: Any, link: str) -> None:
    """Follow a link in the sidebar navigation, staying in the same session (language, choices)."""
    page.get_by_role("link", name=link, exact=True).click()
    settle(page)


def choose_organisation(page: Any, name: str) -> None:
    """Choose the organisation in the sidebar (the first in the list is chosen for a new session)."""
    box = keyed(page, "context_organisation").get_by_role("combobox")
    box.click()
    box.press_sequentially(name)  # filter as a person types: the list near the sidebar's foot stays short
    page.get_by_role("option", name=name, exact=True).click()
    settle(page)


def choose_option(page: Any, key: str, option: str) -> None:
    """Choose ``option`` in the selectbox with ``key`` (Streamlit's combobox: open it, click the option)."""
    box = keyed(page, key).get_by_role("combobox")
    box.click()
    box.press_sequentially(option)  # filter as a person types, so the option is in the (virtual) list
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def choose_language(page: Any, name: str) -> None:
    """Press the language button in the sidebar (``English`` or ``Svenska``)."""
    page.locator(".st-key-language").get_by_text(name, exact=True).click()
    settle(page)


def keyed(page: Any, key: str) -> Any:
    """The element Streamlit draws for the widget with ``key``."""
    return page.locator(f".st-key-{key}")


def entry_input(page: Any, metric_code: str) -> Any:
    """The number field (a text input read in the page's language) for one metric in the Kvartalsdata form."""
    return keyed(page, f"entry_value_{metric_code}").locator("input")


def exactly(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def cell(page: Any, text: str) -> Any:
    """A table cell reading ``text``: in an HTML table (ui.tables) or in Streamlit's data grid, which
    draws on a canvas and keeps an accessible table of its visible rows inside it (fallback content:
    read by screen readers, never "visible" to Playwright), so assert on it with ``to_be_attached`` /
    ``to_contain_text``, not visibility."""
    return page.locator('[role="gridcell"], td, tbody th').filter(has_text=exactly(text))


def column_header(page: Any, text: str) -> Any:
    return page.locator('[role="columnheader"], thead th').filter(has_text=exactly(text))


def row_of(page: Any, first_cell: str) -> Any:
    """The table row whose first cell reads ``first_cell`` (a row header in an HTML table)."""
    first = page.locator('[role="gridcell"][aria-colindex="1"], :scope > th:first-child')
    return page.locator('[role="row"], tbody tr').filter(has=first.filter(has_text=exactly(first_cell)))


def value_cell(page: Any, first_cell: str) -> Any:
    """The second cell (Värde / Figure) of the row whose first cell reads ``first_cell``."""
    return row_of(page, first_cell).locator('[role="gridcell"][aria-colindex="2"], :scope > td:nth-child(2)')


def plotted_values(page: Any, key: str) -> list[list[float | None]]:
    """The y values of every trace of the plotly chart with ``key``, as the browser drew them."""
    chart = keyed(page, key).locator(".js-plotly-plot")
    chart.wait_for()
    values: list[list[float | None]] = chart.evaluate("el => el.data.map(trace => Array.from(trace.y))")
    return values


def chart_separators(page: Any, key: str) -> str:
    """Plotly's decimal and thousands separators as drawn (``",\u00a0"`` Swedish, ``".,"`` English)."""
    separators: str = keyed(page, key).locator(".js-plotly-plot").evaluate("el => el._fullLayout.separators")
    return separators


def first_organisation(app: LiveApp) -> OrganisationInfo:
    """The organisation the sidebar chooses for a new session (the first in the list)."""
    with reading(app.database_url) as session:
        return list_organisations(session=session)[0]


def organisation_named(app: LiveApp, name: str) -> OrganisationInfo:
    with reading(app.database_url) as session:
        return next(o for o in list_organisations(session=session) if o.name == name)


def stored_values(app: LiveApp, organisation_id: int, quarter: Quarter) -> dict[str, float]:
    """What the database holds now for one organisation and quarter, by metric code."""
    with reading(app.database_url) as session:
        codes = {m.id: m.code for m in list_metrics(session=session)}
        figures = figures_frame(session=session, organisation_ids=[organisation_id], first=quarter, last=quarter)
    return {codes[int(r.metric_id)]: float(r.value) for r in figures.itertuples(index=False)}


def metrics(app: LiveApp) -> list[MetricDefinition]:
    with reading(app.database_url) as session:
        return list_metrics(session=session)
