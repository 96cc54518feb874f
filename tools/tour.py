"""Every page and every Administration tab, visited as a person does: by the sidebar link, in one session.

One list of what "every page" means, shared by the second accessibility checker (tests/e2e/pa11y:
its Node runner takes the same targets), the axe tour that also checks that a Swedish page holds
no English word (tests/e2e/test_accessibility.py) and ``make screenshots`` (tools/screenshots.py), so a
new page is covered by all three once it is added here. A fresh page load would be a new
Streamlit session (signed out, the language forgotten), so the tour clicks the sidebar's links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tools.live_server import wait_until_drawn

# Sidebar URL path of every page, and the Administration page's tabs after the first (by index).
PAGES = ("oversikt", "matetal", "jamfor", "styrelserapport", "kvartalsdata", "importera", "historik",
         "inrapportering", "mal", "matetalen", "tillganglighetsredogorelse", "administration")
ADMIN_TABS = {"administration-matetal": 1, "administration-konton": 2, "administration-handelselogg": 3}
# The plain routes a person reaches without signing in (web/): the sign-in page and the statement.
PLAIN_ROUTES = ("signin", "tillganglighet")


@dataclass(frozen=True)
class Target:
    """One stop on the tour: a page by its URL path, and on Administration a tab by its index."""

    id: str
    path: str
    tab: int | None = None

    def as_job(self) -> dict[str, Any]:
        """The form the Node runner (tests/e2e/pa11y/run.mjs) reads."""
        return {"id": self.id, "path": self.path, "tab": self.tab}


def targets() -> list[Target]:
    """Every page, then every further Administration tab (the first tab is the page itself)."""
    return [Target(path, path) for path in PAGES] + [Target(name, "administration", index)
                                                     for name, index in ADMIN_TABS.items()]


def visit(page: Any, target: Target) -> None:
    """Open the target in the current session: its sidebar link (the root for Översikt), then its tab."""
    wanted = "/" if target.path == PAGES[0] else f"/{target.path}"
    links = page.get_by_test_id("stSidebarNav").locator("a")
    for index in range(links.count()):
        link = links.nth(index)
        if page.evaluate("href => new URL(href, location.href).pathname", link.get_attribute("href") or "") == wanted:
            link.click()
            break
    else:
        raise LookupError(f"no sidebar link to {target.path}")
    wait_until_drawn(page)
    if target.tab is not None:
        page.get_by_role("tab").nth(target.tab).click()
        wait_until_drawn(page)


def choose_language(page: Any, language: str) -> None:
    """Press the sidebar's language button (``Svenska`` or ``English``); pressing the chosen one keeps it
    (the control requires a choice)."""
    button = page.locator(".st-key-language").get_by_text("English" if language == "en" else "Svenska", exact=True)
    button.click()
    wait_until_drawn(page)
