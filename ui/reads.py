"""Cached reads for the pages, keyed by the data version read from the database.

Every write bumps the version in the same transaction, so the next run of any page in any
session (or replica) sees a new key and reads fresh data. Caches are bounded (max_entries, ttl).
Results are plain data (DataFrames, frozen dataclasses) because ``st.cache_data`` pickles them.
No read here depends on who is looking: the disclosure rule (``metrics.disclosure``) is applied to
the cached figures afterwards, so a cached entry never holds one person's permitted view.

Design (bench/README "Performance and scaling"): the key is ``(url, version, what was asked)``;
an old version's entries are never read again and age out through ``max_entries`` and ``ttl``, so
memory stays bounded however often figures are saved. Grouping (latest figure per organisation,
per-quarter peer statistics) happens in pandas in ``metrics/`` on the figures :func:`metric_figures`
returns, because the disclosure rule needs each organisation's value and status to decide what
may be shown.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from data.catalogue_store import list_metrics
from data.db import reading
from data.events import EventInfo, list_events
from data.figures import figures_frame, revisions_frame
from data.organisations import OrganisationInfo, list_organisations
from data.settings import get_settings
from data.signoff import signed_off_quarters
from data.versioning import read_data_version
from metrics.catalogue import MetricDefinition
from metrics.disclosure import Rule
from metrics.periods import Quarter

_TTL = 3600


def data_version(url: str) -> int:
    """Read on every run (one indexed row): the key that invalidates every cached read."""
    with reading(url) as session:
        return read_data_version(session)


@st.cache_data(max_entries=16, ttl=_TTL, show_spinner=False)
def metrics(url: str, version: int, include_inactive: bool = False) -> list[MetricDefinition]:  # noqa: ARG001 - the cache key: a new data version is a new read
    with reading(url) as session:
        return list_metrics(session=session, include_inactive=include_inactive)


@st.cache_data(max_entries=16, ttl=_TTL, show_spinner=False)
def organisations(url: str, version: int, include_inactive: bool = False) -> list[OrganisationInfo]:  # noqa: ARG001 - the cache key: a new data version is a new read
    with reading(url) as session:
        return list_organisations(session=session, include_inactive=include_inactive)


@st.cache_data(max_entries=64, ttl=_TTL, show_spinner=False)
def organisation_figures(url: str, version: int, organisation_id: int) -> pd.DataFrame:  # noqa: ARG001 - the cache key: a new data version is a new read
    """All current figures of one organisation (at most metrics × quarters rows)."""
    with reading(url) as session:
        return figures_frame(session=session, organisation_ids=[organisation_id])


def disclosure_rule(url: str, version: int) -> Rule:
    """The disclosure rule for this run: the settings (read now), and the signed-off cells (read
    once per data version) when peer statistics count only vouched figures."""
    settings = get_settings()
    if not settings.peer_signed_off_only:
        return settings.disclosure_rule
    return replace(settings.disclosure_rule, signed_off=_signed_off_cells(url, version))


@st.cache_data(max_entries=8, ttl=_TTL, show_spinner=False)
def _signed_off_cells(url: str, version: int) -> frozenset[tuple[int, int]]:  # noqa: ARG001 - version: the cache key
    with reading(url) as session:
        return signed_off_quarters(session=session)


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def metric_figures(url: str, version: int, metric_id: int, first_index: int, last_index: int) -> pd.DataFrame:  # noqa: ARG001 - the cache key: a new data version is a new read
    """One metric across all organisations over a span of quarters (the compare views)."""
    with reading(url) as session:
        return figures_frame(
            session=session, metric_ids=[metric_id],
            first=Quarter.from_index(first_index), last=Quarter.from_index(last_index),
        )


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def events(url: str, version: int, organisation_ids: tuple[int, ...]) -> list[EventInfo]:  # noqa: ARG001 - the cache key: a new data version is a new read
    """The events of these organisations (the caller asks only for those the viewer may see)."""
    with reading(url) as session:
        return list_events(session=session, organisation_ids=set(organisation_ids))


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def organisation_revisions(url: str, version: int, organisation_id: int) -> pd.DataFrame:  # noqa: ARG001 - the cache key: a new data version is a new read
    with reading(url) as session:
        return revisions_frame(session=session, organisation_id=organisation_id)
