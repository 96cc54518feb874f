"""Regenerate the README's screenshots from the demo data in real Chromium, and photograph every page.

Usage: ``python tools/screenshots.py`` (or ``make screenshots``); writes the README's PNGs to docs/
and every page and Administration tab (tools/tour.py), in Swedish and in English, to
build/screenshots/<language>/<page>.png, with the English words found on each Swedish page
(tools/english_words.py) printed; the command fails when a Swedish page shows one.
The app runs on a fresh temporary database with the demo data, so the pictures never show
anyone's real figures. The script signs in as the demo administrator, opens each page the way a
person does (the sidebar link) and photographs it once it is drawn: script idle, charts drawn,
fonts loaded. Pages at 1280×800; the board slide at projector size, 1280×720. Three pages of the
board pack PDF are drawn to PNG by pdftoppm (poppler-utils), no browser needed; ``--pack`` makes only
those.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from data.bootstrap import prepare_database
from data.db import dispose_engine
from data.demo_accounts import DEMO_PASSWORD
from tools.english_words import english_words_on
from tools.live_server import CHROMIUM, CHROMIUM_ARGS, ROOT, live_server, sign_in, wait_until_drawn
from tools.tour import PLAIN_ROUTES, choose_language, targets, visit

VIEWPORT = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1280, "height": 720}
# File name -> the sidebar link that opens the page (None: the start page, Översikt).
PAGES = {"overview": None, "compare": "Jämför", "entry": "Kvartalsdata", "board": "Styrelserapport"}


# File name -> the pack's slide kind whose first page is drawn (the customer first, the hardest, the summary).
PACK_PAGES = {"pack_customer": "customer_voice", "pack_hardest": "hardest", "pack_summary": "summary"}
PDFTOPPM_TIMEOUT_S = 60


def main() -> None:
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="effekt-screenshots-") as folder:
        database_url = f"sqlite:///{folder}/effekt.db"
        prepare_database(database_url, demo_if_empty=True)
        pack_pages(database_url, Path(folder), out)
        dispose_engine(database_url)
        if "--pack" in sys.argv[1:]:
            return
        with live_server(database_url) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport=VIEWPORT, locale="sv-SE", device_scale_factor=1)
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.goto(base)
            sign_in(page, "demo-admin", DEMO_PASSWORD)
            readme_pictures(page, out)
            english = every_page(page, base, ROOT / "build" / "screenshots")
            browser.close()
    if english:
        sys.exit("English words on Swedish pages:\n" + "\n".join(f"  {name}: {', '.join(words)}"
                                                               for name, words in english.items()))


def readme_pictures(page: Any, out: Path) -> None:
    """The README's four pages and the board slide, in Swedish."""
    for name, link in PAGES.items():
        if link:
            open_page(page, link)
        photograph(page, out / f"{name}.png")
    board_slide(page, out)
    page.set_viewport_size(VIEWPORT)


def every_page(page: Any, base: str, out: Path) -> dict[str, list[str]]:
    """Every page and tab in Swedish, then in English, photographed; the English words on each Swedish page."""
    english: dict[str, list[str]] = {}
    for language in ("sv", "en"):
        (out / language).mkdir(parents=True, exist_ok=True)
        choose_language(page, language)
        for target in targets():
            visit(page, target)
            photograph(page, out / language / f"{target.id}.png")
            if language == "sv" and (found := english_words_on(page)):
                english[target.id] = found
    plain = page.context.new_page()
    for language in ("sv", "en"):
        for route in PLAIN_ROUTES:
            plain.goto(f"{base}/{route}?lang={language}")
            photograph(plain, out / language / f"{route}.png")
            if language == "sv" and (found := english_words_on(plain)):
                english[route] = found
    plain.close()
    return english


def photograph(page: Any, path: Path) -> None:
    page.mouse.move(VIEWPORT["width"] - 1, VIEWPORT["height"] - 1)  # no hover effects in the picture
    page.screenshot(path=str(path))
    print(f"wrote {path.relative_to(ROOT)}")


def pack_pages(database_url: str, folder: Path, out: Path) -> None:
    """Ekbacka's board pack for the last completed quarter as PDF, three of its pages as PNG (1280 wide)."""
    from data.db import reading
    from metrics import clock
    from metrics.periods import Quarter
    from reports.export import render_pack
    from reports.gather import find_organisation, read_board_pack

    with reading(database_url) as session:
        organisation = find_organisation(session=session, code="demo-ekbacka")
        pack = read_board_pack(session=session, organisation=organisation,
                               quarter=Quarter.last_completed(clock.today()), language="sv")
    pdf = folder / "pack.pdf"
    pdf.write_bytes(render_pack(pack, "pdf"))
    kinds = [slide.kind for slide in pack.slides]
    for name, kind in PACK_PAGES.items():
        number = str(kinds.index(kind) + 1)
        subprocess.run(["pdftoppm", "-png", "-singlefile", "-f", number, "-l", number, "-scale-to-x", "1280",
                        "-scale-to-y", "-1", str(pdf), str(out / name)], check=True, timeout=PDFTOPPM_TIMEOUT_S)
        print(f"wrote docs/{name}.png")


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
    page.get_by_test_id("stExpandSidebarButton").click(timeout=10_000)
    wait_until_drawn(page)


if __name__ == "__main__":
    main()
