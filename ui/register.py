"""Administration's Sweden section: load the register, set SKR's groups, fetch population from
Kolada; and the words Jämför and Administration use for counties, SKR groups and population sources.

The actions call the data layer, which checks that the person is an administrator; the page only
shows them to administrators as a convenience.
"""

from __future__ import annotations

from collections import Counter

import streamlit as st

from data.actors import PermissionDenied
from data.db import writing
from data.kolada import KoladaClient, refresh_population
from data.organisations import OrganisationInfo
from data.register import REGISTER_KINDS, counties, load_register, set_peer_groups
from data.settings import get_settings
from metrics import clock
from metrics.errors import EffektError
from metrics.skr_groups import MAIN_GROUPS, main_group, peer_group_label
from ui.importing import problems_table
from ui.page import PageContext

# Jämför's "compare within": everyone, the peer group (SKR's group or a typed one), SKR's main group, the county.
WITHIN = ("all", "main_group", "county")


def county_name(code: str | None) -> str:
    return counties().get(code, code) if code else "–"


def within_key(organisation: OrganisationInfo, kind: str) -> str | None:
    """What "compare within" matches an organisation on: its SKR main group's letter or its county."""
    return main_group(organisation.peer_group) if kind == "main_group" else organisation.county_code


def population_source(organisation: OrganisationInfo, context: PageContext) -> str:
    """``Källa: Kolada 2024`` for a fetched population, "entered by hand" for a typed one, – for none."""
    if organisation.population is None:
        return "–"
    if organisation.population_source:
        return context.t("sweden.source_kolada", year=str(organisation.population_year or ""))
    return context.t("sweden.source_manual")


def population_caption(scope: list[OrganisationInfo], context: PageContext) -> str:
    """Where the inhabitants behind "per 10 000 inhabitants" come from, counted over the organisations compared."""
    sources = Counter(population_source(o, context) for o in scope if o.population is not None)
    parts = [context.t("sweden.population_count", source=s, count=n) for s, n in sorted(sources.items())]
    return context.t("sweden.population_caption", sources=", ".join(parts) or "–")


def group_label(group: str, context: PageContext) -> str:
    return peer_group_label(group, context.language) or group


def within_options(context: PageContext, kind: str) -> list[str]:
    """The choices for "compare within" of one kind: SKR's main groups or the counties present."""
    if kind == "main_group":
        present = {main_group(o.peer_group) for o in context.organisations}
        return [letter for letter in MAIN_GROUPS if letter in present]
    return sorted({o.county_code for o in context.organisations if o.county_code})


def within_label(kind: str, value: str, context: PageContext) -> str:
    if kind == "main_group":
        return f"{value} {MAIN_GROUPS[value].name(context.language)}"
    return county_name(value)


def register_section(context: PageContext) -> None:
    """The three actions, each in its own unit of work."""
    st.subheader(context.t("sweden.title"))
    st.caption(context.t("sweden.explained"))
    kind = st.selectbox(context.t("sweden.load_kind"), [None, *REGISTER_KINDS], key="admin_register_kind",
                        format_func=lambda k: context.t("sweden.load_all") if k is None else context.t(f"kind.{k}"))
    if st.button(context.t("sweden.load"), key="admin_register_load"):
        _load(context, kind)
    upload = st.file_uploader(context.t("sweden.peer_upload"), type=["xlsx", "csv"], key="admin_register_peer_file",
                              help=context.t("sweden.peer_upload_help"))
    if st.button(context.t("sweden.peer_set"), key="admin_register_peer_set", disabled=upload is None) and upload:
        _peer_groups(context, upload.getvalue(), upload.name)
    year = st.number_input(context.t("sweden.population_year"), min_value=1990, max_value=clock.today().year,
                           value=clock.today().year - 1, step=1, key="admin_register_year")
    if st.button(context.t("sweden.population_fetch"), key="admin_register_population"):
        _population(context, int(year))


def _load(context: PageContext, kind: str | None) -> None:
    try:
        with writing(context.url) as session:
            result = load_register(session=session, actor=context.actor, kinds=(kind,) if kind else REGISTER_KINDS)
    except PermissionDenied as error:
        st.error(context.t(error.key, **error.params))
        return
    st.success(context.t("sweden.register_loaded", added=result.added, changed=result.changed,
                         unchanged=result.unchanged))


def _peer_groups(context: PageContext, content: bytes, name: str) -> None:
    try:
        with writing(context.url) as session:
            result = set_peer_groups(session=session, actor=context.actor, content=content, file_name=name)
    except PermissionDenied as error:
        st.error(context.t(error.key, **error.params))
        return
    if not result.ok:
        st.error(context.t("import.has_problems", count=len(result.problems)))
        st.dataframe(problems_table(result.problems, context), hide_index=True, key="admin_register_problems")
        return
    st.success(context.t("sweden.peer_groups_set", rows=result.rows, changed=result.changed))


def _population(context: PageContext, year: int) -> None:
    try:
        result = refresh_population(context.url, actor=context.actor, year=year,
                                    client=KoladaClient(get_settings().kolada_url))
    except EffektError as error:
        st.error(context.t(error.key, **error.params))
        return
    st.success(context.t("sweden.population_set", year=str(year), changed=result.changed, unchanged=result.unchanged))
    if result.missing:
        st.warning(context.t("sweden.population_missing", year=str(year), codes=", ".join(result.missing)))


def compare_within(context: PageContext) -> tuple[str, str] | None:
    """Jämför's "compare within" widgets: SKR's main group or a county, shown once either exists."""
    kinds = [k for k in WITHIN if k == "all" or within_options(context, k)]
    if len(kinds) == 1:
        return None
    left, right = st.columns(2)
    kind = left.selectbox(context.t("sweden.compare_within"), kinds, key="compare_within",
                          format_func=lambda k: context.t(f"sweden.within_{k}"))
    if kind == "all":
        return None
    options = within_options(context, kind)
    value = right.selectbox(context.t(f"sweden.within_{kind}"), options, key=f"compare_within_{kind}",
                            format_func=lambda v: within_label(kind, v, context))
    return (kind, value) if value else None
