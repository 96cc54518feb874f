"""The chart palette and the house style every chart shares, on the page and in the board pack.

One colour per organisation across all charts (Okabe–Ito, colour-blind safe), the status colours of
the glossary, and the base layout: locale separators (Swedish decimal comma and non-breaking-space
thousands), a quiet grid, the legend below. Plotly only, no Streamlit: ``ui.charts`` and
``reports.charts`` both draw with it.
"""

from __future__ import annotations

import plotly.graph_objects as go

# Okabe–Ito, colour-blind safe; status colours come from the glossary.
ORGANISATION_COLOURS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)
STATUS_COLOURS = {"on_track": "#009E73", "at_risk": "#E69F00", "off_track": "#D55E00", "no_data": "#999999"}
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
    figure.update_xaxes(showgrid=False, type="category", automargin=True)
    figure.update_yaxes(gridcolor="#e5e5e5", zeroline=False, automargin=True, title_standoff=12)
    return figure
