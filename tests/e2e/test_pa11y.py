"""The second accessibility checker: HTML_CodeSniffer's WCAG 2 AA rules (pa11y) on every page.

axe-core (test_accessibility) and HTML_CodeSniffer read WCAG differently and each finds what the
other misses (HTML_CodeSniffer found forms without a submit button on the Översikt cards and
duplicate ids between two data grids, which axe passed). Signed in as the demo administrator,
in Swedish and in English, the sign-in page, the plain accessibility statement, every page and every Administration tab: no error,
or one inside a Streamlit container that tests/e2e/pa11y_allowlist.py explains.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import _unavailable
from tests.e2e.pa11y_allowlist import ALLOWED, Allowed
from tests.e2e.pa11y_support import pa11y_missing, run_pa11y
from tests.e2e.support import ADMIN
from tools.tour import PLAIN_ROUTES, targets

pytestmark = pytest.mark.e2e

TARGETS = [*PLAIN_ROUTES, *(target.id for target in targets())]
_allowances_used: set[Allowed] = set()
_reports: dict[str, dict[str, Any]] = {}


def report(live_app: Any, language: str) -> dict[str, Any]:
    """pa11y's findings in one language, run once (about a minute for all pages) and shared."""
    reason = pa11y_missing()
    if reason:
        _unavailable(reason)
    if language not in _reports:
        _reports[language] = run_pa11y(live_app.base_url, language, ADMIN)
    return _reports[language]


def allowance_for(issue: dict[str, Any]) -> Allowed | None:
    rule = issue["code"].rsplit(".", 1)[-1]
    return next((a for a in ALLOWED if a.rule == rule and a.inside in issue["ancestors"]), None)


def unexplained(issues: list[dict[str, Any]]) -> list[str]:
    found = []
    for issue in issues:
        allowed = allowance_for(issue)
        if allowed:
            _allowances_used.add(allowed)
            continue
        found.append(f"{issue['code']}: {issue['message']}\n    {issue['selector']}\n    {issue['context'][:200]}")
    return found


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("target", TARGETS)
def test_no_html_codesniffer_error_on_the_page(live_app, language, target):
    issues = report(live_app, language)[target]
    assert not isinstance(issues, dict), issues.get("failed")
    assert unexplained(issues) == []


def test_every_pa11y_allow_list_entry_is_still_needed():
    """Runs after the page checks (file order): an entry nothing matched any more is to be removed."""
    if len(_reports) < 2:
        pytest.skip("the page checks did not run in both languages in this session")
    assert set(ALLOWED) - _allowances_used == set()
