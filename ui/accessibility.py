"""Text alternatives for charts: the same figures as a table, for screen readers and keyboards.

A plotly chart is an image to a screen reader (its alt text says what it shows, not the numbers);
WCAG 1.1.1 wants the figures themselves available as text. Pages put :func:`chart_table` right
under a chart, folded away so it costs sighted readers nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from metrics.catalogue import MetricDefinition
from metrics.periods import Quarter
from presentation.formatting import format_value
from ui.page import PageContext


def series_table(
    metric: MetricDefinition, quarters: Sequence[Quarter], values: Sequence[float | None], context: PageContext
) -> pd.DataFrame:
    """One row per quarter with the figure as shown on cards (``87,5 %``; a gap is ``–``, never 0)."""
    return pd.DataFrame({
        context.t("app.quarter"): [q.label(context.language) for q in quarters],
        metric.name(context.language): [format_value(v, metric.unit_kind, metric.decimals, context.language)
                                        for v in values],
    })


def chart_table(table: pd.DataFrame, *, key: str, context: PageContext) -> None:
    """The chart's figures as a table in a closed expander titled so a screen reader finds it."""
    with st.expander(context.t("a11y.chart_as_table"), key=f"{key}_table_alternative"):
        st.dataframe(table, hide_index=True, key=f"{key}_table")


# The script's text; web/security.py allows exactly these (one per language) by hash in its CSP.
LANGUAGE_SCRIPT = "document.documentElement.lang = '{code}';"


def declare_page_language(language: str) -> None:
    """Set ``<html lang>`` to the language the page is written in (WCAG 3.1.1), so screen readers
    read Swedish with a Swedish voice. Streamlit serves ``lang="en"`` whatever the app says and has
    no option for it; a one-line script in the sidebar (where an empty element costs no layout) fixes it."""
    code = language if language in ("sv", "en") else "sv"
    with st.sidebar:
        st.html(f"<script>{LANGUAGE_SCRIPT.format(code=code)}</script>", unsafe_allow_javascript=True)
