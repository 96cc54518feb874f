"""The English-word check that every Swedish page passes in Chromium (tools/english_words.py)."""

from __future__ import annotations

from presentation.i18n import translate
from tools.english_words import english_words_in, words


def test_streamlits_untranslated_strings_and_pandas_empty_values_are_english():
    shown = ["Drag and drop a file here", "Upload", "Help for Blad i Excel-filen", "None", "NaN"]
    assert english_words_in(shown) == ["and", "drag", "drop", "file", "for", "help", "here", "nan", "none", "upload"]


def test_an_english_text_of_effekts_shown_on_a_swedish_page_is_found():
    assert english_words_in([translate("nav.board", "en"), translate("board.downloads", "en")]) == [
        "and", "board", "download", "figures", "pack", "report", "the"]


def test_swedish_words_spelt_like_english_ones_codes_and_the_language_switch_pass():
    shown = ["10 MB per fil • CSV, XLSX, TXT", "Data och status", "Kundnöjdhet · customer_satisfaction",
             "demo-ekbacka", "Svenska English", "Ladda ned styrelseunderlaget (PDF)", "2025 K3: 87,5 %"]
    assert english_words_in(shown) == []


def test_words_drop_codes_and_numbers_and_split_hyphenated_words():
    assert words("E-post: info@digg.se, 0771-11 44 00, {count} customer_satisfaction K3") == [
        "e", "post", "info", "digg", "se"]  # K3 is a quarter, not a word
