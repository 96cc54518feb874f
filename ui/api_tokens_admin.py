"""Administration → API-nycklar: list, make (shown once) and revoke API tokens.

Administrators see and manage every account's tokens; an editor their own. The data layer
(data/api_tokens.py) checks that again, so this page only saves people a refused click.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from data.accounts import list_accounts
from data.api_tokens import TokenInfo, create_token, list_tokens, revoke_token
from data.db import reading
from metrics import clock
from presentation.formatting import format_date
from ui.admin import run_action
from ui.page import PageContext


def token_section(context: PageContext, usernames: list[str]) -> None:
    """The table, the form that makes a token, and the one that revokes one."""
    with reading(context.url) as session:
        tokens = list_tokens(session=session, actor=context.actor)
    st.caption(context.t("api.admin_explained"))
    if tokens:
        st.dataframe(tokens_table(context, tokens), hide_index=True, key="admin_tokens")
    else:
        st.info(context.t("api.admin_none"))
    _create_form(context, usernames if context.actor.is_admin else [context.actor.username])
    active = [t for t in tokens if t.state(clock.today()) == "active"]
    if active:
        _revoke_form(context, active)


def account_names(context: PageContext) -> list[str]:
    """The active accounts an administrator may make a token for."""
    with reading(context.url) as session:
        return [a.username for a in list_accounts(session=session, actor=context.actor) if a.active]


def tokens_table(context: PageContext, tokens: list[TokenInfo]) -> pd.DataFrame:
    today = clock.today()

    def day(value: object) -> str:
        return format_date(value, context.language) if isinstance(value, dt.date) else "–"

    return pd.DataFrame({
        context.t("api.admin_id"): [t.id for t in tokens],
        context.t("api.admin_account"): [t.username for t in tokens],
        context.t("api.admin_name"): [t.name for t in tokens],
        context.t("api.admin_state"): [context.t(f"api.state_{t.state(today)}") for t in tokens],
        context.t("api.admin_expires"): [day(t.expires_on) for t in tokens],
        context.t("api.admin_last_used"): [day(t.last_used_at.date() if t.last_used_at else None) for t in tokens],
        context.t("api.admin_created"): [f"{day(t.created_at.date())} ({t.created_by})" for t in tokens],
    })


def _create_form(context: PageContext, usernames: list[str]) -> None:
    with st.form("admin_token_add_form", clear_on_submit=True):
        st.subheader(context.t("api.admin_add"))
        username = st.selectbox(context.t("api.admin_account"), usernames, key="admin_token_account")
        name = st.text_input(context.t("api.admin_name"), key="admin_token_name", max_chars=100)
        expires = st.date_input(context.t("api.admin_expires"), value=None, key="admin_token_expires",
                                min_value=clock.today(), format="YYYY-MM-DD")
        submitted = st.form_submit_button(context.t("api.admin_add_submit"))
    if submitted and username:
        made: list[str] = []

        def make(session: Session) -> None:
            _info, secret = create_token(session=session, actor=context.actor, username=username, name=name,
                                         expires_on=expires)
            made.append(secret)

        if run_action(context, make, "api.admin_added", username=username):
            st.warning(context.t("api.admin_shown_once"))
            st.code(made[0], language=None)


def _revoke_form(context: PageContext, active: list[TokenInfo]) -> None:
    labels = {t.id: f"{t.id}: {t.username} – {t.name}" for t in active}
    with st.form("admin_token_revoke_form"):
        st.subheader(context.t("api.admin_revoke"))
        token_id = st.selectbox(context.t("api.admin_name"), list(labels), format_func=labels.__getitem__,
                                key="admin_token_revoke_id")
        submitted = st.form_submit_button(context.t("api.admin_revoke_submit"))
    if submitted and token_id is not None:
        run_action(context, lambda session: revoke_token(session=session, actor=context.actor, token_id=token_id),
                   "api.admin_revoked", name=labels[token_id])

