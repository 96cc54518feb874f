"""Cached reads for the pages, keyed by the data version read from the database.

Every write bumps the version in the same transaction, so the next run of any page in any
session (or replica) sees a new key and reads fresh data. Caches are bounded (max_entries, ttl).
Results are plain data (DataFrames, frozen dataclasses) because ``st.cache_data`` pickles them.
A read whose result depends on who is looking takes :func:`visibility_key` as part of its key
(never the whole session, never nothing), so a cached view is only ever served to a person with
exactly the same permissions.

Design (bench/README "Performance and scaling"): the key is ``(url, version, what was asked)``;
an old version's entries are never read again and age out through ``max_entries`` and ``ttl``, so
memory stays bounded however often figures are saved. Heavy grouping (latest figure per
organisation, per-quarter peer aggregates) happens in SQL (data/aggregates.py), so a cache entry
holds the few numbers a page shows, not the national table.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.actors import Actor, viewer
from data.aggregates import latest_figures as latest_figures_query
from data.catalogue_store import list_metrics
from data.db import reading
from data.events import EventInfo, list_events
from data.figures import figures_frame, revisions_frame
from data.organisations import OrganisationInfo, list_organisations
from data.versioning import read_data_version
from metrics.catalogue import MetricDefinition
from metrics.disclosure import shown_names
from metrics.periods import Quarter

_TTL = 3600


def data_version(url: str) -> int:
    """Read on every run (one indexed row): the key that invalidates every cached read."""
    with reading(url) as session:
        return read_data_version(session)


@st.cache_data(max_entries=16, ttl=_TTL, show_spinner=False)
def metrics(url: str, version: int, include_inactive: bool = False) -> list[MetricDefinition]:
    with reading(url) as session:
        return list_metrics(session=session, include_inactive=include_inactive)


@st.cache_data(max_entries=16, ttl=_TTL, show_spinner=False)
def organisations(url: str, version: int, include_inactive: bool = False) -> list[OrganisationInfo]:
    with reading(url) as session:
        return list_organisations(session=session, include_inactive=include_inactive)


@st.cache_data(max_entries=64, ttl=_TTL, show_spinner=False)
def organisation_figures(url: str, version: int, organisation_id: int) -> pd.DataFrame:
    """All current figures of one organisation (at most metrics × quarters rows)."""
    with reading(url) as session:
        return figures_frame(session=session, organisation_ids=[organisation_id])


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def metric_figures(url: str, version: int, metric_id: int, first_index: int, last_index: int) -> pd.DataFrame:
    """One metric across all organisations over a span of quarters (the compare views)."""
    with reading(url) as session:
        return figures_frame(
            session=session, metric_ids=[metric_id],
            first=Quarter.from_index(first_index), last=Quarter.from_index(last_index),
        )


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def events(url: str, version: int, organisation_ids: tuple[int, ...]) -> list[EventInfo]:
    """The events of these organisations (the caller asks only for those the viewer may see)."""
    with reading(url) as session:
        return list_events(session=session, organisation_ids=set(organisation_ids))


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def organisation_revisions(url: str, version: int, organisation_id: int) -> pd.DataFrame:
    with reading(url) as session:
        return revisions_frame(session=session, organisation_id=organisation_id)


def visibility_key(actor: Actor) -> tuple[str, tuple[int, ...]]:
    """What decides what a person may see: part of the key of every cached read that depends on it,
    so one person's permitted view is never served to another who lacks the permission."""
    return actor.role, tuple(sorted(actor.organisation_ids))


def comparison_names(url: str, version: int, actor: Actor) -> dict[int, str | None]:
    """Organisation names as this person may see them in comparisons (None: anonymous)."""
    return _comparison_names(url, version, visibility_key(actor))


@st.cache_data(max_entries=64, ttl=_TTL, show_spinner=False)
def _comparison_names(url: str, version: int, visibility: tuple[str, tuple[int, ...]]) -> dict[int, str | None]:
    role, organisation_ids = visibility
    who = viewer(Actor(username="", role=role, organisation_ids=frozenset(organisation_ids)))
    with reading(url) as session:
        return shown_names(who, list_organisations(session=session))


@st.cache_data(max_entries=64, ttl=_TTL, show_spinner=False)
def latest_figures(url: str, version: int, metric_id: int, last_index: int, first_index: int | None = None) -> pd.DataFrame:
    """Each organisation's most recent figure of a metric up to a quarter (grouped in SQL)."""
    with reading(url) as session:
        return latest_figures_query(
            session=session, metric_id=metric_id, last=Quarter.from_index(last_index),
            first=None if first_index is None else Quarter.from_index(first_index),
        )

