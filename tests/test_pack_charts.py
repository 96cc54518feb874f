"""The board pack's charts in the files: native, editable PowerPoint charts and vector PDF drawings.

A chart with known numbers goes through the real renderers; the tests read the files back the way
PowerPoint and a PDF reader do (chart XML, the embedded workbook, the PDF's text and images).
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pypdf
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Pt

from metrics.periods import Quarter
from reports.chart_lines import chart_layout, nice_axis
from reports.export import render_pack
from reports.model import BoardPack, ChartSpec, Series, Slide

X = ("2025 K1", "2025 K2", "2025 K3", "2025 K4")
ORGANISATION = "Ekbacka <font>kommun</font> & co"


def spec(language: str = "sv") -> ChartSpec:
    names = {"sv": ("Målbana", "Median, jämförelsegrupp"), "en": ("Trajectory", "Peer group median")}[language]
    return ChartSpec(
        title="Kundnöjdhet", y_title="%", decimals=1, alt="Linjediagram: kundnöjdhet de senaste 4 kvartalen.",
        series=(
            Series(ORGANISATION, X, (70.0, None, 72.5, 1234.5), "solid", "#0072B2", (False, False, True, False)),
            Series(names[0], X, (70.0, 71.0, 72.0, 73.0), "dash", "#333333"),
            Series(names[1], ("2025 K4",), (68.25,), "dot", "#999999"),
        ),
    )


def pack(language: str = "sv") -> BoardPack:
    slides = (Slide("title", "Styrelserapport", bullets=("Ingen graf här",)),
              Slide("hardest", "Det svåraste först (1/1): Kundnöjdhet", bullets=("✓ i fas", "✗ ej i fas −3,5"),
                    chart=spec(language)))
    return BoardPack(ORGANISATION, Quarter(2025, 4), language, "Aktuella värden per 15 november 2025.", slides)


def chart_frame(language: str = "sv"):
    presentation = Presentation(io.BytesIO(render_pack(pack(language), "pptx")))
    frames = [shape for shape in presentation.slides[1].shapes if shape.has_chart]
    assert [shape for shape in presentation.slides[0].shapes if shape.has_chart] == []
    assert len(frames) == 1
    return frames[0]


def test_the_pptx_chart_is_a_native_line_chart_with_every_series_and_the_uncertain_figure_apart():
    chart = chart_frame().chart
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert list(chart.plots[0].categories) == list(X)
    series = {s.name: s for s in chart.plots[0].series}
    assert list(series) == [ORGANISATION, "Målbana", "Median, jämförelsegrupp",
                            f"{ORGANISATION}: uppskattat eller preliminärt"]
    assert list(series[ORGANISATION].values) == [70.0, None, 72.5, 1234.5]
    assert list(series["Målbana"].values) == [70.0, 71.0, 72.0, 73.0]
    assert list(series["Median, jämförelsegrupp"].values) == [None, None, None, 68.25]
    assert list(series[f"{ORGANISATION}: uppskattat eller preliminärt"].values) == [None, None, 72.5, None]


def test_the_pptx_chart_embeds_its_numbers_so_edit_data_opens_them():
    chart = chart_frame().chart
    book = openpyxl.load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
    rows = list(book.worksheets[0].values)
    assert rows[0] == (None, ORGANISATION, "Målbana", "Median, jämförelsegrupp",
                       f"{ORGANISATION}: uppskattat eller preliminärt")
    assert rows[1] == ("2025 K1", 70.0, 70.0, None, None)
    assert rows[3] == ("2025 K3", 72.5, 72.0, None, 72.5)
    assert rows[4] == ("2025 K4", 1234.5, 73.0, 68.25, None)
    assert book.worksheets[0]["B5"].number_format == "[$-41D]#,##0.0"


def test_the_pptx_chart_has_axis_titles_locale_number_formats_large_type_colours_and_alt_text():
    frame = chart_frame()
    chart = frame.chart
    assert frame._element.nvGraphicFramePr.cNvPr.get("descr") == "Linjediagram: kundnöjdhet de senaste 4 kvartalen."
    assert chart.value_axis.axis_title.text_frame.text == "%"
    assert chart.category_axis.axis_title.text_frame.text == "Kvartal"
    assert chart.value_axis.tick_labels.number_format == "[$-41D]#,##0.0"
    assert chart_frame("en").chart.value_axis.tick_labels.number_format == "[$-809]#,##0.0"
    assert chart_frame("en").chart.category_axis.axis_title.text_frame.text == "Quarter"
    assert (chart.value_axis.minimum_scale, chart.value_axis.maximum_scale) == (0.0, 1250.0)
    sizes = [chart.font.size, chart.legend.font.size, chart.value_axis.tick_labels.font.size,
             chart.category_axis.tick_labels.font.size,
             chart.value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size,
             chart.category_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size]
    assert sizes == [Pt(14)] * 6
    assert chart.chart_title.text_frame.text == "Kundnöjdhet"
    own, trajectory, median, uncertain = chart.plots[0].series
    assert str(own.format.line.color.rgb) == "0072B2"
    assert str(own.marker.format.fill.fore_color.rgb) == "0072B2"
    assert trajectory.format.line.dash_style == MSO_LINE_DASH_STYLE.DASH
    assert str(trajectory.format.line.color.rgb) == "333333"
    assert str(uncertain.marker.format.fill.fore_color.rgb) == "A6CEE4"  # a pale tint of 0072B2
    assert str(uncertain.marker.format.line.color.rgb) == "0072B2"
    assert median.format.line.fill.type is not None
    assert uncertain.format.line.fill.type is not None


def test_a_value_axis_has_round_steps_around_the_values():
    assert nice_axis([40.4, 52.3], 1) == (40.0, 52.5, 2.5)
    assert nice_axis([3.5, 6.0, 6.86], 0) == (3.0, 7.0, 1.0)
    assert nice_axis([0.4, 1.0], 1) == (0.4, 1.0, 0.2)
    assert nice_axis([], 0) == (0.0, 1.0, 1.0)
    layout = chart_layout(spec(), "sv")
    assert layout.tick_values()[:3] == [0.0, 250.0, 500.0]
    assert layout.label(1234.5) == "1\u00a0234,5"
    assert chart_layout(spec("en"), "en").label(1234.5) == "1,234.5"


def test_the_pdf_chart_is_drawn_as_vectors_with_its_text_searchable_and_user_text_literal():
    reader = pypdf.PdfReader(io.BytesIO(render_pack(pack(), "pdf")))
    page = reader.pages[1]
    assert len(page.images) == 0
    assert "/XObject" not in page["/Resources"]
    text = page.extract_text()
    for expected in ("Kundnöjdhet\n", f" {ORGANISATION}\n", "\nMålbana\n", "\nMedian, jämförelsegrupp\n",
                     f"{ORGANISATION}: uppskattat eller preliminärt\n", "\n0,0\n250,0\n", "1 250,0\n%\n",
                     "2025 K1\n2025 K2\n2025 K3\n2025 K4\nKvartal\n", "• ✓ i fas\n• ✗ ej i fas −3,5\n"):
        assert expected in text
    english = pypdf.PdfReader(io.BytesIO(render_pack(pack("en"), "pdf"))).pages[1].extract_text()
    assert "\n1,000.0\n1,250.0\n%\n" in english
    assert "Quarter\n" in english
    assert "Peer group median" in english


def test_the_pdf_uses_the_dejavu_fonts_shipped_in_the_repository():
    from reports.fonts import FILES, FOLDER

    assert Path(__file__).resolve().parents[1] / "reports" / "fonts" == FOLDER
    assert sorted(path.name for path in FILES.values()) == ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf"]
    assert "Bitstream Vera" in (FOLDER / "LICENSE").read_text()
    page = pypdf.PdfReader(io.BytesIO(render_pack(pack(), "pdf"))).pages[1]
    fonts = {str(font["/BaseFont"]).split("+")[-1] for font in page["/Resources"]["/Font"].values()
             if "+" in str(font["/BaseFont"])}  # the embedded (subset) fonts
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold"}
