"""Streamlit's own words in Swedish on a Swedish page (ui/streamlit_words.py), in real Chromium.

Streamlit 1.67 has no locale: the file uploader, the help buttons and its own controls speak
English unless the app's script rewrites them. A Swedish page shows none of those English words,
and choosing English brings them back. Every page and tab is checked for English words in
test_accessibility.py's tour; this file checks the rewritten words themselves.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import choose_language, go_to, open_page
from tools.english_words import english_words_on

pytestmark = pytest.mark.e2e


def test_the_uploader_and_help_buttons_speak_swedish_on_a_swedish_page_and_english_on_an_english_one(page, live_app):
    open_page(page, live_app)
    go_to(page, "Importera")
    uploader = page.get_by_test_id("stFileUploader")
    expect(uploader.get_by_role("button", name="Välj fil att ladda upp")).to_be_attached()
    expect(uploader.get_by_role("button", name="Ladda upp", exact=True)).to_be_visible()
    expect(uploader).to_contain_text("10 MB per fil • CSV, XLSX, TXT")
    expect(page.get_by_role("button", name="Hjälp om Blad i Excel-filen (tomt: det första)")).to_be_attached()
    assert english_words_on(page) == []
    zone = page.get_by_test_id("stFileUploaderDropzone")
    expect(zone).to_have_attribute("role", "group")  # not "presentation" around a button (F92/ARIA4)
    expect(zone).to_have_attribute("aria-label", "Fil att importera")

    choose_language(page, "English")
    expect(uploader.get_by_role("button", name="file upload")).to_be_attached()
    expect(uploader.get_by_role("button", name="Upload", exact=True)).to_be_visible()
    expect(uploader).to_contain_text("10MB per file")
    expect(page.get_by_role("button", name=re.compile(r"^Help for "))).not_to_have_count(0)
