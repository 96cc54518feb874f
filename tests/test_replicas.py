"""Two replicas, one database: a figure saved elsewhere shows in both servers at their next interaction.

Each ``streamlit run`` process has its own ``st.cache_data``; what makes them agree is the data
version read from the shared PostgreSQL database on every run (ui/reads.py). Needs Chromium and
PostgreSQL; skipped without them unless EFFEKT_REQUIRE_BROWSER=1 / EFFEKT_REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import os
import time

import pytest

from data.actors import SYSTEM
from data.bootstrap import prepare_database
from data.catalogue_store import list_metrics
from data.db import reading, writing
from data.demo_accounts import DEMO_PASSWORD
from data.figures import Figure, save_figures
from data.organisations import list_organisations
from data.versioning import read_data_version
from metrics.periods import Quarter
from tests.conftest import POSTGRES_URL, database
from tools.live_server import CHROMIUM, CHROMIUM_ARGS, chromium_available, running_server, sign_in

SAVED = 12.3


def _require() -> None:
    if not chromium_available():
        if os.environ.get("EFFEKT_REQUIRE_BROWSER") == "1":
            pytest.fail("EFFEKT_REQUIRE_BROWSER=1 but Chromium or playwright is missing")
        pytest.skip("two-replica test needs Chromium (/usr/bin/chromium) and playwright")
    if not POSTGRES_URL:
        if os.environ.get("EFFEKT_REQUIRE_POSTGRES") == "1":
            pytest.fail("EFFEKT_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("two-replica test needs PostgreSQL (TEST_DATABASE_URL)")


@pytest.fixture
def shared_url(tmp_path):
    """A fresh PostgreSQL schema with the demo data, dropped afterwards (tests/conftest.py's database)."""
    _require()
    with database("postgresql", tmp_path) as url:
        prepare_database(url, demo_if_empty=True)  # as of the clock's today, which the servers are given too
        yield url


def _cells(page) -> list[str]:
    """The overview table's header and data cells in reading order (an HTML table: ui/tables.py)."""
    return page.locator("table th, table td").all_inner_texts()


def _wait_for_cell(page, wanted: str, timeout: float = 60) -> list[str]:
    deadline = time.monotonic() + timeout
    cells: list[str] = []
    while time.monotonic() < deadline:
        cells = _cells(page)
        if wanted in cells:
            return cells
        time.sleep(0.3)
    raise AssertionError(f"{wanted!r} not shown; table cells: {cells}")


def _settle(page) -> None:
    """Alternate Jämför and Översikt until both have shown: the session is past its first runs."""
    nav = page.locator('[data-testid="stSidebarNav"]')
    working = 0
    for link in ("Jämför", "Översikt") * 5:
        nav.get_by_role("link", name=link, exact=True).click()
        try:
            page.wait_for_function("title => document.querySelector('h1')?.innerText === title", arg=link,
                                   timeout=20000)
            working += 1
        except Exception:  # noqa: BLE001 - the failing rerun: go on to the next link
            working = 0
        if working >= 2 and link == "Översikt":
            _wait_for_cell(page, "Kundnöjdhet", timeout=20)
            return
    state = page.evaluate("() => [location.pathname, document.querySelector('h1')?.innerText]")
    raise AssertionError(f"the app never settled: {state}")


def test_a_figure_saved_elsewhere_shows_in_both_replicas_at_their_next_interaction(shared_url):
    from playwright.sync_api import sync_playwright

    quarter = Quarter.last_completed()
    with reading(shared_url) as session:
        organisation = list_organisations(session=session)[0]
        satisfaction = {m.code: m.id for m in list_metrics(session=session)}["customer_satisfaction"]
    env = {"EFFEKT_DEMO_ON_EMPTY": "0"}
    with running_server(shared_url, env) as first, running_server(shared_url, env) as second, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = []
        for server in (first, second):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(server.base)  # Översikt for the first organisation and the last completed quarter
            sign_in(page, "demo-admin", DEMO_PASSWORD)
            cells = _wait_for_cell(page, "Kundnöjdhet")
            assert "12,3\u00a0%" not in cells
            _settle(page)
            pages.append(page)

        with writing(shared_url) as session:
            before = read_data_version(session)
            save_figures(session=session, actor=SYSTEM, via="cli",
                         figures=[Figure(organisation.id, satisfaction, quarter, SAVED)])
        with reading(shared_url) as session:
            assert read_data_version(session) == before + 1

        for page in pages:  # the next interaction: switching the language reruns the page
            page.get_by_text("English", exact=True).click()
            cells = _wait_for_cell(page, "Customer satisfaction")
            cells = _wait_for_cell(page, "12.3%")
            row = cells.index("Customer satisfaction")
            assert cells[row + 1] == "12.3%"
        browser.close()


def test_an_upload_through_nginx_reaches_its_own_process_and_the_figure_shows_in_the_other(shared_url):
    """nginx with the shipped configuration in front of two processes: the websocket is proxied,
    the upload (a separate request) is sticky to the session's process, and both processes then
    show the imported figure."""
    from playwright.sync_api import expect, sync_playwright

    from tools.load_balancer import nginx_available, nginx_in_front

    if not nginx_available():
        if os.environ.get("EFFEKT_REQUIRE_NGINX") == "1":
            pytest.fail("EFFEKT_REQUIRE_NGINX=1 but nginx is not installed")
        pytest.skip("the load-balancer test needs nginx (apt-get install nginx)")
    quarter = Quarter.last_completed()
    with reading(shared_url) as session:
        organisation = list_organisations(session=session)[0]
    csv = f"organisation,metric,period,value\n{organisation.code},customer_satisfaction,{quarter},{SAVED}\n"
    env = {"EFFEKT_DEMO_ON_EMPTY": "0"}
    with running_server(shared_url, env) as first, running_server(shared_url, env) as second, \
            nginx_in_front([int(s.base.rsplit(":", 1)[1]) for s in (first, second)]) as balanced, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{balanced}/importera")
        sign_in(page, "demo-admin", DEMO_PASSWORD)
        page.locator(".st-key-import_file input[type='file']").set_input_files(
            files=[{"name": "figure.csv", "mimeType": "text/csv", "buffer": csv.encode("utf-8")}])
        page.get_by_role("button", name="Bekräfta och spara").click(timeout=60_000)
        expect(page.get_by_text("Importen är sparad: 1 värden ändrades")).to_be_visible(timeout=60_000)
        assert "effekt_replica" in {cookie["name"] for cookie in page.context.cookies()}

        for server in (first, second):  # each process on its own: both show the figure
            direct = browser.new_page(viewport={"width": 1400, "height": 900})
            direct.goto(server.base)
            sign_in(direct, "demo-admin", DEMO_PASSWORD)
            cells = _wait_for_cell(direct, "12,3\u00a0%")
            assert cells[cells.index("Kundnöjdhet") + 1] == "12,3\u00a0%"
        browser.close()
