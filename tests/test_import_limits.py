"""The importer's limits, written as the attacks a probe made (issue 11, finding 6): files built
to exhaust the server are refused with the importer's own translated message, within seconds
and under 300 MB, by the data layer, the command line and the Importera page."""

from __future__ import annotations

import io
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from data.bootstrap import prepare_database
from data.db import dispose_engine, reading
from data.importing.limits import ImportLimits
from data.importing.planning import plan_import
from presentation.i18n import describe_problem
from tests.apptest_support import open_app
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]
HEADER = b"organisation,metric,period,value,status,comment\n"
MEMORY_BOUND = 300_000_000
SECONDS_BOUND = 10.0
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('limits') / 'limits.db'}"
    prepare_database(url, demo_if_empty=True, today=TODAY)
    yield url
    dispose_engine(url)


def measured(url, content, name="figures.csv", **options):
    """Plan the file under tracemalloc: the plan, its peak memory in bytes and its seconds."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with reading(url) as session:
            plan = plan_import(session=session, content=content, file_name=name, today=TODAY, **options)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return plan, peak, time.perf_counter() - started


def refused_within_bounds(url, content, name="figures.csv"):
    plan, peak, seconds = measured(url, content, name)
    assert not plan.ok
    assert not plan.figures
    assert not plan.changes
    assert len(plan.problems) == 1, [describe_problem(p, "en") for p in plan.problems[:5]]
    assert peak < MEMORY_BOUND, peak
    assert seconds < SECONDS_BOUND, seconds
    return describe_problem(plan.problems[0], "en")


def million_tiny_rows() -> bytes:
    return HEADER + b"x,y,z,1,,\n" * 1_000_000


def test_a_csv_of_a_million_tiny_rows_is_refused_at_the_row_limit(url):
    content = million_tiny_rows()
    assert len(content) > 8_000_000
    message = refused_within_bounds(url, content)
    assert message == ("Row 200,002: The file has more than 200,000 rows; the import reads at most 200,000 rows "
                       "(blank rows count). Split the file.")


def test_a_million_blank_lines_count_against_the_row_limit(url):
    message = refused_within_bounds(url, HEADER + b"\n" * 1_000_000)
    assert "more than 200,000 rows" in message


def test_a_csv_cell_over_the_csv_modules_field_limit_is_the_importers_refusal(url):
    content = HEADER + b"demo-ekbacka,customer_satisfaction,2025-Q1,70,," + b"a" * 140_000 + b"\n"
    assert refused_within_bounds(url, content) == (
        "Row 2, column comment: The cell is longer than 10,000 characters; the import reads at most "
        "10,000 characters a cell.")


def test_a_quoted_cell_over_the_field_limit_names_its_column(url):
    content = b'organisation;metric;period;value;comment\n"demo-ekbacka";"x;y";2025-Q1;"' + b"b" * 140_000 + b'";c\n'
    assert refused_within_bounds(url, content).startswith("Row 2, column value: The cell is longer than")


def test_a_csv_cell_over_the_cell_limit_is_refused_with_row_and_column(url):
    content = HEADER + b"demo-ekbacka,customer_satisfaction,2025-Q1,70,,ok\n" * 3 + \
        b"demo-ekbacka,customer_satisfaction,2025-Q2,70,," + b"a" * 10_001 + b"\n"
    assert refused_within_bounds(url, content).startswith("Row 5, column comment: The cell is longer than 10,000")


def test_a_csv_wider_than_the_column_limit_is_refused(url):
    content = b",".join(b"c%d" % i for i in range(60)) + b"\n" + b"1," * 59 + b"1\n"
    assert refused_within_bounds(url, content) == (
        "Row 1: The file has 60 columns; the import reads at most 50. Remove the columns that are not in the template.")


def test_only_the_first_thousand_problems_are_listed_and_the_rest_counted(url):
    content = HEADER + b"nowhere,customer_satisfaction,2025-Q1,70,,\n" * 3000
    plan, peak, _ = measured(url, content)
    assert len(plan.problems) == 1001
    assert describe_problem(plan.problems[-1], "en") == (
        "… and 2,000 more problems (the first 1,000 are shown). Fix those above and import again.")
    assert describe_problem(plan.problems[0], "en").startswith("Row 2, column organisation")
    assert plan.problem_count == 3000
    assert peak < MEMORY_BOUND


def test_the_limits_come_from_the_settings(url, monkeypatch):
    monkeypatch.setenv("EFFEKT_IMPORT_MAX_ROWS", "3")
    content = HEADER + b"demo-ekbacka,customer_satisfaction,2025-Q1,70,,\n" * 4
    with reading(url) as session:
        plan = plan_import(session=session, content=content, file_name="f.csv", today=TODAY)
    assert [p.key for p in plan.problems] == ["limits.too_many_rows"]
    with reading(url) as session:
        plan = plan_import(session=session, content=content[:-49], file_name="f.csv", today=TODAY,
                           limits=ImportLimits(max_rows=3))
    assert plan.problems == () or [p.key for p in plan.problems] != ["limits.too_many_rows"]


# --- XLSX built by hand: a real workbook whose sheet XML is replaced -------------------------

def crafted_xlsx(sheet_xml: bytes) -> bytes:
    """A workbook openpyxl wrote, with its one sheet's XML replaced by ``sheet_xml``."""
    book = Workbook()
    book.active.title = "Blad1"
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item.filename, data)
    return out.getvalue()


