"""The script that puts Streamlit's own words in the page's language is allowed by the CSP, and knows
both directions of every word it changes."""

from __future__ import annotations

import base64
import hashlib

from ui.streamlit_words import PAIRS, words_script
from web.security import CONTENT_SECURITY_POLICY


def test_the_script_in_each_language_is_allowed_by_hash_and_nothing_else_is_added():
    for language in ("sv", "en"):
        digest = base64.b64encode(hashlib.sha256(words_script(language).encode()).digest()).decode()
        assert f"'sha256-{digest}'" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0]


def test_the_swedish_script_turns_english_into_swedish_and_the_english_one_back():
    sv, en = words_script("sv"), words_script("en")
    assert '["Upload", "Ladda upp"]' in sv
    assert "const pairs = " in sv
    assert "back = false" in sv
    assert "back = true" in en
    assert '"Hjälp om $1"' in sv
    assert '"Help for $1"' in en
    assert len({english for english, _ in PAIRS}) == len(PAIRS) == len({swedish for _, swedish in PAIRS})
