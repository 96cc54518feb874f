"""Streamlit's own words in Swedish on a Swedish page (ui/streamlit_words.py), in real Chromium.

Streamlit 1.67 has no locale: the file uploader, the help buttons and its own controls speak
English unless the app's script rewrites them. A Swedish page shows none of those English words,
and choosing English brings them back.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import choose_language, go_to, open_page

pytestmark = pytest.mark.e2e

# Every English word of Streamlit's that reached Effekt's Swedish pages before the fix ("Drag and drop …"
# shows only on wide layouts).
ENGLISH = re.compile(r"\b(Upload|Drag and drop|per file|Help for|Help|file upload|Choose an option|"
                     r"Choose options|Choose date|Browse files|Skip to main content|Link to heading)\b")
NAMES = """() => [...document.querySelectorAll('[aria-label], [title], [placeholder]')]
  .flatMap(e => ['aria-label', 'title', 'placeholder'].map(n => e.getAttribute(n)).filter(Boolean))"""


def english_on(page) -> list[str]:
    texts = [page.locator("[data-testid=stMain]").inner_text(), page.locator('a[href="#stMain"]').text_content() or "",
             *page.evaluate(NAMES)]
    return sorted({m.group(0) for text in texts for m in ENGLISH.finditer(text)})


def test_the_uploader_and_help_buttons_speak_swedish_on_a_swedish_page_and_english_on_an_english_one(page, live_app):
    open_page(page, live_app)
    go_to(page, "Importera")
    uploader = page.get_by_test_id("stFileUploader")
    expect(uploader.get_by_role("button", name="Välj fil att ladda upp")).to_be_attached()
    expect(uploader.get_by_role("button", name="Ladda upp", exact=True)).to_be_visible()
    expect(uploader).to_contain_text("10 MB per fil • CSV, XLSX, TXT")
    expect(page.get_by_role("button", name="Hjälp om Blad i Excel-filen (tomt: det första)")).to_be_attached()
    assert english_on(page) == []
    zone = page.get_by_test_id("stFileUploaderDropzone")
    expect(zone).to_have_attribute("role", "group")  # not "presentation" around a button (F92/ARIA4)
    expect(zone).to_have_attribute("aria-label", "Fil att importera")

    choose_language(page, "English")
    expect(uploader.get_by_role("button", name="file upload")).to_be_attached()
    expect(uploader.get_by_role("button", name="Upload", exact=True)).to_be_visible()
    expect(uploader).to_contain_text("10MB per file")
    expect(page.get_by_role("button", name=re.compile(r"^Help for "))).not_to_have_count(0)


@pytest.mark.parametrize("link", ["Översikt", "Styrelserapport", "Mål", "Kvartalsdata", "Administration"])
def test_no_english_word_of_streamlits_on_a_swedish_page(page, live_app, link):
    open_page(page, live_app)
    go_to(page, link)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert english_on(page) == []