def inline(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(rows: str, dimension: str | None = None) -> bytes:
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">{head}'
            f"<sheetData>{rows}</sheetData></worksheet>").encode()


HEADER_ROW = '<row r="1">' + "".join(inline(f"{c}1", n) for c, n in zip(
    "ABCD", ("organisation", "metric", "period", "value"), strict=True)) + "</row>"


@pytest.mark.parametrize("dimension", ["A1:D50000000", None])
def test_an_xlsx_claiming_fifty_million_rows_is_refused_before_they_are_made(url, dimension):
    last = f'<row r="50000000">{inline("A50000000", "x")}</row>'
    content = crafted_xlsx(sheet(HEADER_ROW + last, dimension))
    message = refused_within_bounds(url, content, "figures.xlsx")
    assert message == ("Row 50,000,000: The file has more than 200,000 rows; the import reads at most 200,000 rows "
                       "(blank rows count). Split the file.")


def test_an_xlsx_of_blank_row_elements_stops_at_the_row_limit(url):
    blank = "".join(f'<row r="{n}"/>' for n in range(2, 300_002))
    content = crafted_xlsx(sheet(HEADER_ROW + blank))
    assert "more than 200,000 rows" in refused_within_bounds(url, content, "figures.xlsx")


@pytest.mark.parametrize("dimension", ["A1:XFD1", None])
def test_an_xlsx_header_of_two_million_cells_is_refused_without_reading_it_all(url, dimension):
    header = "<row>" + "<c><v>1</v></c>" * 2_000_000 + "</row>"
    content = crafted_xlsx(sheet(header, dimension))
    assert len(content) < 1_000_000
    message = refused_within_bounds(url, content, "figures.xlsx")
    assert "columns; the import reads at most 50." in message


def test_an_xlsx_cell_over_the_cell_limit_is_refused_with_row_and_column(url):
    row = f'<row r="2">{inline("A2", "demo-ekbacka")}{inline("B2", "m" * 10_001)}</row>'
    content = crafted_xlsx(sheet(HEADER_ROW + row))
    assert refused_within_bounds(url, content, "figures.xlsx").startswith(
        "Row 2, column B: The cell is longer than 10,000 characters")


def test_an_xlsx_whose_shared_strings_unpack_past_the_limit_is_refused(url):
    book = Workbook()
    book.active.append(["organisation", "metric", "period", "value"])
    buffer = io.BytesIO()
    book.save(buffer)
    strings = (f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}">' + "<si><t>x</t></si>" * 4_000_000 + "</sst>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
        target.writestr("xl/sharedStrings.xml", strings)  # openpyxl wrote none: its cells are inline
    assert refused_within_bounds(url, out.getvalue(), "figures.xlsx") == (
        "The Excel file's texts unpack to 68 MB; the import reads at most 51.2 MB. Split the file.")


def test_a_sparse_xlsx_row_keeps_its_columns(url):
    row = (f'<row r="3">{inline("A3", "demo-ekbacka")}{inline("B3", "customer_satisfaction")}'
           f'{inline("C3", "2025-Q1")}<c r="D3"><v>71</v></c></row>')
    with reading(url) as session:
        plan = plan_import(session=session, content=crafted_xlsx(sheet(HEADER_ROW + row)), file_name="f.xlsx",
                           today=TODAY)
    assert plan.ok
    assert plan.rows == 1
    assert plan.figures[0].value == 71


# --- the same refusals through the command line and the page -------------------------------

def test_the_cli_refuses_a_million_rows_with_the_message_and_no_traceback(url, tmp_path):
    path = tmp_path / "million.csv"
    path.write_bytes(million_tiny_rows())
    result = subprocess.run([sys.executable, "cli.py", "--database", url, "--language", "en", "import", str(path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "more than 200,000 rows" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_the_cli_refuses_an_oversized_csv_cell_without_a_traceback(url, tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(HEADER + b"demo-ekbacka,customer_satisfaction,2025-Q1,70,," + b"a" * 140_000 + b"\n")
    result = subprocess.run([sys.executable, "cli.py", "--database", url, "--language", "en", "import", str(path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Row 2, column comment: The cell is longer than 10,000 characters" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(("name", "content", "shown"), [
    ("million.csv", million_tiny_rows(), "Filen har fler än 200\u00a0000 rader"),
    ("long.csv", HEADER + b"demo-ekbacka,customer_satisfaction,2025-Q1,70,," + b"a" * 140_000 + b"\n",
     "Cellen är längre än 10\u00a0000 tecken"),
    ("wide.xlsx", crafted_xlsx(sheet("<row>" + "<c><v>1</v></c>" * 2_000_000 + "</row>")), "kolumner; importen tar högst 50"),
])
def test_the_import_page_shows_the_refusal_without_an_exception(tmp_path, monkeypatch, name, content, shown):
    url = f"sqlite:///{tmp_path / 'page.db'}"
    prepare_database(url, demo_if_empty=True)
    at = open_app(url, monkeypatch, page="import_data")
    at.file_uploader(key="import_file").upload(name, content, "text/csv").run()
    assert not at.exception, at.exception
    assert len(at.error) == 1
    assert "Inget har sparats" in at.error[0].value
    assert shown in " ".join(at.dataframe[0].value.iloc[:, -1])
    assert "import_confirm" not in [b.key for b in at.button]
