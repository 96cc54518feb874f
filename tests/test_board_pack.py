"""The board pack files: PDF (A4 landscape) and PPTX from the demo data, and the CLI with --as-of."""

from __future__ import annotations

import io

import pypdf
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from sqlalchemy import update

import cli
from data.actors import SYSTEM
from data.db import reading, writing
from data.figures import Figure, save_figures
from data.models import MeasurementRevision
from metrics.periods import Quarter
from reports.export import render_pack
from reports.gather import board_inputs, find_organisation
from reports.model import build_board_pack, hardest_first, metric_lines
from tests.conftest import TODAY, copy_of_demo

QUARTER = Quarter.last_completed(TODAY)
DECISION = "Testa en chattbot för bygglovsfrågor med tio sökande (MVP)"


@pytest.fixture(scope="module")
def pack_db(demo_template, tmp_path_factory):
    """The demo as of TODAY, shared by the module: the pack is built once from it."""
    with copy_of_demo(demo_template, tmp_path_factory.mktemp("pack")) as url:
        yield url


@pytest.fixture(scope="module")
def built(pack_db):
    with reading(pack_db) as session:
        organisation = find_organisation(session=session, code="demo-ekbacka")
        inputs = board_inputs(session=session, organisation=organisation, quarter=QUARTER, language="sv")
    pack = build_board_pack(inputs)
    pdf = render_pack(pack, "pdf")  # how long this takes is measured in bench/ (board_pack), not here
    pptx = render_pack(pack, "pptx")
    return inputs, pack, pdf, pptx


def test_pdf_has_one_a4_landscape_page_per_slide_with_title_and_vector_charts_without_images(built):
    _, pack, pdf, _ = built
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(pack.slides) >= 8
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)
    first = reader.pages[0].extract_text()
    assert f"Styrelserapport: Ekbacka kommun, {QUARTER.label('sv')}" in first
    assert "Aktuella värden per" in first
    for page, slide in zip(reader.pages, pack.slides, strict=True):
        assert len(page.images) == 0, slide.title  # charts are drawn, never a picture
        if slide.chart is not None:  # the chart's own text is text: axis title, quarters, legend
            assert "Kvartal" in page.extract_text()
            assert QUARTER.label("sv") in page.extract_text()
        assert slide.title.split(":")[0] in page.extract_text()


def test_pdf_puts_the_customer_first_then_the_hardest_worst_first_and_follows_up_decisions(built):
    inputs, _pack, pdf, _ = built
    texts = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    customer = next(i for i, t in enumerate(texts) if t.startswith("Kundens röst"))
    hardest = [i for i, t in enumerate(texts) if t.startswith("Det svåraste först")]
    assert hardest
    assert customer < min(hardest)
    expected = [line.metric.name("sv") for line in hardest_first(metric_lines(inputs))][:len(hardest)]
    shown = [texts[i].split("\n")[0].split(": ", 1)[1] for i in hardest]
    assert shown == expected
    ranks = [("off_track", "at_risk").index(line.target.status) for line in hardest_first(metric_lines(inputs))]
    assert ranks
    assert ranks == sorted(ranks)
    follow_up = next(t for t in texts if t.startswith("Uppföljning"))
    assert "Testa en chattbot" in follow_up
    assert "Digitaliseringschef" in follow_up
    assert "✓ klart" in follow_up


