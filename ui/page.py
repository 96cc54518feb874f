"""The frame every page shares: database ready, language, sidebar context, and the page context.

``dashboard.py`` calls :func:`frame` once per run before the chosen page. The frame first runs the
sign-in gate (:mod:`ui.signin`): the acting person is reloaded from the database on every run, and
nobody reaches a page without signing in (a page refresh asks to sign in again; see ui/signin.py).
Every page then starts
with :func:`page_context`, which hands it who is acting, the organisation and quarter chosen in the
sidebar, the language and the catalogue, so no page repeats that set-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from data.actors import Actor, viewer
from data.bootstrap import prepare_database
from data.migrate import UnknownSchemaError
from data.organisations import OrganisationInfo
from data.settings import get_settings
from metrics.catalogue import MetricDefinition
from metrics.disclosure import Rule, Viewer, openable
from metrics.periods import Quarter
from presentation.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from ui import reads
from ui.accessibility import declare_page_language
from ui.signin import TOKEN_KEY, refuse_weak_secrets, sign_out_control, signed_in_actor
from ui.streamlit_words import declare_streamlit_words

QUARTERS_OFFERED = 40
_CONTEXT = "_page_context"
# The sign-in token the stored context was made for: a context outlives neither its sign-in nor a sign-out.
_CONTEXT_TOKEN = "_page_context_token"


@dataclass(frozen=True)
class PageContext:
    url: str
    version: int
    language: str
    actor: Actor
    organisation: OrganisationInfo | None
    quarter: Quarter
    metrics: list[MetricDefinition]
    organisations: list[OrganisationInfo]  # every active one: for aggregates and anonymous labels only
    rule: Rule = field(default_factory=Rule)

    @property
    def viewer(self) -> Viewer:
        return viewer(self.actor)

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
    refuse_weak_secrets()
    url = get_settings().database_url
    try:
        _prepared(url)
    except UnknownSchemaError:
        st.error(t("app.unknown_schema"))
        st.stop()
    with st.sidebar:
        language = st.segmented_control(
            t("app.language"), options=list(LANGUAGES), key="language", default=DEFAULT_LANGUAGE, required=True,
            format_func=lambda code: {"sv": "Svenska", "en": "English"}[code],
        ) or DEFAULT_LANGUAGE
    # Before the gate, so the sign-in screen too declares its language and speaks it (Streamlit's words).
    declare_page_language(language)
    declare_streamlit_words(language)
    # The gate: nothing below runs (no figures read, no page drawn) unless someone is signed in.
    actor = signed_in_actor(url)
    version = reads.data_version(url)
    organisations = reads.organisations(url, version)
    metrics = reads.metrics(url, version)
    with st.sidebar:
        # The sidebar offers only what the viewer may open by name (metrics.disclosure.may_open).
        organisation = _choose_organisation(openable(viewer(actor), organisations))
        quarter = _choose_quarter(language)
        if any(o.is_demo for o in organisations):
            st.info(t("demo.banner"), icon=":material/science:")
        sign_out_control(url, actor)
    context = PageContext(
        url=url, version=version, language=language,
        actor=actor, organisation=organisation, quarter=quarter,
        metrics=metrics, organisations=organisations, rule=reads.disclosure_rule(url, version),
    )
    st.session_state[_CONTEXT] = context
    st.session_state[_CONTEXT_TOKEN] = st.session_state.get(TOKEN_KEY)
    return context


def page_context() -> PageContext:
    """The context the frame set up for this run; every page starts with this call.

    Refuses (stops the page) unless the context belongs to the sign-in this session holds now, so
    a page script that ever ran without the frame (Streamlit's legacy multipage mode ran a
    ``pages/`` folder directly; our pages live in ``app_pages/`` for that reason) could not act on
    a context left from before a sign-out.
    """
    context: PageContext | None = st.session_state.get(_CONTEXT)
    token = st.session_state.get(TOKEN_KEY)
    if context is None or not token or st.session_state.get(_CONTEXT_TOKEN) != token:
        st.session_state.pop(_CONTEXT, None)
        st.info(t("signin.ended"))
        st.stop()
        raise AssertionError("st.stop() returned")  # pragma: no cover
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
