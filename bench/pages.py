"""Server-side page run time through AppTest, and the page drawn in a real headless Chromium.

The pages measured are listed in :data:`PAGES`: a page is added by naming its script and its
floor. Pages that do not exist yet in this checkout (metric detail) are skipped and reported.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The benchmark signs in like anyone else: an administrator account of its own in its database.
BENCH_USER = "bench-admin"
BENCH_PASSWORD = "bench-password-not-secret"


def ensure_bench_admin(url: str) -> None:
    """Create the benchmark's administrator account once per database."""
    from data.accounts import add_account, get_account
    from data.actors import SYSTEM
    from data.db import writing

    with writing(url) as session:
        if get_account(session=session, username=BENCH_USER) is None:
            add_account(session=session, actor=SYSTEM, username=BENCH_USER, role="admin", password=BENCH_PASSWORD)


def bench_sign_in_token(url: str) -> str:
    """A server-side sign-in for the benchmark's account, as the sign-in form would start one."""
    from data.accounts import get_account
    from data.db import writing
    from data.sign_ins import start_sign_in

    ensure_bench_admin(url)
    with writing(url) as session:
        account = get_account(session=session, username=BENCH_USER)
        assert account is not None
        return start_sign_in(session=session, account_id=account.id, origin="bench")


def all_page_paths() -> list[str]:
    """Every page of the navigation by URL path (read from dashboard.py, so new pages are visited too)."""
    return re.findall(r'url_path="([^"]+)"', (ROOT / "dashboard.py").read_text())


@dataclass(frozen=True)
class PageBench:
    """A page to time: its script, the ``st.session_state`` it needs, and the work it floors to."""

    name: str
    script: str
    floor: str  # name of a floor in bench.measure, called as floor(url, data)
    state: dict[str, Any]


PAGES = (
    PageBench("overview", "app_pages/overview.py", "overview", {}),
    PageBench("metric_detail", "app_pages/metric_detail.py", "overview", {}),
    PageBench("compare", "app_pages/compare.py", "compare", {}),
)


def available_pages() -> list[PageBench]:
    return [page for page in PAGES if (ROOT / page.script).exists()]


def apptest_timings(url: str, page: PageBench, runs: int) -> tuple[list[float], list[float]]:
    """Cold (every ``st.cache_data`` cleared) and warm (a second run) seconds of one page's run."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        return _apptest_runs(url, page, runs, st, AppTest)
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous


def _apptest_runs(url: str, page: PageBench, runs: int, st: Any, app_test: Any) -> tuple[list[float], list[float]]:
    from ui.signin import TOKEN_KEY

    at = app_test.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state[TOKEN_KEY] = bench_sign_in_token(url)
    at.run()
    _check(at)
    at.switch_page(page.script).run()
    _check(at)
    cold, warm = [], []
    for _ in range(runs):
        st.cache_data.clear()
        start = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - start)
        _check(at)
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
        _check(at)
    return cold, warm


def _check(at: Any) -> None:
    if at.exception:
        raise RuntimeError(f"page failed: {at.exception}")


def wait_ready(page: Any, timeout_ms: float = 60_000) -> None:
    """A Streamlit page is ready when its title is drawn and the app no longer says it is running."""
    page.wait_for_selector("h1", timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') !== 'running'",
        timeout=timeout_ms,
    )


def browser_timings(url: str, runs: int) -> dict[str, Any]:
    """Seconds from navigation to the Jämför chart drawn (first run: cold server caches), then the
    server's memory after visiting every page."""
    from playwright.sync_api import sync_playwright

    from tools.live_server import CHROMIUM, CHROMIUM_ARGS, running_server, sign_in

    ensure_bench_admin(url)
    drawn: list[float] = []
    with running_server(url, {"EFFEKT_DEMO_ON_EMPTY": "0"}) as server, sync_playwright() as p:
        rss_start = server.rss_mb()
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.goto(server.base)
                sign_in(page, BENCH_USER, BENCH_PASSWORD)  # a new tab is a new session: not timed
                start = time.perf_counter()
                page.locator('[data-testid="stSidebarNav"] a[href$="/jamfor"]').click()
                page.wait_for_selector(".js-plotly-plot .barlayer .point path", state="attached", timeout=120_000)
                drawn.append(time.perf_counter() - start)
                context.close()
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.goto(server.base)
            sign_in(page, BENCH_USER, BENCH_PASSWORD)
            visited = []
            for path in all_page_paths():
                link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]')
                if not link.count():  # the default page's link is the app's root
                    link = page.locator('[data-testid="stSidebarNav"] a').first
                link.first.click()
                wait_ready(page)
                visited.append(path)
            context.close()
        finally:
            browser.close()
        rss_after = server.rss_mb()
    return {"drawn": drawn, "rss_start_mb": rss_start, "rss_after_all_pages_mb": rss_after, "visited": visited}


FloorFunction = Callable[..., None]
