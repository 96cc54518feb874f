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
        browser.close()


if __name__ == "__main__":
    main()
