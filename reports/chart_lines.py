"""What a slide's chart draws, independent of the file format: categories, lines, axis and numbers.

The PowerPoint chart (:mod:`reports.pptx`), the PDF drawing (:mod:`reports.drawing`) and the page's
plotly figure (:mod:`reports.charts`) all draw this, so they show the same lines, the same axis and
the same marks for uncertain figures. Pure: no plotting library is imported here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from presentation.formatting import format_number
from presentation.i18n import translate
from reports.model import ChartSpec, Series

MARKERS = {"solid": "circle", "dash": "square", "dot": "diamond"}
DEFAULT_COLOUR = "#0072B2"
# Excel/PowerPoint number formats with a locale tag, so a Swedish pack shows "73,5" in any Office.
_LOCALE_TAGS = {"sv": "[$-41D]", "en": "[$-809]"}
_NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
_TICKS = 5
_TINT = 0.65  # share of white in an uncertain figure's marker


@dataclass(frozen=True)
class Line:
    """One series as drawn: values aligned to the chart's categories (``None`` is a gap)."""

    name: str
    values: tuple[float | None, ...]
    colour: str
    style: str  # solid / dash / dot
    marker: str  # circle / square / diamond
    hollow: bool = False  # estimated or preliminary figures: a pale marker with a dark rim
    connect: bool = True  # False: markers only (a single point, or the uncertain overlay)

    def fill(self) -> str:
        """The marker's inside: the line's colour, or for uncertain figures a pale tint of it.

        A tint rather than white: LibreOffice draws chart symbols without their rim, so a white
        marker would vanish there; a tint stays visible and still reads as "not a firm figure".
        """
        if not self.hollow:
            return self.colour
        red, green, blue = (int(self.colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
        return "#" + "".join(f"{round(c + (255 - c) * _TINT):02X}" for c in (red, green, blue))


@dataclass(frozen=True)
class ChartLayout:
    title: str
    y_title: str
    x_title: str
    categories: tuple[str, ...]
    lines: tuple[Line, ...]
    low: float
    high: float
    step: float
    decimals: int
    language: str
    alt: str

    def tick_values(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + i * self.step for i in range(count + 1)]

    def label(self, value: float) -> str:
        """A number on the axis or in a label, in the pack's language (``73,5`` / ``73.5``)."""
        return format_number(value, self.language, self.decimals)

    def number_format(self) -> str:
        """The same number format for Office: locale tag, thousands, the metric's decimals."""
        return _LOCALE_TAGS[self.language] + ("#,##0" if self.decimals == 0 else "#,##0." + "0" * self.decimals)


def chart_layout(spec: ChartSpec, language: str) -> ChartLayout:
    """The lines of a slide's chart with the uncertain figures as their own, hollow-marked series."""
    categories = _categories(spec.series)
    lines: list[Line] = []
    for series in spec.series:
        values = _aligned(series, categories)
        colour = series.colour or DEFAULT_COLOUR
        single = sum(v is not None for v in values) <= 1
        lines.append(Line(series.name, values, colour, series.style, MARKERS[series.style],
                          connect=not single and not series.markers_only))
    for series in spec.series:
        if any(series.uncertain):
            lines.append(_uncertain_line(series, categories, language))
    low, high, step = nice_axis([v for line in lines for v in line.values if v is not None], spec.decimals)
    return ChartLayout(
        title=spec.title, y_title=spec.y_title, x_title=translate("pack.chart.quarter", language),
        categories=categories, lines=tuple(lines), low=low, high=high, step=step, decimals=spec.decimals,
        language=language, alt=spec.alt,
    )


def nice_axis(values: Sequence[float], decimals: int) -> tuple[float, float, float]:
    """A value axis of about five round steps around the values (whole steps for whole numbers)."""
    if not values:
        return 0.0, 1.0, 0.2 if decimals else 1.0
    low, high = min(values), max(values)
    span = high - low or abs(high) or 1.0
    raw = span / _TICKS
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(n * magnitude for n in _NICE_STEPS if n * magnitude >= raw)
    if decimals == 0:
        step = max(1.0, round(step))
    bottom = math.floor(low / step) * step
    top = math.ceil(high / step) * step
    if top == bottom:
        top += step
    if low >= 0 > bottom:
        bottom = 0.0
    return round(bottom, 9), round(top, 9), round(step, 9)  # 0.1 * 3 is not 0.3 in binary


def _categories(series: Sequence[Series]) -> tuple[str, ...]:
    """Every quarter on any line, in first-seen order (the organisation's series has them all)."""
    seen: dict[str, None] = {}
    for one in series:
        seen.update(dict.fromkeys(one.x))
    return tuple(seen)


def _aligned(series: Series, categories: Sequence[str]) -> tuple[float | None, ...]:
    by_label = dict(zip(series.x, series.y, strict=True))
    return tuple(by_label.get(label) for label in categories)


def _uncertain_line(series: Series, categories: Sequence[str], language: str) -> Line:
    flagged = dict(zip(series.x, series.uncertain, strict=False))
    values = tuple(v if flagged.get(label) else None for label, v in zip(categories, _aligned(series, categories),
                                                                          strict=True))
    return Line(translate("pack.chart.uncertain", language, series=series.name), values,
                series.colour or DEFAULT_COLOUR, "solid", MARKERS[series.style], hollow=True, connect=False)
