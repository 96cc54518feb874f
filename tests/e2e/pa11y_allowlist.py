"""HTML_CodeSniffer (pa11y) errors that come from Streamlit itself, not from Effekt's content, each with
the reason.

An entry allows one rule (the end of pa11y's code, e.g. ``F92,ARIA4``) for elements inside one
Streamlit container (a ``data-testid`` among the element's ancestors or the element itself),
nothing else. test_pa11y checks every entry still matches something, so the list shrinks when
Streamlit fixes its markup. Effekt's own content has no entries: fix it instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Allowed:
    rule: str
    inside: str
    reason: str


ALLOWED: tuple[Allowed, ...] = ()
