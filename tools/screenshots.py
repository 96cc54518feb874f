"""Regenerate the README's screenshots from the demo data in real Chromium.

Usage: ``python tools/screenshots.py`` (or ``make screenshots``); writes PNGs to docs/.
The app runs on a fresh temporary database with the demo data, so the pictures never show
anyone's real figures. The script signs in as the demo administrator, opens each page the way a
person does (the sidebar link) and photographs it once it is drawn: script idle, charts drawn,
fonts loaded. Pages at 1280×800; the board slide at projector size, 1280×720.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from data.accounts import DEMO_PASSWORD  # noqa: E402
from data.bootstrap import prepare_database  # noqa: E402
from data.db import dispose_engine  # noqa: E402
from tools.live_server import CHROMIUM, CHROMIUM_ARGS, ROOT, live_server, sign_in, wait_until_drawn  # noqa: E402

VIEWPORT = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1280, "height": 720}
# File name -> the sidebar link that opens the page (None: the start page, Översikt).
PAGES = {"overview": None, "compare": "Jämför", "entry": "Kvartalsdata", "board": "Styrelserapport"}


def main() -> None:
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="effekt-screenshots-") as folder:
        database_url = f"sqlite:///{folder}/effekt.db"
        prepare_database(database_url, demo_if_empty=True)
        dispose_engine(database_url)
        with live_server(database_url) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport=VIEWPORT, locale="sv-SE", device_scale_factor=1)
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.goto(base)
            sign_in(page, "demo-admin", DEMO_PASSWORD)
            for name, link in PAGES.items():
                if link:
                    open_page(page, link)
                page.mouse.move(VIEWPORT["width"] - 1, VIEWPORT["height"] - 1)  # no hover effects in the picture
                page.screenshot(path=str(out / f"{name}.png"))
                print(f"wrote docs/{name}.png")
            board_slide(page, out)
            browser.close()


def open_page(page: Any, link: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True).click()
    wait_until_drawn(page)


def board_slide(page: Any, out: Path) -> None:
    """The customer's voice slide at projector size, without the sidebar, as the README shows it."""
    page.set_viewport_size(PROJECTOR)
    open_page(page, "Styrelserapport")
    page.get_by_role("button", name="Nästa").first.click()
    wait_until_drawn(page)
    page.get_by_role("heading", name="Kundens röst").first.wait_for()
    page.locator('[data-testid="stSidebar"]').hover()  # the collapse button shows on hover
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click(timeout=10_000)
    wait_until_drawn(page)
    page.mouse.move(PROJECTOR["width"] - 1, PROJECTOR["height"] - 1)
    page.screenshot(path=str(out / "board_slide.png"))
    print("wrote docs/board_slide.png")


if __name__ == "__main__":
    main()
