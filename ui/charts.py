"""Chart builders: pure functions from data to plotly figures, and the one renderer pages use.

Builders take plain values and return ``go.Figure`` so tests can check a chart's data directly.
Every chart gets the same look and locale here: Swedish decimal comma and thin-space thousands
on axes and hovers, one colour per organisation across all charts, SVG traces (WebGL is slow to
draw headless and in board packs; see ../shared/RECIPES.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import plotly.graph_objects as go

from metrics.catalogue import MetricDefinition
from metrics.periods import Quarter

# Okabe–Ito, colour-blind safe; status colours come from the glossary.
ORGANISATION_COLOURS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)
STATUS_COLOURS = {"on_track": "#009E73", "at_risk": "#E69F00", "off_track": "#D55E00", "no_data": "#999999"}
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"], "responsive": True}
_SEPARATORS = {"sv": ",\u00a0", "en": ".,"}


def organisation_colour(organisation_id: int) -> str:
    """The same colour for an organisation on every chart."""
    return ORGANISATION_COLOURS[organisation_id % len(ORGANISATION_COLOURS)]


def base_layout(figure: go.Figure, language: str, *, y_title: str = "", height: int = 360) -> go.Figure:
    """The house style: locale separators, quiet grid, legend below, room for the axis title."""
    figure.update_layout(
        separators=_SEPARATORS[language],
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        hovermode="x unified",
        yaxis_title=y_title,
        plot_bgcolor="white",
    )
    figure.update_xaxes(showgrid=False, type="category")
    figure.update_yaxes(gridcolor="#e5e5e5", zeroline=False)
    return figure


def trend_figure(
    *,
    metric: MetricDefinition,
    series: Sequence[tuple[int, str, Sequence[Quarter], Sequence[float | None]]],
    language: str,
) -> go.Figure:
    """Quarterly values of one metric, one line per organisation ``(id, name, quarters, values)``."""
    figure = go.Figure()
    for organisation_id, name, quarters, values in series:
        figure.add_trace(go.Scatter(
            x=[q.label(language) for q in quarters], y=list(values), name=name, mode="lines+markers",
            line={"color": organisation_colour(organisation_id), "width": 2},
            hovertemplate=f"%{{y:.{metric.decimals}f}}<extra>{name}</extra>",
        ))
    return base_layout(figure, language, y_title=metric.unit(language))


def ranking_figure(
    *, metric: MetricDefinition, names: Sequence[str], values: Sequence[float],
    highlight: Sequence[bool], language: str, median: float | None = None, median_label: str = "",
) -> go.Figure:
    """One metric across organisations, best first (by the metric's direction)."""
    colours = [ORGANISATION_COLOURS[0] if h else "#9aa5b1" for h in highlight]
    figure = go.Figure(go.Bar(
        x=list(values), y=list(names), orientation="h", marker={"color": colours},
        hovertemplate=f"%{{y}}: %{{x:.{metric.decimals}f}}<extra></extra>",
    ))
    if median is not None:
        figure.add_vline(x=median, line={"dash": "dash", "color": "#333"},
                         annotation_text=median_label, annotation_position="top")
    base_layout(figure, language, height=max(300, 28 * len(names) + 80))
    figure.update_layout(hovermode="closest", xaxis_title=metric.unit(language), yaxis_title="")
    figure.update_xaxes(type="linear", showgrid=True, gridcolor="#e5e5e5")
    figure.update_yaxes(type="category", autorange="reversed")
    return figure


def show_figure(figure: go.Figure, *, key: str, alt: str, theme: Literal["streamlit"] | None = "streamlit") -> None:
    """Every chart goes through here: same config, a stable key, and an alt text.

    ``theme=None`` keeps the figure's own fonts (the board's projector charts need large type).
    """
    import streamlit as st  # here, not at the top: reports/ and the CLI build charts without Streamlit

    st.plotly_chart(figure, key=key, config=CHART_CONFIG, alt=alt, theme=theme)
