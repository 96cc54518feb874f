"""A slide's chart on the page (plotly): the same lines, axis and marks as the PDF and the PPTX.

All three draw :func:`reports.chart_lines.chart_layout`. House style from :mod:`presentation.palette` (locale
separators, organisation colour). For a projector: large type, the unit on the axis, and lines told
apart by dash and marker as well as colour; estimated or preliminary figures hollow.
"""

from __future__ import annotations

import plotly.graph_objects as go

from presentation.palette import base_layout
from reports.chart_lines import ChartLayout, Line, chart_layout
from reports.model import ChartSpec

_DASHES = {"solid": "solid", "dash": "dash", "dot": "dot"}
FONT_SIZE = 18  # px: the smallest chart text on a 1920×1080 projector


def slide_figure(spec: ChartSpec, language: str, *, height: int = 420, width: int | None = None,
                 font_size: int = FONT_SIZE) -> go.Figure:
    """The chart of one slide as a plotly figure."""
    layout = chart_layout(spec, language)
    figure = go.Figure([_trace(layout, line, spec.decimals) for line in layout.lines])
    base_layout(figure, language, y_title=layout.y_title, height=height)
    figure.update_xaxes(tickangle=0, automargin=True, title_text=layout.x_title)
    figure.update_yaxes(automargin=True, title_standoff=12, range=_padded(layout), tickvals=layout.tick_values(),
                        ticktext=[layout.label(v) for v in layout.tick_values()])
    figure.update_layout(
        font={"size": font_size}, title={"text": layout.title, "font": {"size": font_size + 4}, "y": 0.98},
        margin={"l": 70, "r": 20, "t": 90, "b": 10}, width=width, showlegend=True,
        # The legend on top: on a projector the bottom of a chart is often below the screen's edge.
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
    )
    return figure


def _trace(layout: ChartLayout, line: Line, decimals: int) -> go.Scatter:
    return go.Scatter(
        x=list(layout.categories), y=list(line.values), name=line.name,
        mode="lines+markers" if line.connect else "markers",
        line={"color": line.colour, "width": 3, "dash": _DASHES[line.style]},
        marker={"size": 9 if line.connect else 14, "symbol": line.marker, "color": line.fill(),
                "line": {"width": 2.5, "color": line.colour}},
        connectgaps=False, hovertemplate=f"%{{y:,.{decimals}f}}<extra>{line.name}</extra>",
    )


def _padded(layout: ChartLayout) -> list[float]:
    """The axis range with a little room, so a marker on the top or bottom line is not cut in half."""
    room = (layout.high - layout.low) * 0.04
    return [layout.low - room, layout.high + room]
