"""A slide's chart as a vector drawing for the PDF (reportlab.graphics): lines, markers and real text.

The same lines, axis and marks as the PowerPoint chart (both draw :class:`reports.chart_lines.ChartLayout`).
Text is drawn as text in the shipped DejaVu Sans, so it stays sharp, searchable and copyable, and
user text (an organisation's name in the legend) is drawn literally, never read as markup.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.chart_lines import ChartLayout
from reports.chart_lines import Line as ChartLine
from reports.fonts import BOLD, FONT, register_fonts

TEXT, TITLE = 10.5, 13.0  # points on an A4 page: the chart's labels, and its title
_DASHES = {"solid": None, "dash": [7, 4], "dot": [1.5, 3.5]}
_GREY, _GRID = colors.HexColor("#444444"), colors.HexColor("#dddddd")
_SAMPLE = 26  # the legend's line sample


def chart_drawing(layout: ChartLayout, width: float, height: float) -> Drawing:
    """The whole chart: title, legend on top (a projector cuts the bottom), axes, grid, lines, markers."""
    register_fonts()
    drawing = Drawing(width, height)
    drawing.add(String(0, height - TITLE, layout.title, fontName=BOLD, fontSize=TITLE, fillColor=colors.black))
    top = _legend(drawing, layout, width, height - TITLE - 8)
    ticks = layout.tick_values()
    left = max(stringWidth(layout.label(v), FONT, TEXT) for v in ticks) + TEXT + 14
    box = (left, 2.6 * TEXT + 8, width - 8, top - 8)  # x0, y0, x1, y1 of the plot area
    _value_axis(drawing, layout, box, ticks)
    _category_axis(drawing, layout, box)
    for line in layout.lines:
        _draw_line(drawing, layout, box, line)
    return drawing


def _legend(drawing: Drawing, layout: ChartLayout, width: float, top: float) -> float:
    """Legend entries in rows from ``top`` down; returns where the plot area may start."""
    x, y = 0.0, top - TEXT
    for line in layout.lines:
        entry = _SAMPLE + 6 + stringWidth(line.name, FONT, TEXT) + 14
        if x and x + entry > width:
            x, y = 0.0, y - TEXT - 6
        middle = y + TEXT * 0.35
        if line.connect:
            drawing.add(_stroke(Line(x, middle, x + _SAMPLE, middle), line))
        drawing.add(_marker(x + _SAMPLE / 2, middle, line))
        drawing.add(String(x + _SAMPLE + 6, y, line.name, fontName=FONT, fontSize=TEXT, fillColor=colors.black))
        x += entry
    return y - 6


def _value_axis(drawing: Drawing, layout: ChartLayout, box: tuple[float, float, float, float],
                ticks: list[float]) -> None:
    x0, y0, x1, y1 = box
    for value in ticks:
        y = _y(layout, box, value)
        drawing.add(Line(x0, y, x1, y, strokeColor=_GRID, strokeWidth=0.6))
        drawing.add(String(x0 - 6, y - TEXT * 0.35, layout.label(value), fontName=FONT, fontSize=TEXT,
                           textAnchor="end", fillColor=_GREY))
    title = String(0, 0, layout.y_title, fontName=FONT, fontSize=TEXT, textAnchor="middle", fillColor=_GREY)
    drawing.add(Group(title, transform=(0, 1, -1, 0, TEXT, (y0 + y1) / 2)))  # turned a quarter, as Office does


def _category_axis(drawing: Drawing, layout: ChartLayout, box: tuple[float, float, float, float]) -> None:
    x0, y0, x1, _ = box
    drawing.add(Line(x0, y0, x1, y0, strokeColor=_GREY, strokeWidth=0.8))
    # Quarter labels shrink (never below 8 pt) rather than run into each other on a narrow chart.
    spacing = (x1 - x0) / max(len(layout.categories), 1)
    widest = max((stringWidth(label, FONT, TEXT) for label in layout.categories), default=1.0)
    size = max(8.0, min(TEXT, TEXT * 0.9 * spacing / widest))
    for index, label in enumerate(layout.categories):
        drawing.add(String(_x(layout, box, index), y0 - TEXT - 3, label, fontName=FONT, fontSize=size,
                           textAnchor="middle", fillColor=_GREY))
    drawing.add(String((x0 + x1) / 2, 0, layout.x_title, fontName=FONT, fontSize=TEXT, textAnchor="middle",
                       fillColor=_GREY))


def _draw_line(drawing: Drawing, layout: ChartLayout, box: tuple[float, float, float, float], line: ChartLine) -> None:
    """Segments between known values (a missing quarter is a gap), then a marker on every value."""
    points = [(_x(layout, box, i), _y(layout, box, v)) for i, v in enumerate(line.values) if v is not None]
    if line.connect:
        run: list[float] = []
        for index, value in enumerate(line.values):
            if value is None:
                _add_run(drawing, run, line)
                run = []
            else:
                run += [_x(layout, box, index), _y(layout, box, value)]
        _add_run(drawing, run, line)
    for x, y in points:
        drawing.add(_marker(x, y, line))


def _add_run(drawing: Drawing, run: list[float], line: ChartLine) -> None:
    if len(run) >= 4:
        drawing.add(_stroke(PolyLine(run), line))


def _stroke(shape: Line | PolyLine, line: ChartLine) -> Line | PolyLine:
    shape.strokeColor, shape.strokeWidth = colors.HexColor(line.colour), 2.2
    shape.strokeDashArray, shape.strokeLineCap = _DASHES[line.style], 1
    return shape


def _marker(x: float, y: float, line: ChartLine) -> Circle | Rect | Polygon:
    """Filled in the line's colour, or pale inside for an estimated or preliminary figure."""
    size = 4.5 if line.hollow or not line.connect else 3.2
    shape: Circle | Rect | Polygon
    if line.marker == "square":
        shape = Rect(x - size, y - size, 2 * size, 2 * size)
    elif line.marker == "diamond":
        shape = Polygon([x, y - size * 1.3, x + size * 1.3, y, x, y + size * 1.3, x - size * 1.3, y])
    else:
        shape = Circle(x, y, size)
    colour = colors.HexColor(line.colour)
    shape.fillColor, shape.strokeColor, shape.strokeWidth = colors.HexColor(line.fill()), colour, 1.6
    return shape


def _x(layout: ChartLayout, box: tuple[float, float, float, float], index: int) -> float:
    x0, _, x1, _ = box
    return x0 + (index + 0.5) * (x1 - x0) / max(len(layout.categories), 1)


def _y(layout: ChartLayout, box: tuple[float, float, float, float], value: float) -> float:
    _, y0, _, y1 = box
    return y0 + (value - layout.low) / (layout.high - layout.low) * (y1 - y0)
