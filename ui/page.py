"""The frame every page shares: database ready, language, sidebar context, and the page context.

``dashboard.py`` calls :func:`frame` once per run before the chosen page; every page then starts
with :func:`page_context`, which hands it who is acting, the organisation and quarter chosen in the
sidebar, the language and the catalogue, so no page repeats that set-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from data.actors import Actor
from data.bootstrap import prepare_database
from data.migrate import UnknownSchemaError
from data.organisations import OrganisationInfo
from data.settings import get_settings
from metrics.catalogue import MetricDefinition
from metrics.periods import Quarter
from ui import reads
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate

QUARTERS_OFFERED = 40
_CONTEXT = "_page_context"
# Who is acting in this session. Not bound to any widget, so a browser cannot set it.
ACTOR_KEY = "auth_actor"
# Until accounts exist (the accounts issue), the person at the app is the local operator.
LOCAL_OPERATOR = Actor(username="lokal", role="admin", origin="app")


@dataclass(frozen=True)
class PageContext:
    url: str
    version: int
    language: str
    actor: Actor
    organisation: OrganisationInfo | None
    quarter: Quarter
    metrics: list[MetricDefinition]
    organisations: list[OrganisationInfo]

    def t(self, key: str, **params: Any) -> str:
        return translate(key, self.language, **params)


def t(key: str, **params: Any) -> str:
    """Translate into the language chosen in this session."""
    return translate(key, st.session_state.get("language") or DEFAULT_LANGUAGE, **params)


@st.cache_resource(show_spinner=False)
def _prepared(url: str) -> bool:
    """Migrate and seed once per process and database, not on every rerun."""
    prepare_database(url, demo_if_empty=get_settings().demo_on_empty)
    return True


def frame() -> PageContext:
    """Run by ``dashboard.py`` before each page: ready the database and draw the sidebar context."""
    url = get_settings().database_url
    try:
        _prepared(url)
    except UnknownSchemaError:
        st.error(t("app.unknown_schema"))
        st.stop()
    version = reads.data_version(url)
    organisations = reads.organisations(url, version)
    metrics = reads.metrics(url, version)
    with st.sidebar:
        language = st.segmented_control(
            t("app.language"), options=list(LANGUAGES), key="language", default=DEFAULT_LANGUAGE, required=True,
            format_func=lambda code: {"sv": "Svenska", "en": "English"}[code],
        ) or DEFAULT_LANGUAGE
        organisation = _choose_organisation(organisations)
        quarter = _choose_quarter(language)
        if any(o.is_demo for o in organisations):
            st.info(t("demo.banner"), icon=":material/science:")
    context = PageContext(
        url=url, version=version, language=language,
        actor=st.session_state.get(ACTOR_KEY, LOCAL_OPERATOR), organisation=organisation, quarter=quarter,
        metrics=metrics, organisations=organisations,
    )
    st.session_state[_CONTEXT] = context
    return context


def page_context() -> PageContext:
    """The context the frame set up for this run; every page starts with this call."""
    context: PageContext = st.session_state[_CONTEXT]
    return context


def _choose_organisation(organisations: list[OrganisationInfo]) -> OrganisationInfo | None:
    if not organisations:
        st.warning(t("app.no_organisations"))
        return None
    by_id = {o.id: o for o in organisations}
    if st.session_state.get("context_organisation") not in by_id:
        st.session_state["context_organisation"] = organisations[0].id
    chosen = st.selectbox(
        t("app.organisation"), options=list(by_id), key="context_organisation",
        format_func=lambda i: by_id[i].name,
    )
    return by_id[chosen]


def _choose_quarter(language: str) -> Quarter:
    last = Quarter.last_completed()
    options = [str(last - offset) for offset in range(QUARTERS_OFFERED)]
    if st.session_state.get("context_quarter") not in options:
        st.session_state["context_quarter"] = options[0]
    chosen = st.selectbox(
        t("app.quarter"), options=options, key="context_quarter",
        format_func=lambda text: Quarter.parse(text).label(language),
    )
    return Quarter.parse(chosen)
