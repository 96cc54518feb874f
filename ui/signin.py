"""The sign-in gate the frame runs before any page: first administrator, sign-in, sign-out, SSO.

The browser session (``st.session_state``, held on the server) keeps only the token of a
server-side sign-in record. Every run calls :func:`data.accounts.resume_sign_in`, which reloads the
account, so a deactivation, role change or password reset ends access at the next interaction.

Page refresh: a refresh (or a new tab) starts a new Streamlit session with empty session state,
so the person is asked to sign in again. We chose this on purpose. Streamlit 1.67 cannot set a
cookie from Python (``st.context.cookies`` is read-only) and a token in ``st.query_params`` would
sit in the address bar, the browser history, bookmarks and shared links, where anyone who sees it
could take over the session; third-party cookie components run JavaScript we would have to trust.
With single sign-on configured, ``st.login`` keeps the provider identity in Streamlit's own signed
HttpOnly cookie, so after a refresh the person is signed in again without typing anything, and the
role is still read from Effekt's tables.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

import streamlit as st

from data.accounts import AccountInfo, create_first_admin, first_admin_allowed, has_accounts
from data.actors import AccountError, Actor
from data.db import reading, writing
from data.demo_accounts import DEMO_PASSWORD, demo_accounts
from data.secret_checks import secret_problem
from data.settings import get_settings
from data.sign_ins import attempt_sign_in, end_sign_in, resume_sign_in, start_sign_in
from data.sso import sso_sign_in
from presentation.i18n import DEFAULT_LANGUAGE, translate
from ui.cookie_signin import cookie_mode, cookie_token, forget_token, sign_in_link

# The only thing about the sign-in kept in the browser session: the token of the server-side record.
TOKEN_KEY = "auth_sign_in_token"


def t(key: str, **params: Any) -> str:
    return translate(key, st.session_state.get("language") or DEFAULT_LANGUAGE, **params)


def origin() -> str:
    """Where a request comes from, for the audit log."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context (AppTest, bare mode)
        address = None
    return f"app {address}" if address else "app"


def _auth_secrets() -> Mapping[str, Any] | None:
    try:
        section = st.secrets.get("auth")
    except Exception:  # noqa: BLE001 - no secrets file at all: single sign-on is off
        return None
    return section if isinstance(section, Mapping) else None


def sso_enabled() -> bool:
    return _auth_secrets() is not None


def refuse_weak_secrets() -> None:
    """Stop the app when a configured secret is missing, short or a known example value."""
    section = _auth_secrets()
    if section is None:
        return
    checks = {"cookie_secret": section.get("cookie_secret")}
    providers = [(name, value) for name, value in section.items() if isinstance(value, Mapping)]
    for name, provider in providers or [("", section)]:
        checks[f"{name}.client_secret".lstrip(".")] = provider.get("client_secret")
    for name, value in checks.items():
        problem = secret_problem(value)
        if problem:
            st.error(t(problem, name=f"[auth] {name}"))
            st.stop()


def signed_in_actor(url: str) -> Actor:
    """The signed-in person, reloaded from the database; otherwise draws the gate and stops the run."""
    token = st.session_state.get(TOKEN_KEY) or cookie_token()
    if token:
        idle = dt.timedelta(minutes=get_settings().idle_minutes)
        with writing(url) as session:
            actor = resume_sign_in(session=session, token=token, origin=origin(), idle_timeout=idle)
        if actor is not None:
            st.session_state[TOKEN_KEY] = token
            return actor
        st.session_state.pop(TOKEN_KEY, None)
        forget_token(token)
        if sso_enabled() and st.user.get("is_logged_in"):
            st.logout()  # the provider's cookie would otherwise sign the person straight back in
        st.info(t("signin.ended"))
    if sso_enabled() and st.user.get("is_logged_in"):
        actor = _sso(url)
        if actor is not None:
            return actor
    with reading(url) as session:
        any_account = has_accounts(session=session)
        claimable = first_admin_allowed(session=session)
        demo = demo_accounts(session=session)
    if claimable:
        _first_administrator(url)
    elif not any_account:
        _administrator_from_the_command_line()
    else:
        _sign_in_form(url, demo)
    _gate_navigation()
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def _nothing() -> None:
    """The only page while signed out: the gate above has drawn everything."""