def test_pptx_has_the_same_slides_with_native_charts_and_speaker_notes_that_spell_out_the_numbers(built):
    _, pack, _, pptx = built
    presentation = Presentation(io.BytesIO(pptx))
    slides = list(presentation.slides)
    assert len(slides) == len(pack.slides)
    for page, slide in zip(slides, pack.slides, strict=True):
        texts = [shape.text_frame.text for shape in page.shapes if shape.has_text_frame]
        assert texts[0] == slide.title
        assert not [shape for shape in page.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len([shape for shape in page.shapes if shape.has_chart]) == (1 if slide.chart else 0)
        assert page.notes_slide.notes_text_frame.text == slide.notes
    customer = pack.slides[1]
    assert customer.kind == "customer_voice"
    assert "Kundnöjdhet: " in slides[1].notes_slide.notes_text_frame.text
    follow_up = next(p for p, s in zip(slides, pack.slides, strict=True) if s.kind == "follow_up")
    cells = [cell.text for shape in follow_up.shapes if shape.has_table for row in shape.table.rows for cell in row.cells]
    assert DECISION in cells
    assert "Digitaliseringschef" in cells


def test_cli_report_as_of_before_a_correction_shows_the_earlier_value(pack_db, tmp_path):
    with reading(pack_db) as session:
        organisation = find_organisation(session=session, code="demo-granlunda")
        inputs = board_inputs(session=session, organisation=organisation, quarter=QUARTER, language="en")
    metric = next(m for m in inputs.metrics if m.code == "customer_satisfaction")
    before = inputs.figures[(inputs.figures["metric_id"] == metric.id) & (inputs.figures["period"] == QUARTER.index)]
    earlier = f"Customer satisfaction: {before['value'].iloc[0]:.1f}%"
    with writing(pack_db) as session:  # the demo was loaded on 1 Nov; the correction comes later
        session.execute(update(MeasurementRevision).values(changed_at=TODAY.replace(day=1)))
    with writing(pack_db) as session:
        save_figures(session=session, actor=SYSTEM, via="cli", today=TODAY, figures=[
            Figure(organisation.id, metric.id, QUARTER, 12.5, "measured", "corrected")])

    def notes(*extra: str) -> str:
        out = tmp_path / "pack.pptx"
        code = cli.main(["--database", pack_db, "--language", "en", "report", "--organisation", "demo-granlunda",
                         "--quarter", str(QUARTER), "--format", "pptx", "--out", str(out), *extra])
        assert code == 0
        return Presentation(str(out)).slides[1].notes_slide.notes_text_frame.text

    old = notes("--as-of", TODAY.replace(day=10).isoformat())
    assert old.startswith(earlier)
    assert notes().startswith("Customer satisfaction: 12.5%")
    title = Presentation(str(tmp_path / "pack.pptx")).slides[0].shapes
    assert any("Current figures as of" in s.text_frame.text for s in title if s.has_text_frame)


def test_cli_report_refuses_an_unknown_organisation_or_quarter(pack_db, tmp_path, capsys):
    out = str(tmp_path / "x.pdf")
    assert cli.main(["--database", pack_db, "report", "--organisation", "nope", "--quarter", "2025-Q3",
                     "--format", "pdf", "--out", out]) == 2
    assert "Organisationen nope finns inte. Ange kod eller exakt namn." in capsys.readouterr().err
    assert cli.main(["--database", pack_db, "report", "--organisation", "demo-ekbacka", "--quarter", "2025-Q7",
                     "--format", "pdf", "--out", out]) == 2


def test_xlsx_has_figures_by_quarter_long_format_targets_and_definitions_with_formulas_neutralised(built):
    import dataclasses

    import openpyxl

    from reports.model import TargetInfo
    from reports.sheets import organisation_csv, organisation_workbook

    inputs = built[0]
    figures = inputs.figures.copy()
    figures.loc[figures.index[0], "comment"] = '=HYPERLINK("http://x","klicka")'
    inputs = dataclasses.replace(inputs, figures=figures, targets={"ideas_delivered": TargetInfo(
        status="off_track", owner="Anna", target_value=40.0, target_quarter=Quarter(2026, 4))})
    book = openpyxl.load_workbook(io.BytesIO(organisation_workbook(inputs, "demo-ekbacka")))
    assert book.sheetnames == ["Per kvartal", "Långt format", "Mål", "Definitioner"]
    by_quarter = list(book["Per kvartal"].values)
    assert by_quarter[0][:2] == ("Mätetal", "Enhet")
    assert by_quarter[0][-1] == str(QUARTER)
    assert len(by_quarter) == 19
    assert by_quarter[1][0] == "Förankrad vision"
    satisfaction = next(r for r in by_quarter if r[0] == "Kundnöjdhet")
    cell = figures[(figures["metric_id"] == 5) & (figures["period"] == QUARTER.index)]["value"]
    assert satisfaction[-1] == (cell.iloc[0] if len(cell) else None)
    long = list(book["Långt format"].values)
    assert long[0] == ("organisation", "metric", "period", "value", "status", "comment")
    assert any(row[5] == '\'=HYPERLINK("http://x","klicka")' for row in long[1:])
    assert list(book["Mål"].values)[1] == ("Levererade idéer", 40, "2026-Q4", "Anna", "ej i fas")
    definition = list(book["Definitioner"].values)[1]
    assert (definition[0], definition[1], definition[3]) == ("vision_alignment", "Förankrad vision", "högre är bättre")
    csv = organisation_csv(inputs, "demo-ekbacka").decode()
    assert csv.startswith("organisation,metric,period,value,status,comment\ndemo-ekbacka,vision_alignment,")
    assert '"\'=HYPERLINK(""http://x"",""klicka"")"' in csv


def test_the_demo_pack_puts_off_track_targets_first_with_their_owner_and_trajectory(built):
    inputs, pack, _, _ = built
    off_track = [code for code, target in inputs.targets.items() if target.status == "off_track"]
    assert off_track, "the demo has an off-track target for Ekbacka"
    hardest = [slide for slide in pack.slides if slide.kind == "hardest"]
    assert [slide.subtitle for slide in hardest][:len(off_track)] == ["✗ ej i fas"] * len(off_track)
    assert {slide.metric_code for slide in hardest[:len(off_track)]} == set(off_track)
    first = inputs.targets[hardest[0].metric_code]
    assert first.owner
    assert f"Ansvarig: {first.owner}" in hardest[0].bullets
    trajectory = next(line for line in hardest[0].bullets if line.startswith("Målbana detta kvartal: "))
    assert trajectory.split(": ")[1] != "–"
    assert hardest[0].chart is not None
    assert len(hardest[0].chart.series) >= 2
    statuses = [inputs.targets[slide.metric_code].status for slide in hardest]
    assert statuses == sorted(statuses, key=("off_track", "at_risk").index)


def test_the_demo_pack_reports_a_target_whose_status_flipped_and_the_summary_shows_targets(built):
    inputs, pack, _, _ = built
    flipped = {code: t for code, t in inputs.targets.items() if t.previous_status and t.status != t.previous_status}
    assert flipped, "the demo has a target whose status changed since the previous quarter"
    changes = next(slide for slide in pack.slides if slide.kind == "changes")
    names = {m.code: m.name("sv") for m in inputs.metrics}
    labels = {"on_track": "✓ i fas", "at_risk": "! risk", "off_track": "✗ ej i fas"}
    for code, target in flipped.items():
        assert f"{names[code]}: från {labels[target.previous_status]} till {labels[target.status]}" in changes.bullets
    summary = next(slide for slide in pack.slides if slide.kind == "summary")
    assert summary.table is not None
    assert summary.table.columns[-2:] == ("Mål", "Status")
    rows = {row[0]: row for row in summary.table.rows}
    for code, target in inputs.targets.items():
        assert rows[names[code]][-1] == labels[target.status]
        assert rows[names[code]][-2].endswith(f" till {target.target_quarter.label('sv')}")


def test_the_downloaded_workbook_has_the_demo_targets_sheet(built):
    import openpyxl

    from reports.sheets import organisation_workbook

    inputs = built[0]
    book = openpyxl.load_workbook(io.BytesIO(organisation_workbook(inputs, "demo-ekbacka")))
    assert "Mål" in book.sheetnames
    rows = list(book["Mål"].values)
    names = {m.code: m.name("sv") for m in inputs.metrics}
    assert {row[0] for row in rows[1:]} == {names[code] for code in inputs.targets}
    assert {row[3] for row in rows[1:]} == {target.owner for target in inputs.targets.values()}
