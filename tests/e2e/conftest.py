"""The real-browser fixtures: one live app (``cli.py serve``) and one Chromium per session,
a fresh browser context (cookies, session, language) per test.

pytest-playwright is not used: its ``--browser-channel`` cannot point at Debian's Chromium, and the
sync API directly is a few lines. A missing Chromium skips these tests with a clear message on a
laptop; with ``EFFEKT_REQUIRE_BROWSER=1`` (CI) it fails them instead.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from data.bootstrap import prepare_database
from data.db import dispose_engine
from metrics.clock import fixed_today
from tests.conftest import TODAY
from tools.live_server import CHROMIUM, CHROMIUM_ARGS, live_server

REQUIRE_BROWSER = os.environ.get("EFFEKT_REQUIRE_BROWSER") == "1"
VIEWPORT = {"width": 1280, "height": 800}
# Generous for a cold first page (plotly, pandas) on two shared cores; a passing step takes far less.
TIMEOUT_MS = 30_000


def _browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401 - only whether it imports
    except ImportError:
        return "the Python package playwright is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)"
    return None


def _unavailable(reason: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"EFFEKT_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


def pytest_report_header() -> str:
    reason = _browser_missing()
    return f"Browser tests: SKIPPED ({reason})" if reason else f"Browser tests: on ({CHROMIUM})"


@dataclass(frozen=True)
class LiveApp:
    """The running dashboard: where to point the browser, and its database for checking what was saved."""

    base_url: str
    database_url: str
    log_path: Path

    def log_tail(self, characters: int = 4000) -> str:
        """The end of the server's output: the traceback behind "This app has encountered an error"."""
        return self.log_path.read_text(errors="replace")[-characters:] if self.log_path.exists() else ""

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path.lstrip('/')}"


@pytest.fixture(scope="package")
def live_app() -> Iterator[LiveApp]:
    """The app (``cli.py serve``) on a free loopback port, on a fresh SQLite file with the demo data."""
    reason = _browser_missing()
    if reason:
        _unavailable(reason)
    with tempfile.TemporaryDirectory(prefix="effekt-e2e-") as folder, fixed_today(TODAY):
        database_url = f"sqlite:///{folder}/effekt.db"
        prepare_database(database_url, demo_if_empty=True, today=TODAY)
        dispose_engine(database_url)
        log_path = Path(folder) / "server.log"
        with live_server(database_url, log_path=log_path) as base_url:  # its EFFEKT_TODAY: TODAY
            yield LiveApp(base_url=base_url, database_url=database_url, log_path=log_path)
        dispose_engine(database_url)


@pytest.fixture(autouse=True)
def _browser_tests_see_the_demo_day() -> Iterator[None]:
    """The tests compute quarters on the same day as the live server: :data:`tests.conftest.TODAY`."""
    with fixed_today(TODAY):
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    """A failing browser test shows the server's log, where Streamlit writes the real error."""
    report = yield
    app = item.funcargs.get("live_app") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(app, LiveApp):
        report.sections.append(("streamlit server log (end)", app.log_tail()))
    return report


@pytest.fixture(scope="package")
def browser(live_app: LiveApp) -> Iterator[Any]:  # noqa: ARG001 - the server runs before the browser opens
    """One headless Chromium for the browser tests (Debian's, never a downloaded one), closed when they end
    so later tests can start Playwright again."""
    from playwright.sync_api import Error, expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as error:
            _unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser: Any) -> Iterator[Any]:
    """A factory for fresh browser contexts (a new person at a new browser); all closed afterwards."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(viewport=VIEWPORT, locale="sv-SE", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Any) -> Any:
    """A page in a fresh context: its own Streamlit session, signed out, default language, nothing
    remembered. Tests sign in with ``support.open_page(page, app, path, user=...)`` (demo-admin by default)."""
    return new_context().new_page()
