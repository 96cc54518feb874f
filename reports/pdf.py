"""The board pack as an A4 landscape PDF: one page per slide (reportlab, pure Python).

Each slide is shrunk to fit its page if needed, so page count always equals slide count. Text is
real text in DejaVu Sans shipped with the project (:mod:`reports.fonts`: Swedish letters, ✓ ✗ and
the minus sign), charts are vector drawings of the same lines as the PPTX's (:mod:`reports.drawing`).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from reports.chart_lines import chart_layout
from reports.drawing import chart_drawing
from reports.fonts import BOLD, FONT, register_fonts
from reports.model import BoardPack, Slide

PAGE = landscape(A4)
MARGIN = 14 * mm
CHART_RATIO = 0.9  # height / width of a chart beside the slide's text


def render_pdf(pack: BoardPack) -> bytes:
    """The pack as PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=pack.slides[0].title if pack.slides else "", author="Effekt", subject=pack.as_of_text,
    )
    story: list[Flowable] = []
    for position, slide in enumerate(pack.slides):
        content = _slide_content(slide, pack, document.width)
        story.append(KeepInFrame(document.width, document.height, content, mode="shrink"))
        if position < len(pack.slides) - 1:
            story.append(PageBreak())
    document.build(story)
    return buffer.getvalue()


def _slide_content(slide: Slide, pack: BoardPack, width: float) -> list[Flowable]:
    styles = _styles()
    content: list[Flowable] = [Paragraph(escape(slide.title), styles["title"])]
    if slide.subtitle:
        content.append(Paragraph(escape(slide.subtitle), styles["subtitle"]))
    text = [Paragraph("• " + escape(bullet), styles["bullet"]) for bullet in slide.bullets]
    if slide.table is not None:
        text.append(_table(slide, styles, width if slide.chart is None else width * 0.45))
    if slide.chart is not None:
        chart_width = width * 0.55
        chart = chart_drawing(chart_layout(slide.chart, pack.language), chart_width - 8, chart_width * CHART_RATIO)
        side = Table([[text, chart]], colWidths=[width * 0.45, chart_width])
        side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        content.append(side)
    else:
        content.extend(text)
    content += [Spacer(1, 4 * mm), Paragraph(escape(f"{pack.organisation} · {pack.as_of_text}"), styles["footer"])]
    return content


def _table(slide: Slide, styles: dict[str, ParagraphStyle], width: float) -> Table:
    assert slide.table is not None
    cell = styles["cell"]
    rows = [[Paragraph(escape(c), styles["head"]) for c in slide.table.columns]]
    rows += [[Paragraph(escape(c), cell) for c in row] for row in slide.table.rows]
    first = width * (0.4 if len(slide.table.columns) > 3 else 0.5)
    others = (width - first) / max(len(slide.table.columns) - 1, 1)
    table = Table(rows, colWidths=[first] + [others] * (len(slide.table.columns) - 1), repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#cccccc")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=24, leading=29, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", fontName=FONT, fontSize=16, leading=20, spaceAfter=8,
                                   textColor=colors.HexColor("#444444")),
        "bullet": ParagraphStyle("bullet", fontName=FONT, fontSize=14, leading=19, spaceAfter=5),
        "head": ParagraphStyle("head", fontName=BOLD, fontSize=10.5, leading=13),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=10.5, leading=13),
        "footer": ParagraphStyle("footer", fontName=FONT, fontSize=9, leading=11, textColor=colors.HexColor("#666666")),
    }