def _gate_navigation() -> None:
    """Declare navigation while signed out: no page but the gate.

    Without a declared navigation Streamlit would fall back to its legacy multipage mode, in which
    a page script could run without this gate. The address asked for (``/administration``, say) is
    mirrored as a hidden page of the same path, so there is no "page not found" and, since a
    page is identified by its path, the person lands on it once signed in.
    """
    pages = [st.Page(_nothing, title=t("signin.title"), url_path="logga-in", default=True)]
    try:
        path = urlparse(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]
    except Exception:  # noqa: BLE001 - no request context (bare mode)
        path = ""
    if re.fullmatch(r"[a-z0-9_-]{1,60}", path) and path != "logga-in":
        pages.append(st.Page(_nothing, title=t("signin.title"), url_path=path))
    st.navigation(pages, position="hidden")


def _sso(url: str) -> Actor | None:
    user = st.user
    issuer, subject = str(user.get("iss") or ""), str(user.get("sub") or "")
    email = user.get("email")  # a claim: text, or absent
    with writing(url) as session:
        outcome = sso_sign_in(
            session=session, issuer=issuer, subject=subject, email=email if isinstance(email, str) else None,
            email_verified=bool(user.get("email_verified")), origin=origin(),
        )
    if outcome.status == "ok" and outcome.token:
        st.session_state[TOKEN_KEY] = outcome.token
        return outcome.actor
    st.error(t("signin.sso_unknown", email=user.get("email") or subject))
    if st.button(t("signin.sso_sign_out"), key="signin_sso_logout"):
        st.logout()
    return None


def _sign_in_form(url: str, demo: list[AccountInfo]) -> None:
    st.title(t("signin.title"))
    if cookie_mode():  # served with routes: the sign-in page sets a cookie that survives a refresh
        sign_in_link(t("signin.submit"), st.session_state.get("language") or DEFAULT_LANGUAGE)
        _demo_hint(demo)
        if sso_enabled() and st.button(t("signin.sso"), key="signin_sso"):
            st.login()
        return
    with st.form("signin_form", clear_on_submit=True):
        username = st.text_input(t("signin.username"), key="signin_username", autocomplete="username")
        password = st.text_input(t("signin.password"), key="signin_password", type="password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("signin.submit"), type="primary")
    if submitted:
        with writing(url) as session:
            outcome = attempt_sign_in(session=session, username=username, password=password, origin=origin())
        if outcome.status == "ok" and outcome.token:
            st.session_state[TOKEN_KEY] = outcome.token
            st.rerun()
        st.error(t("signin.locked" if outcome.status == "locked" else "signin.failed"))
    if sso_enabled() and st.button(t("signin.sso"), key="signin_sso"):
        st.login()
    _demo_hint(demo)


def _demo_hint(demo: list[AccountInfo]) -> None:
    if demo:
        st.subheader(t("signin.demo_title"))
        st.markdown(t("signin.demo_explained", password=DEMO_PASSWORD))
        for account in demo:
            st.markdown(f"- `{account.username}`: {t(f'role.{account.role}')}")


def _administrator_from_the_command_line() -> None:
    """No account but data: nobody may claim it from the browser; the operator makes the administrator."""
    st.title(t("signin.title"))
    st.warning(t("security.signin_admin_from_cli"))


def _first_administrator(url: str) -> None:
    st.title(t("signin.first_title"))
    st.markdown(t("signin.first_explained"))
    with st.form("signin_first_form"):
        username = st.text_input(t("signin.username"), key="signin_first_username", autocomplete="username")
        password = st.text_input(t("signin.password"), key="signin_first_password", type="password",
                                 autocomplete="new-password")
        repeat = st.text_input(t("signin.repeat"), key="signin_first_repeat", type="password",
                               autocomplete="new-password")
        submitted = st.form_submit_button(t("signin.first_submit"), type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error(t("account.passwords_differ"))
        return
    try:
        with writing(url) as session:
            account = create_first_admin(session=session, username=username, password=password, origin=origin())
            token = start_sign_in(session=session, account_id=account.id, origin=origin())
    except AccountError as error:
        st.error(t(error.key, **error.params))
        return
    st.session_state[TOKEN_KEY] = token
    st.rerun()


def sign_out_control(url: str, actor: Actor) -> None:
    """In the sidebar: who is signed in, and the sign-out button."""
    st.caption(t("signin.signed_in_as", username=actor.username, role=t(f"role.{actor.role}")))
    if st.button(t("signin.sign_out"), key="signin_sign_out", icon=":material/logout:"):
        token = st.session_state.pop(TOKEN_KEY, None)
        with writing(url) as session:
            end_sign_in(session=session, token=token)
        forget_token(token)  # the cookie still holds it (only /signout can clear it), worthless now
        if sso_enabled() and st.user.get("is_logged_in"):
            st.logout()
        st.rerun()
