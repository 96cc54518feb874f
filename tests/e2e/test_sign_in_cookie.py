"""The sign-in survives a refresh: the /signin page's HttpOnly cookie, in real Chromium.

Reload and a new tab stay signed in; the cookie's flags are what the README promises; a sign-out
in one tab ends the other tab at its next click, and a reload then shows the sign-in screen.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.support import ADMIN, EDITOR, go_to, open_page, settle

pytestmark = pytest.mark.e2e


def _signed_in(page) -> None:
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def test_sign_in_sets_an_httponly_lax_cookie_and_survives_a_reload_and_a_new_tab(new_context, live_app):
    context = new_context()
    page = context.new_page()
    open_page(page, live_app, "jamfor", user=ADMIN)
    _signed_in(page)
    cookies = {c["name"]: c for c in context.cookies()}
    cookie = cookies["effekt_signin"]
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"], cookie["secure"]) == (True, "Lax", "/", False)
    assert len(cookie["value"]) == 43  # secrets.token_urlsafe(32): the record's token, never its hash
    assert page.evaluate("() => document.cookie").find("effekt_signin") == -1  # HttpOnly: no script reads it

    page.reload()
    settle(page)
    _signed_in(page)
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Logga in")

    other = context.new_page()
    other.goto(live_app.url("administration"))
    settle(other)
    _signed_in(other)
    expect(other.get_by_text("Inloggad som demo-admin", exact=False)).to_be_visible()


def test_sign_out_in_one_tab_ends_the_other_tab_at_its_next_click_and_a_reload_asks_to_sign_in(new_context, live_app):
    context = new_context()
    first = context.new_page()
    open_page(first, live_app, user=EDITOR)
    second = context.new_page()
    second.goto(live_app.url(""))
    settle(second)
    _signed_in(second)

    first.get_by_role("button", name="Logga ut").click()
    settle(first)
    expect(first.get_by_role("heading", level=1)).to_have_text("Logga in")

    go_to_failed = second.get_by_role("link", name="Jämför")
    go_to_failed.click()
    settle(second)
    expect(second.get_by_role("heading", level=1)).to_have_text("Logga in")
    expect(second.get_by_test_id("stSidebarNav")).to_have_count(0)

    second.reload()
    settle(second)
    expect(second.get_by_role("heading", level=1)).to_have_text("Logga in")
    expect(second.get_by_role("link", name="Logga in")).to_be_visible()


def test_a_wrong_password_on_the_sign_in_page_says_the_same_as_an_unknown_name(page, live_app):
    messages = []
    for name in ("demo-admin", "nobody-here"):
        page.goto(live_app.url("signin"))
        page.get_by_label("Användarnamn").fill(name)
        page.get_by_label("Lösenord").fill("not-the-password")
        page.get_by_role("button", name="Logga in").click()
        messages.append(page.get_by_role("alert").inner_text())
    assert messages == ["Fel användarnamn eller lösenord."] * 2
    assert [c["name"] for c in page.context.cookies() if c["name"] == "effekt_signin"] == []


def test_the_in_app_sign_out_button_then_a_reload_shows_the_sign_in_page(page, live_app):
    open_page(page, live_app, user=ADMIN)
    go_to(page, "Jämför")
    page.get_by_role("button", name="Logga ut").click()
    settle(page)
    page.reload()
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
