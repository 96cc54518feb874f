"""Chart builders: pure functions from data to plotly figures, and the one renderer pages use.

Builders take plain values and return ``go.Figure`` so tests can check a chart's data directly.
Every chart gets the same look and locale here: Swedish decimal comma and thin-space thousands
on axes and hovers, one colour per organisation across all charts, SVG traces (WebGL is slow to
draw headless and in board packs; docs/RECIPES.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy
import plotly.graph_objects as go

from metrics.catalogue import MetricDefinition
from presentation.palette import ORGANISATION_COLOURS, STATUS_COLOURS, base_layout
from ui.safe_text import literal_figure, plotly_literal

CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"], "responsive": True}


def as_array(values: Sequence[object]) -> numpy.ndarray:
    """Values (or rows of values) for a national trace as an object array: plotly checks a list
    element by element (0.9 s for 650 lines × 41 points, 0.2–0.6 s for a 651 × 18 heatmap on this
    machine) but copies an array as it is (0.07 s, 0.02 s); the JSON sent is the same, ``None``
    still a gap."""
    return numpy.array([list(v) if isinstance(v, Sequence) and not isinstance(v, str) else v for v in values], dtype=object)


# Above this many lines a chart draws the rest as one grey trace with gaps (0.12 s for 650
# organisations against 1.8 s for px.line; docs/RECIPES.md) and colours only the highlighted.
MANY_SERIES = 40
ANONYMOUS_COLOUR = "#9aa5b1"


@dataclass(frozen=True)
class Series:
    """One line on a chart: a label already safe to show (a name or an anonymous label), a colour."""

    label: str
    x: Sequence[str]
    y: Sequence[float | None]
    colour: str
    highlight: bool = False


def individual_lines(series: Sequence[Series]) -> list[Series]:
    """The lines a trend chart draws one by one (and its table lists): all of them, or above
    :data:`MANY_SERIES` only the highlighted ones, the rest being one grey crowd."""
    return list(series) if len(series) <= MANY_SERIES else [line for line in series if line.highlight]


def trend_figure(
    *,
    metric: MetricDefinition | None = None,
    series: Sequence[Series],
    language: str,
    y_title: str | None = None,
    decimals: int | None = None,
    many_label: str = "",
) -> go.Figure:
    """Lines over quarters or years, one per organisation (or metric), built in one batch.

    With more than :data:`MANY_SERIES` lines, the ones not highlighted become a single grey trace
    with ``None`` gaps, so a national chart of 650 organisations stays fast and readable.
    """
    places = decimals if decimals is not None else (metric.decimals if metric else 1)
    hover = f"%{{y:.{places}f}}"
    lines = list(series)
    traces: list[go.Scatter] = []
    drawn = {id(line) for line in individual_lines(lines)}
    crowd = [line for line in lines if id(line) not in drawn]
    if crowd:
        x: list[str | None] = []
        y: list[float | None] = []
        for line in crowd:
            x += [*line.x, None]
            y += [*line.y, None]
        traces.append(go.Scatter(x=as_array(x), y=as_array(y), name=many_label,
                                 mode="lines", connectgaps=False,
                                 line={"color": ANONYMOUS_COLOUR, "width": 1}, opacity=0.5, hoverinfo="skip"))
    for line in lines:
        if id(line) not in drawn:
            continue
        traces.append(go.Scatter(
            x=list(line.x), y=list(line.y), name=line.label, mode="lines+markers",
            line={"color": line.colour, "width": 3 if line.highlight else 2},
            hovertemplate=f"{hover}<extra>{_escape(line.label)}</extra>",
        ))
    title = y_title if y_title is not None else (metric.unit(language) if metric else "")
    return base_layout(go.Figure(data=traces), language, y_title=title)


# Above this many organisations the ranking is drawn as a compact distribution: one vertical bar
# per organisation, best first, in a chart of fixed height. One horizontal bar per organisation
# made a national chart (651) about 18 000 px tall and 4–5 s to draw in headless Chromium; the
# ranked table under the chart keeps every name and value.
COMPACT_RANKING = 60
COMPACT_HEIGHT = 420
OWN_COLOUR = ORGANISATION_COLOURS[0]


def ranking_figure(
    *, metric: MetricDefinition, names: Sequence[str], values: Sequence[float],
    highlight: Sequence[bool], language: str, median: float | None = None, median_label: str = "",
    band: tuple[float, float] | None = None, band_label: str = "", x_title: str | None = None,
    rank_title: str = "", compact_above: int | None = None, ranks: Sequence[int] | None = None,
) -> go.Figure:
    """One metric across organisations, best first (by the metric's direction), with the
    peer-group median as a dashed line and the interquartile range as a band when disclosed.

    Up to ``compact_above`` (default :data:`COMPACT_RANKING`) organisations: one labelled horizontal bar each. Above it: the same
    ranking as a distribution (rank along the x axis, ``rank_title``), with the highlighted
    organisations pointed out by name, so a national chart stays one screen high. ``ranks`` (ties
    share one) are shown on hover; by default the position.
    """
    colours = [OWN_COLOUR if h else ANONYMOUS_COLOUR for h in highlight]
    value_title = x_title if x_title is not None else metric.unit(language)
    if len(names) > (COMPACT_RANKING if compact_above is None else compact_above):
        return _compact_ranking(metric=metric, names=names, values=values, highlight=highlight, colours=colours,
                                language=language, median=median, median_label=median_label, band=band,
                                band_label=band_label, value_title=value_title, rank_title=rank_title,
                                ranks=list(ranks) if ranks is not None else list(range(1, len(names) + 1)))
    figure = go.Figure(go.Bar(
        x=list(values), y=list(names), orientation="h", marker={"color": colours},
        hovertemplate=f"%{{y}}: %{{x:.{metric.decimals}f}}<extra></extra>",
    ))
    if band is not None:
        figure.add_vrect(x0=band[0], x1=band[1], fillcolor="#56B4E9", opacity=0.2, line_width=0, layer="below",
                         annotation_text=band_label, annotation_position="bottom left")
    if median is not None:
        figure.add_vline(x=median, line={"dash": "dash", "color": "#333"},
                         annotation_text=median_label, annotation_position="top")
    base_layout(figure, language, height=max(300, 28 * len(names) + 80))
    figure.update_layout(hovermode="closest", xaxis_title=value_title, yaxis_title="")
    figure.update_xaxes(type="linear", showgrid=True, gridcolor="#e5e5e5")
    figure.update_yaxes(type="category", autorange="reversed")
    return figure


def _compact_ranking(
    *, metric: MetricDefinition, names: Sequence[str], values: Sequence[float], highlight: Sequence[bool],
    colours: list[str], language: str, median: float | None, median_label: str, band: tuple[float, float] | None,
    band_label: str, value_title: str, rank_title: str, ranks: list[int],
) -> go.Figure:
    """The ranking as one bar trace of sorted values: rank 1 … n along x, the value up; the name
    of each bar only on hover (the table below lists them all)."""
    positions = list(range(1, len(names) + 1))
    figure = go.Figure(go.Bar(
        x=positions, y=list(values), marker={"color": as_array(colours), "line": {"width": 0}},
        customdata=as_array([[rank, name] for rank, name in zip(ranks, names, strict=True)]),
        hovertemplate=f"%{{customdata[0]}}. %{{customdata[1]}}: %{{y:.{metric.decimals}f}}<extra></extra>",
    ))
    if band is not None:
        figure.add_hrect(y0=band[0], y1=band[1], fillcolor="#56B4E9", opacity=0.2, line_width=0, layer="below",
                         annotation_text=band_label, annotation_position="bottom right")
    if median is not None:
        figure.add_hline(y=median, line={"dash": "dash", "color": "#333"},
                         annotation_text=median_label, annotation_position="top right")
    for position, name, value, own in zip(positions, names, values, highlight, strict=True):
        if own:
            figure.add_annotation(x=position, y=value, text=f"<b>{_escape(name)}</b>", showarrow=True, arrowhead=2,
                                  arrowcolor=OWN_COLOUR, ax=0, ay=-40, font={"color": OWN_COLOUR},
                                  bgcolor="rgba(255,255,255,0.85)")
    base_layout(figure, language, y_title=value_title, height=COMPACT_HEIGHT)
    figure.update_layout(hovermode="closest", bargap=0, xaxis_title=rank_title)
    figure.update_xaxes(type="linear", range=[0.5, len(names) + 0.5], showgrid=False)
    return figure


@dataclass(frozen=True)
class DetailPoint:
    """One figure on the detail chart: hollow when estimated or preliminary, comment on hover."""

    x: str
    value: float
    uncertain: bool
    hover: str


@dataclass(frozen=True)
class EventMark:
    """An event on a chart's time axis: its quarter's label, its title and kind in words (plain
    text: escaped here), and whether it is a method change (drawn as a break)."""

    x: str
    text: str
    is_break: bool = False


EVENT_COLOUR = "#CC79A7"


def add_event_marks(figure: go.Figure, marks: Sequence[EventMark], *, at: dict[str, float], name: str,
                    break_label: str = "") -> go.Figure:
    """Event markers (a diamond with the title on hover) at each event's quarter, on the line
    where it has a value (else at the bottom), and a dashed vertical line at every method change."""
    if not marks:
        return figure
    low = min(at.values()) if at else 0.0
    figure.add_trace(go.Scatter(
        x=[m.x for m in marks], y=[at.get(m.x, low) for m in marks], mode="markers", name=name,
        marker={"symbol": "diamond", "size": 13, "color": EVENT_COLOUR, "line": {"width": 1, "color": "#000"}},
        text=[m.text for m in marks], hovertemplate="%{text}<extra></extra>",  # escaped by show_figure
    ))
    for mark in marks:
        if mark.is_break:
            figure.add_shape(type="line", xref="x", yref="paper", x0=mark.x, x1=mark.x, y0=0, y1=1,
                             line={"color": "#000000", "dash": "dash", "width": 1.5}, name="break")
            if break_label:
                figure.add_annotation(x=mark.x, yref="paper", y=1.02, text=_escape(break_label),
                                      showarrow=False, font={"size": 11})
    return figure


@dataclass(frozen=True)
class PeerBand:
    """The peer group's median and quartiles per period (only periods where they are disclosed)."""

    x: Sequence[str]
    median: Sequence[float]
    q1: Sequence[float]
    q3: Sequence[float]
    median_label: str
    band_label: str


def detail_figure(
    *,
    metric: MetricDefinition,
    x: Sequence[str],
    points: Sequence[DetailPoint],
    label: str,
    colour: str,
    language: str,
    trajectories: Sequence[tuple[str, Sequence[str], Sequence[float]]] = (),
    baseline: tuple[str, float] | None = None,
    peers: PeerBand | None = None,
    y_title: str | None = None,
    events: Sequence[EventMark] = (),
    events_label: str = "",
    break_label: str = "",
) -> go.Figure:
    """An organisation's figures of one metric with its target trajectories (straight lines from
    baseline to target), the baseline, the peer median with its interquartile band, and the
    events on the timeline (method changes as a break)."""
    traces = _peer_traces(peers, metric.decimals) if peers is not None and len(peers.x) else []
    for position, (name, line_x, line_y) in enumerate(trajectories):
        traces.append(go.Scatter(x=list(line_x), y=list(line_y), mode="lines", name=name,
                                 line={"color": "#000000", "dash": ("dash", "dashdot")[position % 2], "width": 1.5},
                                 hovertemplate=f"%{{y:.{metric.decimals}f}}<extra>{_escape(name)}</extra>"))
    traces.append(_figures_trace(x, points, label, colour))
    figure = go.Figure(data=traces)
    add_event_marks(figure, [e for e in events if e.x in set(x)], at={p.x: p.value for p in points},
                    name=events_label, break_label=break_label)
    if baseline is not None:
        figure.add_hline(y=baseline[1], line={"color": "#999999", "dash": "dot", "width": 1},
                         annotation_text=baseline[0], annotation_position="bottom right")
    # Keep every period on the axis in time order, even ones only the peers or the trajectory have.
    figure.update_xaxes(categoryorder="array", categoryarray=list(x))
    return base_layout(figure, language, y_title=y_title if y_title is not None else metric.unit(language))


def _peer_traces(peers: PeerBand, decimals: int) -> list[go.Scatter]:
    """The peers' interquartile band (an invisible upper edge, the filled lower one) and their median."""
    return [
        go.Scatter(x=list(peers.x), y=list(peers.q3), mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"),
        go.Scatter(x=list(peers.x), y=list(peers.q1), mode="lines", line={"width": 0},
                   fill="tonexty", fillcolor="rgba(153,153,153,0.22)", name=peers.band_label, hoverinfo="skip"),
        go.Scatter(x=list(peers.x), y=list(peers.median), mode="lines", name=peers.median_label,
                   line={"color": "#666666", "dash": "dot", "width": 2},
                   hovertemplate=f"%{{y:.{decimals}f}}<extra>{_escape(peers.median_label)}</extra>"),
    ]


def _figures_trace(x: Sequence[str], points: Sequence[DetailPoint], label: str, colour: str) -> go.Scatter:
    """The organisation's own figures: gaps where none, hollow markers for uncertain ones, comments on hover."""
    by_x = {p.x: p for p in points}
    return go.Scatter(
        x=list(x), y=[by_x[q].value if q in by_x else None for q in x], name=label, mode="lines+markers",
        line={"color": colour, "width": 2.5}, connectgaps=False,
        marker={"size": 9, "color": colour,
                "symbol": ["circle-open" if q in by_x and by_x[q].uncertain else "circle" for q in x],
                "line": {"width": 2, "color": colour}},
        text=[by_x[q].hover if q in by_x else "" for q in x],
        hovertemplate="%{text}<extra></extra>",
    )


# Above this many rows a heatmap drops the symbol in each cell and the row names (the table under
# it has both in words, the hover the verdict) and keeps to COMPACT_HEATMAP_HEIGHT: 651 × 18 cells
# with symbols made a chart about 17 000 px tall.
COMPACT_HEATMAP = 60
COMPACT_HEATMAP_HEIGHT = 900


def heatmap_figure(
    *, rows: Sequence[str], columns: Sequence[str], z: Sequence[Sequence[float | None]],
    text: Sequence[Sequence[str]], colourscale: Sequence[tuple[float, str]], zmin: float, zmax: float,
    language: str, hover: str = "%{y} · %{x}: %{text}<extra></extra>", compact_above: int | None = None,
) -> go.Figure:
    """Organisations × metrics; every cell also carries its verdict as text (never colour alone).

    Above ``compact_above`` (default :data:`COMPACT_HEATMAP`) rows the verdict is in the hover and the table only, the rows touch,
    and the height is capped, so a national heatmap is one overview rather than a long scroll.
    """
    compact = len(rows) > (COMPACT_HEATMAP if compact_above is None else compact_above)
    # Compact cells show no text: send it only when the hover reads it (half the payload at 651 × 18).
    cell_text = as_array(text) if not compact or "%{text}" in hover else None
    figure = go.Figure(go.Heatmap(
        z=as_array(z), x=list(columns), y=as_array(rows), text=cell_text,
        texttemplate=None if compact else "%{text}", colorscale=[list(c) for c in colourscale], zmin=zmin, zmax=zmax,
        showscale=False, hovertemplate=hover, xgap=2, ygap=0 if compact else 2,
    ))
    height = min(COMPACT_HEATMAP_HEIGHT, 2 * len(rows) + 160) if compact else max(320, 26 * len(rows) + 160)
    base_layout(figure, language, height=height)
    figure.update_layout(hovermode="closest", plot_bgcolor="white")
    figure.update_xaxes(side="top", tickangle=-35)
    figure.update_yaxes(type="category", autorange="reversed", showticklabels=not compact)
    return figure


def scatter_figure(
    *, x: Sequence[float], y: Sequence[float], labels: Sequence[str], colours: Sequence[str],
    x_title: str, y_title: str, language: str, x_decimals: int = 0, y_decimals: int = 1,
    highlight: Sequence[bool] = (),
) -> go.Figure:
    """One dot per organisation: does one metric go with another across organisations? The
    viewer's own organisation is the larger dot with a thick outline."""
    own = list(highlight) or [False] * len(x)
    figure = go.Figure(go.Scatter(
        x=list(x), y=list(y), mode="markers", text=as_array(labels),
        marker={"size": [16 if h else 11 for h in own], "color": as_array(colours),
                "line": {"width": [3 if h else 1 for h in own], "color": "#000"}},
        hovertemplate=f"%{{text}}<br>%{{x:.{x_decimals}f}} · %{{y:.{y_decimals}f}}<extra></extra>",
    ))
    base_layout(figure, language, y_title=y_title)
    figure.update_layout(hovermode="closest", xaxis_title=x_title)
    figure.update_xaxes(type="linear", showgrid=True, gridcolor="#e5e5e5")
    return figure


def status_colourscale() -> list[tuple[float, str]]:
    """A discrete scale for target statuses coded 0 (no data) … 3 (on track), for heatmaps."""
    order = ["no_data", "off_track", "at_risk", "on_track"]
    scale: list[tuple[float, str]] = []
    for i, status in enumerate(order):
        scale += [(i / 4, STATUS_COLOURS[status]), ((i + 1) / 4, STATUS_COLOURS[status])]
    return scale


def _escape(text: str) -> str:
    """Hover templates and annotations are HTML-ish: a label in them is shown, not read as markup."""
    return plotly_literal(text)


def show_figure(figure: go.Figure, *, key: str, alt: str, theme: Literal["streamlit"] | None = "streamlit") -> None:
    """Every chart goes through here: same config, a stable key, and an alt text.

    ``theme=None`` keeps the figure's own fonts (the board's projector charts need large type).
    """
    import streamlit as st  # here, not at the top: reports/ and the CLI build charts without Streamlit

    st.plotly_chart(literal_figure(figure), key=key, config=CHART_CONFIG, alt=alt, theme=theme)
