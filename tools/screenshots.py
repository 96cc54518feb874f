"""Regenerate the README's screenshots from the demo data at 1280×800 in real Chromium.

Usage: ``python tools/screenshots.py`` (or ``make screenshots``); writes PNGs to docs/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.live_server import CHROMIUM, CHROMIUM_ARGS, ROOT, live_server  # noqa: E402

PAGES = {"overview": "", "compare": "jamfor", "entry": "kvartalsdata", "board": "styrelserapport"}


def main() -> None:
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with live_server() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        for name, path in PAGES.items():
            page.goto(f"{base}/{path}")
            page.get_by_role("heading", level=1).first.wait_for(timeout=60_000)
            page.wait_for_timeout(2500)  # let charts finish drawing
            page.screenshot(path=str(out / f"{name}.png"))
            print(f"wrote docs/{name}.png")
        board_slide(browser, base, out)
        browser.close()


def board_slide(browser: object, base: str, out: Path) -> None:
    """The customer's voice slide at projector size (1280×720), as the README shows it."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})  # type: ignore[attr-defined]
    page.goto(f"{base}/styrelserapport?bild=2")
    page.get_by_role("heading", name="Kundens röst").wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    page.keyboard.press("Escape")  # a first deep link can pop up Streamlit's "page not found" notice
    page.locator('[data-testid="stSidebar"]').hover()  # the collapse button shows on hover
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click(timeout=10_000)  # the slide only
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    page.wait_for_timeout(2500)  # let the chart finish drawing
    page.screenshot(path=str(out / "board_slide.png"))
    print("wrote docs/board_slide.png")


if __name__ == "__main__":
    main()
