"""Drawing a slide's chart: the same plotly figure on the page, in the PDF and in the PPTX.

House style from :mod:`ui.charts` (locale separators, organisation colour). For a projector: large
type, the unit on the axis, and lines told apart by dash and marker as well as colour.
"""

from __future__ import annotations

import plotly.graph_objects as go

from reports.model import ChartSpec
from ui.charts import base_layout

_DASHES = {"solid": "solid", "dash": "dash", "dot": "dot"}
_SYMBOLS = {"solid": "circle", "dash": "square", "dot": "diamond"}
FONT_SIZE = 18


def slide_figure(spec: ChartSpec, language: str, *, height: int = 420, width: int | None = None,
                 font_size: int = FONT_SIZE) -> go.Figure:
    """The chart of one slide as a plotly figure."""
    figure = go.Figure()
    for series in spec.series:
        single = len(series.x) == 1
        figure.add_trace(go.Scatter(
            x=list(series.x), y=list(series.y), name=series.name,
            mode="markers+text" if single else "lines+markers",
            text=[series.name] if single else None, textposition="middle left",
            line={"color": series.colour, "width": 3, "dash": _DASHES[series.style]},
            marker={"size": 14 if single else 9, "symbol": _SYMBOLS[series.style], "color": series.colour},
            connectgaps=False,
            hovertemplate=f"%{{y:,.{spec.decimals}f}}<extra>{series.name}</extra>",
        ))
    base_layout(figure, language, y_title=spec.y_title, height=height)
    figure.update_xaxes(tickangle=0, automargin=True)
    figure.update_yaxes(automargin=True, title_standoff=12)
    figure.update_layout(
        font={"size": font_size}, title={"text": spec.title, "font": {"size": font_size + 4}, "y": 0.98},
        margin={"l": 70, "r": 20, "t": 90, "b": 10}, width=width, showlegend=True,
        # The legend on top: on a projector the bottom of a chart is often below the screen's edge.
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
    )
    # Whole-number metrics get whole ticks; plotly would otherwise label 7.5 as "8" twice.
    if spec.decimals == 0:
        figure.update_yaxes(tickformat=",d", dtick=_whole_step(spec))
    return figure


def _whole_step(spec: ChartSpec) -> int:
    values = [v for series in spec.series for v in series.y if v is not None]
    spread = (max(values) - min(values)) if values else 0
    return max(1, int(spread // 6) + 1)
