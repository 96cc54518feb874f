"""What assistive technology needs beyond each chart's alt text (given by ``ui.charts.show_figure``):
the page's language declared on ``<html lang>``, so a screen reader reads it with the right voice.
"""

from __future__ import annotations

import streamlit as st

# The script's text; web/security.py allows exactly these (one per language) by hash in its CSP.
LANGUAGE_SCRIPT = "document.documentElement.lang = '{code}';"


def declare_page_language(language: str) -> None:
    """Set ``<html lang>`` to the language the page is written in (WCAG 3.1.1), so screen readers
    read Swedish with a Swedish voice. Streamlit serves ``lang="en"`` whatever the app says and has
    no option for it; a one-line script in the sidebar (where an empty element costs no layout) fixes it."""
    code = language if language in ("sv", "en") else "sv"
    with st.sidebar:
        st.html(f"<script>{LANGUAGE_SCRIPT.format(code=code)}</script>", unsafe_allow_javascript=True)
