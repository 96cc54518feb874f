"""axe-core violations that come from Streamlit itself, not from Effekt's content, each with the reason.

An entry allows one rule for elements inside one Streamlit container (a CSS selector matched with
``closest()``), nothing else. test_accessibility checks every entry still matches something, so the
list shrinks when Streamlit fixes its markup. Effekt's own content has no entries: fix it instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Allowed:
    rule: str
    inside: str
    reason: str


ALLOWED = (
    Allowed(
        rule="list",
        inside='[data-testid="stSidebarNav"]',
        reason="Streamlit 1.67 draws st.navigation's section headings as <header>/<div> directly inside the "
               "<ul> of pages. Effekt only names the sections; the markup is Streamlit's (screen readers still "
               "announce the links and the headings).",
    ),
    Allowed(
        rule="listitem",
        inside='[data-testid="stSidebarNav"]',
        reason="The other half of the same Streamlit markup: each section's <li> pages sit in a <div> inside "
               "that <ul>, so axe sees <li> outside a list.",
    ),
)
