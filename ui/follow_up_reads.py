"""Cached reads for the follow-up pages (Översikt, metric detail, Mål, Jämför).

Same rule as ``ui/reads.py``: keyed by the data version read from the database, bounded, plain data.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.db import reading
from data.figures import figures_frame
from data.targets import target_history, targets_frame
from metrics.periods import Quarter

_TTL = 3600


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def targets(url: str, version: int, organisation_id: int | None = None) -> pd.DataFrame:  # noqa: ARG001 - the cache key: a new data version is a new read
    """One organisation's targets, or every organisation's (None) for the compare heatmap."""
    with reading(url) as session:
        return targets_frame(session=session, organisation_ids=None if organisation_id is None else [organisation_id])


@st.cache_data(max_entries=16, ttl=_TTL, show_spinner=False)
def targets_history(url: str, version: int, organisation_id: int) -> pd.DataFrame:  # noqa: ARG001 - the cache key: a new data version is a new read
    with reading(url) as session:
        return target_history(session=session, organisation_id=organisation_id)


@st.cache_data(max_entries=8, ttl=_TTL, show_spinner=False)
def all_figures(url: str, version: int, first_index: int, last_index: int) -> pd.DataFrame:  # noqa: ARG001 - the cache key: a new data version is a new read
    """Every organisation's figures of every metric over a span of quarters (heatmap, scatter, trends)."""
    with reading(url) as session:
        return figures_frame(session=session, first=Quarter.from_index(first_index), last=Quarter.from_index(last_index))
