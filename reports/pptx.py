"""The board pack as PowerPoint (python-pptx, 16:9): one slide per slide, native charts, and speaker
notes with the numbers spelled out, so whoever presents can read the figures aloud.

Charts are PowerPoint charts with their numbers embedded (an XLSX part per chart), so the person
preparing the meeting can restyle them, correct a label or copy the figures with "Edit data", in
PowerPoint and in LibreOffice. No browser and no image rendering is involved.
"""

from __future__ import annotations

import io
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Emu, Inches, Pt

from reports.chart_lines import ChartLayout, Line, chart_layout
from reports.model import BoardPack, Slide

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
CHART_FONT = Pt(14)  # the smallest text on a chart: readable from the back of a room on 16:9
_BLANK_LAYOUT = 6
_GREY = RGBColor(0x44, 0x44, 0x44)
_GRID = RGBColor(0xDD, 0xDD, 0xDD)
_DASHES = {"solid": MSO_LINE_DASH_STYLE.SOLID, "dash": MSO_LINE_DASH_STYLE.DASH,
           "dot": MSO_LINE_DASH_STYLE.ROUND_DOT}
_MARKERS = {"circle": XL_MARKER_STYLE.CIRCLE, "square": XL_MARKER_STYLE.SQUARE, "diamond": XL_MARKER_STYLE.DIAMOND}


def render_pptx(pack: BoardPack, clip: bytes | None = None) -> bytes:
    """The pack as PPTX bytes; ``clip`` (the customer slide's recording) is embedded as media on its slide."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    presentation.core_properties.title = pack.slides[0].title if pack.slides else ""
    presentation.core_properties.subject = pack.as_of_text
    for slide in pack.slides:
        _add_slide(presentation, slide, pack, clip if slide.clip is not None else None)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def _add_slide(presentation: Any, slide: Slide, pack: BoardPack, clip: bytes | None) -> None:
    page = presentation.slides.add_slide(presentation.slide_layouts[_BLANK_LAYOUT])
    width = SLIDE_WIDTH - 2 * MARGIN
    _text(page, [slide.title], MARGIN, Inches(0.3), width, Inches(0.9), size=30, bold=True)
    top: int = Inches(1.15)
    if slide.subtitle:
        _text(page, [slide.subtitle], MARGIN, top, width, Inches(0.5), size=20, colour=_GREY)
        top += Inches(0.55)
    text_width: int = width if slide.chart is None else int(width * 0.42)
    if slide.bullets:
        _text(page, [f"• {b}" for b in slide.bullets], MARGIN, top, text_width, Inches(2.6), size=18)
        top += Inches(0.45) * min(len(slide.bullets), 6)
    if slide.table is not None:
        _table(page, slide, MARGIN, top, text_width)
    if slide.chart is not None:
        chart_width = int(width * 0.56)
        _chart(page, chart_layout(slide.chart, pack.language), SLIDE_WIDTH - MARGIN - chart_width, Inches(1.15),
               chart_width, SLIDE_HEIGHT - Inches(1.15) - Inches(0.7))
    if clip is not None and slide.clip is not None:
        _media(page, slide, clip, MARGIN, SLIDE_HEIGHT - Inches(3.1), text_width)
    _text(page, [f"{pack.organisation} · {pack.as_of_text}"], MARGIN, SLIDE_HEIGHT - Inches(0.5), width,
          Inches(0.3), size=10, colour=_GREY)
    page.notes_slide.notes_text_frame.text = slide.notes


def _chart(page: Any, layout: ChartLayout, left: int, top: int, width: int, height: int) -> None:
    """A line chart with markers whose numbers live in the file, and the alt text on its frame."""
    data = CategoryChartData(number_format=layout.number_format())
    data.categories = layout.categories
    for line in layout.lines:
        data.add_series(line.name, line.values)
    frame = page.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Emu(left), Emu(top), Emu(width), Emu(height), data)
    frame._element.nvGraphicFramePr.cNvPr.set("descr", layout.alt)  # alt text, as on the page
    chart = frame.chart
    chart.font.size = CHART_FONT
    chart.has_title = True
    chart.chart_title.text_frame.text = layout.title
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(18)
    chart.has_legend = True
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.TOP, False
    chart.legend.font.size = CHART_FONT
    _axes(chart, layout)
    for series, line in zip(chart.plots[0].series, layout.lines, strict=True):
        _style_series(series, line)


def _media(page: Any, slide: Slide, clip: bytes, left: int, top: int, width: int) -> None:
    """The customer's clip as a media object that plays in the slide show, named in its alt text."""
    assert slide.clip is not None
    box_width = min(width, Inches(4.4))
    movie = page.shapes.add_movie(io.BytesIO(clip), left, top, box_width, int(box_width * 9 / 16),
                                  mime_type=slide.clip.mime)
    movie._element.nvPicPr.cNvPr.set("descr", slide.clip.name)
    movie.name = slide.clip.name


def _axes(chart: Any, layout: ChartLayout) -> None:
    values, categories = chart.value_axis, chart.category_axis
    values.minimum_scale, values.maximum_scale, values.major_unit = layout.low, layout.high, layout.step
    values.tick_labels.number_format, values.tick_labels.number_format_is_linked = layout.number_format(), False
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = _GRID
    for axis, title in ((values, layout.y_title), (categories, layout.x_title)):
        axis.tick_labels.font.size = CHART_FONT
        axis.has_title = True
        axis.axis_title.text_frame.text = title
        axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = CHART_FONT


def _style_series(series: Any, line: Line) -> None:
    """Colour, dash and marker shape per line; uncertain figures as pale markers without a line."""
    colour = _rgb(line.colour)
    series.smooth = False
    if line.connect:
        series.format.line.color.rgb = colour
        series.format.line.width = Pt(3)
        series.format.line.dash_style = _DASHES[line.style]
    else:
        series.format.line.fill.background()
    series.marker.style = _MARKERS[line.marker]
    series.marker.size = 13 if line.hollow or not line.connect else 9
    series.marker.format.fill.solid()
    series.marker.format.fill.fore_color.rgb = _rgb(line.fill())
    series.marker.format.line.color.rgb = colour
    series.marker.format.line.width = Pt(2.25)


def _rgb(colour: str) -> RGBColor:
    rgb: RGBColor = RGBColor.from_string(colour.lstrip("#").upper())
    return rgb


def _text(page: Any, lines: list[str], left: int, top: int, width: int, height: int, *, size: int,
          bold: bool = False, colour: RGBColor | None = None) -> None:
    box = page.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for number, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold = Pt(size), bold
        if colour is not None:
            run.font.color.rgb = colour


def _table(page: Any, slide: Slide, left: int, top: int, width: int) -> None:
    assert slide.table is not None
    rows, columns = len(slide.table.rows) + 1, len(slide.table.columns)
    size = 12 if rows <= 12 else 10
    height = Pt(size * 2) * rows
    shape = page.shapes.add_table(rows, columns, left, top, width, height)
    table = shape.table
    table.columns[0].width = int(width * (0.4 if columns > 3 else 0.5))
    for index in range(1, columns):
        table.columns[index].width = int((width - table.columns[0].width) / (columns - 1))
    for r, row in enumerate([slide.table.columns, *slide.table.rows]):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0
