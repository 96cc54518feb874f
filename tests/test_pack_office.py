"""A real office suite opens the files: LibreOffice converts the board pack PPTX and the figures XLSX
to PDF, headless, each conversion with a timeout.

Without LibreOffice (a laptop) the test is skipped with a note; CI (.ci/run) installs it and sets
EFFEKT_REQUIRE_OFFICE=1, so there a missing ``soffice`` is a failure, like a missing Chromium.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest

from data.bootstrap import prepare_database
from data.db import reading
from metrics.periods import Quarter
from reports.export import render_pack
from reports.gather import board_inputs, find_organisation
from reports.model import build_board_pack
from reports.sheets import organisation_workbook
from tests.conftest import TODAY

QUARTER = Quarter.last_completed(TODAY)
CONVERSION_TIMEOUT_S = 180  # the first start of a fresh LibreOffice profile takes 10-20 s on 2 busy cores


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("EFFEKT_REQUIRE_OFFICE") == "1":
            pytest.fail("EFFEKT_REQUIRE_OFFICE=1 but LibreOffice (soffice) is missing")
        pytest.skip("LibreOffice (soffice) not installed: the office conversion test is skipped")
    return found


def convert(path: Path, profile: Path) -> pypdf.PdfReader:
    """``soffice --headless --convert-to pdf`` with a private profile (no clash with another run) and a timeout."""
    out = path.parent / "converted"
    command = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
               "--outdir", str(out), str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=CONVERSION_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"LibreOffice did not convert {path.name} within {CONVERSION_TIMEOUT_S} s")
    converted = out / (path.stem + ".pdf")
    assert done.returncode == 0, done.stdout + done.stderr
    assert converted.is_file(), done.stdout + done.stderr
    return pypdf.PdfReader(io.BytesIO(converted.read_bytes()))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    url = f"sqlite:///{folder / 'effekt.db'}"
    prepare_database(url, demo_if_empty=True, today=TODAY)
    with reading(url) as session:
        organisation = find_organisation(session=session, code="demo-ekbacka")
        inputs = board_inputs(session=session, organisation=organisation, quarter=QUARTER, language="sv")
    pack = build_board_pack(inputs)
    (folder / "pack.pptx").write_bytes(render_pack(pack, "pptx"))
    (folder / "varden.xlsx").write_bytes(organisation_workbook(inputs, "demo-ekbacka"))
    return folder, pack


def test_the_pptx_holds_one_chart_part_with_its_workbook_per_chart_slide(files):
    folder, pack = files
    with zipfile.ZipFile(folder / "pack.pptx") as archive:
        names = archive.namelist()
        charted = [n for n in names if re.fullmatch(r"ppt/slides/_rels/slide\d+\.xml\.rels", n)
                   and "../charts/chart" in archive.read(n).decode()]
    charts = sum(1 for slide in pack.slides if slide.chart is not None)
    assert charts == 3
    assert len([n for n in names if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]) == charts
    assert len([n for n in names if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]) == charts
    assert len(charted) == charts


def test_libreoffice_converts_the_pptx_to_one_page_per_slide_with_the_charts_text(files, tmp_path):
    folder, pack = files
    reader = convert(folder / "pack.pptx", tmp_path / "profile")
    assert len(reader.pages) == len(pack.slides) == 8
    customer = reader.pages[1].extract_text()
    assert customer.startswith("Kundens röst\n")
    for text in ("Kundnöjdhet och leende kunder\n", "\nKvartal\n", "Kundnöjdhet: uppskattat eller preliminärt\n"):
        assert text in customer


def test_libreoffice_opens_the_xlsx_with_every_sheet(files, tmp_path):
    folder, _ = files
    reader = convert(folder / "varden.xlsx", tmp_path / "profile")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert text.startswith("Mätetal Enhet ")  # Per kvartal: the metrics × quarters table comes first
    # Columns as wide as their text: codes, names and owners in full, not cut at the default width.
    assert "\norganisation metric period value\ndemo-ekbacka vision_alignment 2022-Q4 " in text  # Långt format
    assert "Verksamhetsutvecklare\n" in text  # Mål: the demo's owner in full (cut to "Verksamhet" before)
    assert "\nKod Mätetal Enhet\nvision_alignment Förankrad vision %\n" in text  # Definitioner
