"""The board pack as PowerPoint (python-pptx, 16:9): one slide per slide, chart PNGs, and speaker
notes with the numbers spelled out, so whoever presents can read the figures aloud."""

from __future__ import annotations

import io
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from reports.images import HEIGHT, WIDTH
from reports.model import BoardPack, Slide

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
_BLANK_LAYOUT = 6
_GREY = RGBColor(0x44, 0x44, 0x44)  # type: ignore[no-untyped-call]


def render_pptx(pack: BoardPack, images: dict[int, bytes]) -> bytes:
    """The pack as PPTX bytes; ``images`` maps slide position to its chart PNG."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    presentation.core_properties.title = pack.slides[0].title if pack.slides else ""
    presentation.core_properties.subject = pack.as_of_text
    for position, slide in enumerate(pack.slides):
        _add_slide(presentation, slide, pack, images.get(position))
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def _add_slide(presentation: Any, slide: Slide, pack: BoardPack, image: bytes | None) -> None:
    page = presentation.slides.add_slide(presentation.slide_layouts[_BLANK_LAYOUT])
    width = SLIDE_WIDTH - 2 * MARGIN
    _text(page, [slide.title], MARGIN, Inches(0.3), width, Inches(0.9), size=30, bold=True)
    top: int = Inches(1.15)
    if slide.subtitle:
        _text(page, [slide.subtitle], MARGIN, top, width, Inches(0.5), size=20, colour=_GREY)
        top += Inches(0.55)
    text_width: int = width if image is None else int(width * 0.45)
    if slide.bullets:
        _text(page, [f"• {b}" for b in slide.bullets], MARGIN, top, text_width, Inches(2.6), size=18)
        top += Inches(0.45) * min(len(slide.bullets), 6)
    if slide.table is not None:
        _table(page, slide, MARGIN, top, text_width)
    if image is not None:
        chart_width = int(width * 0.53)
        picture = page.shapes.add_picture(io.BytesIO(image), SLIDE_WIDTH - MARGIN - chart_width, Inches(1.2),
                                          width=Emu(chart_width), height=Emu(int(chart_width * HEIGHT / WIDTH)))
        if slide.chart is not None:  # alt text for screen readers, as on the page
            picture._element.nvPicPr.cNvPr.set("descr", slide.chart.alt)
    _text(page, [f"{pack.organisation} · {pack.as_of_text}"], MARGIN, SLIDE_HEIGHT - Inches(0.5), width,
          Inches(0.3), size=10, colour=_GREY)
    page.notes_slide.notes_text_frame.text = slide.notes


def _text(page: object, lines: list[str], left: int, top: int, width: int, height: int, *, size: int,
          bold: bool = False, colour: RGBColor | None = None) -> None:
    box = page.shapes.add_textbox(left, top, width, height)  # type: ignore[attr-defined]
    frame = box.text_frame
    frame.word_wrap = True
    for number, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold = Pt(size), bold
        if colour is not None:
            run.font.color.rgb = colour


def _table(page: object, slide: Slide, left: int, top: int, width: int) -> None:
    assert slide.table is not None
    rows, columns = len(slide.table.rows) + 1, len(slide.table.columns)
    size = 12 if rows <= 12 else 10
    height = Pt(size * 2) * rows
    shape = page.shapes.add_table(rows, columns, left, top, width, height)  # type: ignore[attr-defined]
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
