"""The importer: every kind of bad input gets a clear message with row, column and value, and
nothing is written; numbers in Swedish and English spellings; the wide template; XLSX traps."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from data.actors import SYSTEM
from data.bootstrap import prepare_database
from data.catalogue_store import list_metrics
from data.db import reading, writing
from data.exporter import long_format_frame, to_csv_bytes, to_xlsx_bytes, wide_template_frame
from data.figures import Figure, save_figures
from data.importing.committing import ImportRejected, commit_import
from data.importing.planning import plan_import
from data.models import Measurement, MeasurementRevision, Metric
from metrics.numbers import parse_number, read_number
from metrics.periods import Quarter
from presentation.i18n import describe_problem
from tests.conftest import TODAY

HEADER = "organisation,metric,period,value,status,comment\n"


@pytest.fixture
def url(app_db):
    """The demo database as of TODAY (tests/conftest.py), by the name these tests read best with."""
    return app_db


def plan(url, content, name="figures.csv", **options):
    if isinstance(content, str):
        content = content.encode("utf-8")
    with reading(url) as session:
        return plan_import(session=session, content=content, file_name=name, today=TODAY, **options)


def rows_written(url):
    with reading(url) as session:
        return (session.scalar(select(func.count(Measurement.id))), session.scalar(select(func.count(MeasurementRevision.id))))


def only(result):
    """The single problem of a refused plan, in English, after checking that nothing can be written."""
    assert not result.ok
    assert not result.figures
    with pytest.raises(ImportRejected), writing(result_url[0]) as session:
        commit_import(session=session, actor=SYSTEM, plan=result)
    assert len(result.problems) == 1, [describe_problem(p, "en") for p in result.problems]
    return result.problems[0]


result_url: list[str] = []


@pytest.fixture(autouse=True)
def remember(url):
    result_url[:] = [url]
    before = rows_written(url)
    yield
    assert rows_written(url) == before  # no test in this file writes anything


def line(metric="customer_satisfaction", period="2025-Q1", value="70", status="", comment="", organisation="demo-ekbacka"):
    return f"{organisation},{metric},{period},{value},{status},{comment}\n"


def test_empty_file(url):
    problem = only(plan(url, b""))
    assert problem.key == "import.empty_file"
    assert only(plan(url, b"  \n\n")).key == "import.empty_file"


def test_header_only(url):
    problem = only(plan(url, HEADER))
    assert problem.key == "import.no_rows"
    assert describe_problem(problem, "sv") == "Filen har bara en rubrikrad och inga värden."


def test_missing_required_column(url):
    problem = only(plan(url, "organisation,metric,value\ndemo-ekbacka,customer_satisfaction,70\n"))
    assert (problem.row, problem.column, problem.key) == (1, "period", "import.missing_column")
    assert describe_problem(problem, "en") == "Row 1, column period: The column period is missing from the header row."


def test_unknown_columns_are_matched_against_the_real_ones(url):
    result = plan(url, "organisation,metric,perod,value,comments,colour\n")
    messages = [describe_problem(p, "en") for p in result.problems]
    assert "Row 1, column perod, «perod»: Unknown column. Did you mean period?" in messages
    assert "Row 1, column comments, «comments»: Unknown column. Did you mean comment?" in messages
    assert any(m.startswith("Row 1, column colour, «colour»: Unknown column. The columns should be called:") for m in messages)
    assert "Row 1, column period: The column period is missing from the header row." in messages


def test_unknown_organisation_suggests_close_ones(url):
    problem = only(plan(url, HEADER + line(organisation="demo-ekbaka")))
    assert (problem.row, problem.column, problem.value) == (2, "organisation", "demo-ekbaka")
    assert "Okänd organisation. Menade du: demo-ekbacka" in describe_problem(problem, "sv")
    assert only(plan(url, HEADER + line(organisation="Ingenstans"))).key == "import.unknown_organisation"


def test_unknown_metric_lists_close_matches(url):
    problem = only(plan(url, HEADER + line(metric="customer_satisfactoin")))
    assert problem.column == "metric"
    assert "customer_satisfaction" in problem.params["suggestions"]
    assert describe_problem(problem, "en").startswith(
        "Row 2, column metric, «customer_satisfactoin»: Unknown metric. Did you mean:")


def test_inactive_metric(url):
    with writing(url) as session:
        session.query(Metric).filter(Metric.code == "media_stories").update({"active": False})
    try:
        problem = only(plan(url, HEADER + line(metric="media_stories", value="3")))
        assert problem.key == "import.inactive_metric"
        assert describe_problem(problem, "en").endswith("The metric media_stories is deactivated and takes no new figures.")
    finally:
        with writing(url) as session:
            session.query(Metric).filter(Metric.code == "media_stories").update({"active": True})


@pytest.mark.parametrize(("period", "key"), [
    ("2024Q5", "import.bad_period"),
    ("2024-13", "import.bad_period"),
    ("Q1", "import.bad_period"),
    ("45292", "import.period_excel_date"),
    ("2024-01-01", "import.period_is_date"),
])
def test_bad_quarter(url, period, key):
    problem = only(plan(url, HEADER + line(period=period)))
    assert (problem.row, problem.column, problem.value, problem.key) == (2, "period", period, key)


def test_an_excel_date_serial_names_the_date_it_stands_for(url):
    problem = only(plan(url, HEADER + line(period="45292")))
    assert "(2024-01-01)" in describe_problem(problem, "en")


def test_future_quarter(url):
    problem = only(plan(url, HEADER + line(period="2026-Q1")))
    assert problem.key == "period.future"
    assert describe_problem(problem, "sv") == "Rad 2, kolumn period, «2026-Q1»: Kvartalet 2026-Q1 har inte börjat än."


@pytest.mark.parametrize("value", ["abc", "1.2.3", "ca 40", "n/a", "12,5,1", "1 23,4"])
def test_non_numeric_value(url, value):
    problem = only(plan(url, HEADER + line(value=f'"{value}"')))
    assert (problem.column, problem.value, problem.key) == ("value", value, "import.bad_value")


@pytest.mark.parametrize(("value", "key"), [("NaN", "value.not_finite"), ("inf", "value.not_finite"),
                                            ("-Infinity", "value.not_finite"), ("1e308", "import.value_too_large")])
def test_not_finite_or_absurd_values(url, value, key):
    assert only(plan(url, HEADER + line(metric="api_opening_time", value=value))).key == key


@pytest.mark.parametrize(("metric", "value", "key", "shown"), [
    ("customer_satisfaction", "120 %", "value.above_max", "The figure is above the highest allowed, 100."),
    ("ideas_delivered", "-1", "value.below_min", "The figure is below the lowest allowed, 0."),
    ("ideas_delivered", '"2,5"', "value.not_whole", "The metric counts whole numbers; the figure cannot have decimals."),
])
def test_values_outside_the_metrics_range(url, metric, value, key, shown):
    problem = only(plan(url, HEADER + line(metric=metric, value=value)))
    assert problem.key == key
    assert describe_problem(problem, "en").endswith(shown)


def test_duplicate_rows_name_both(url):
    problem = only(plan(url, HEADER + line(value="70") + line(metric="ideas_delivered", value="3") + line(value="71")))
    assert problem.row == 4
    assert describe_problem(problem, "en").endswith(
        "Rows 2 and 4 are for the same organisation, metric and quarter. Keep one of them.")


def test_unknown_status(url):
    problem = only(plan(url, HEADER + line(status="gissad")))
    assert (problem.column, problem.value, problem.key) == ("status", "gissad", "import.unknown_status")


def test_comment_over_2000_characters(url):
    problem = only(plan(url, HEADER + line(comment="x" * 2001)))
    assert problem.key == "comment.too_long"
    assert problem.column == "comment"
    assert plan(url, HEADER + line(comment="x" * 2000)).ok


@pytest.mark.parametrize(("name", "content"), [
    ("figures.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
    ("figures.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
    ("figures.xlsx", b"organisation,metric\n"),
    ("figures.csv", bytes(range(256)) * 10),
])
def test_not_a_table_whatever_the_name(url, name, content):
    assert only(plan(url, content, name)).key == "import.not_a_table"


def test_a_zip_that_is_not_a_workbook(url):
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert only(plan(url, buffer.getvalue(), "figures.xlsx")).key == "import.not_a_table"


def test_corrupt_xlsx(url):
    good = workbook_bytes([["organisation", "metric", "period", "value"], ["demo-ekbacka", "ideas_delivered", "2025-Q1", 3]])
    assert only(plan(url, good[: len(good) // 2], "figures.xlsx")).key == "import.corrupt_xlsx"


def test_old_excel_format(url):
    assert only(plan(url, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "figures.xls")).key == "import.old_excel"


def workbook_bytes(rows, *, merge=None, title="Blad1", extra_sheet=None):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if extra_sheet:
        other = book.create_sheet(extra_sheet[0])
        for row in extra_sheet[1]:
            other.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_merged_cells_are_rejected(url):
    content = workbook_bytes([["organisation", "metric", "period", "value"],
                              ["demo-ekbacka", "ideas_delivered", "2025-Q1", 3],
                              [None, "media_stories", "2025-Q1", 2]], merge="A2:A3")
    problem = only(plan(url, content, "figures.xlsx"))
    assert problem.key == "import.merged_cells"
    assert "Blad1" in describe_problem(problem, "en")


def test_formulas_are_rejected_with_their_cell(url):
    content = workbook_bytes([["organisation", "metric", "period", "value"],
                              ["demo-ekbacka", "ideas_delivered", "2025-Q1", "=1+2"]])
    problem = only(plan(url, content, "figures.xlsx"))
    assert (problem.row, problem.column, problem.value, problem.key) == (2, "value", "=1+2", "import.formula")


def test_first_sheet_or_a_named_one(url):
    content = workbook_bytes([["x"]], title="Notes", extra_sheet=("Värden", [
        ["organisation", "metric", "period", "value"], ["demo-ekbacka", "ideas_delivered", "2025-Q1", 3]]))
    assert not plan(url, content, "figures.xlsx").ok
    named = plan(url, content, "figures.xlsx", sheet="Värden")
    assert named.ok
    assert named.figures[0].value == 3.0
    problem = only(plan(url, content, "figures.xlsx", sheet="Data"))
    assert describe_problem(problem, "en") == "The sheet Data is not in the workbook. The sheets are called: Notes, Värden."


def test_an_xlsx_date_cell_in_the_period_column(url):
    import datetime as dt

    content = workbook_bytes([["organisation", "metric", "period", "value"],
                              ["demo-ekbacka", "ideas_delivered", dt.datetime(2025, 1, 1), 3]])
    assert only(plan(url, content, "figures.xlsx")).key == "import.period_is_date"


def test_over_the_upload_limit_is_refused_before_parsing(url):
    problem = only(plan(url, b"\x00" * 2_000_001, max_bytes=1_000_000))
    assert problem.key == "import.too_large"  # not "not a table": it was never read
    assert describe_problem(problem, "en").startswith("The file is 2 MB; this page accepts at most 1 MB.")


def test_every_problem_is_listed_not_just_the_first(url):
    result = plan(url, HEADER + line(value="abc") + line(period="2025-Q2", value="101") + line(period="Q9"))
    assert [(p.row, p.column) for p in result.problems] == [(2, "value"), (3, "value"), (4, "period")]


@pytest.mark.parametrize(("text", "number"), [
    ("40", 40.0), ("12.5", 12.5), ("12,5", 12.5), ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5),
    ("1\u202f234", 1234.0), ("87,5 %", 87.5), ("87.5%", 87.5), ("1,234", 1.234), ("1,234.5", 1234.5),
    ("\u22123", -3.0), ("-0,5", -0.5), ("1e3", 1000.0),
])
def test_numbers_in_swedish_and_english_spellings(text, number):
    assert read_number(text) == number


@pytest.mark.parametrize("text", ["abc", "1.2.3", "ca 40", "n/a", "", "1,2,3", "12 5,5,5"])
def test_not_numbers(text):
    assert parse_number(text) is None


def test_the_swedish_reading_of_1_234_is_shown_for_checking(url):
    result = plan(url, HEADER + line(value='"1,234"'))
    assert result.ok
    assert result.figures[0].value == 1.234
    (notice,) = result.notices
    assert describe_problem(notice, "en") == (
        "Row 2, column value, «1,234»: 1,234 is read with a decimal comma as 1.234, not as 1,234. "
        "If you meant thousands, write the number without a comma."
    )


def test_utf8_with_bom_and_windows_1252_read_without_mojibake(url):
    text = "organisation;metric;period;value;status;comment\nSjöviks kommun;ideas_delivered;2025 K1;3;uppskattad;Påverkat\n"
    for content in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("cp1252"), text.replace(";", "\t").encode()):
        result = plan(url, content)
        assert result.ok, result.problems
        assert (result.figures[0].status, result.figures[0].comment) == ("estimated", "Påverkat")


def test_formula_like_comments_are_stored_verbatim_after_an_exports_prefix(url):
    hyperlink = "\"'=HYPERLINK(\"\"http://x\"\",\"\"klick\"\")\""
    result = plan(url, HEADER + line(comment=hyperlink) + line(metric="ideas_delivered", value="3", comment="@SUM(A1)"))
    assert result.ok
    assert [f.comment for f in result.figures] == ['=HYPERLINK("http://x","klick")', "@SUM(A1)"]


def test_wide_template_round_trip_changes_nothing_and_one_edit_changes_one(url):
    with reading(url) as session:
        organisation_id = session.execute(select(Measurement.organisation_id).limit(1)).scalar_one()
        frame = wide_template_frame(session=session, organisation_id=organisation_id, last=Quarter(2025, 3))
    assert list(frame.columns) == ["organisation", "metric", "name", "unit", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"]
    assert len(frame) == 18
    for content, name in ((to_csv_bytes(frame), "mall.csv"), (to_xlsx_bytes(frame), "mall.xlsx")):
        result = plan(url, content, name)
        assert result.ok, result.problems[:3]
        assert result.layout == "wide"
        assert (result.count("new"), result.count("changed")) == (0, 0)
    filled = frame["2025-Q3"] != ""
    index = filled[filled].index[0]
    frame.loc[index, "2025-Q3"] = "1"
    result = plan(url, to_csv_bytes(frame), "mall.csv")
    assert result.count("changed") == 1


def test_wide_template_problems_point_at_the_quarter_column(url):
    content = "organisation,metric,name,2025-Q1,2025-Q2\ndemo-ekbacka,customer_satisfaction,Kundnöjdhet,70,abc\n"
    problem = only(plan(url, content))
    assert (problem.row, problem.column, problem.value) == (2, "2025-Q2", "abc")


def test_a_large_file_is_planned_with_one_query_for_the_stored_figures(url):
    with reading(url) as session:
        frame = long_format_frame(session=session)
    content = to_csv_bytes(frame)
    statements = []
    from sqlalchemy import event

    from data.db import get_engine

    def count(*_args):
        statements.append(1)

    event.listen(get_engine(url), "before_cursor_execute", count)
    try:
        result = plan(url, content)
    finally:
        event.remove(get_engine(url), "before_cursor_execute", count)
    assert result.ok
    assert result.rows == len(frame) > 2000
    assert len(statements) <= 4  # organisations, metrics, stored figures — not one per row


ONE_FIGURE = (HEADER + "demo-ekbacka,ideas_delivered,2019-Q1,5,,\n").encode()


def test_commit_writes_all_or_nothing_and_refuses_a_stale_preview(db_url):
    prepare_database(db_url, demo_if_empty=True, today=TODAY)
    with reading(db_url) as session:
        metric = {m.code: m.id for m in list_metrics(session=session)}["ideas_delivered"]
        preview = plan_import(session=session, content=ONE_FIGURE, file_name="x.csv", today=TODAY)
        organisation_id = preview.figures[0].organisation_id
    with writing(db_url) as session:  # someone enters the same figure between preview and confirm
        save_figures(session=session, actor=SYSTEM, via="form", today=TODAY,
                     figures=[Figure(organisation_id, metric, Quarter(2019, 1), 6.0)])
    from data.figures import FigureConflict

    with pytest.raises(FigureConflict), writing(db_url) as session:
        commit_import(session=session, actor=SYSTEM, plan=preview)
    with reading(db_url) as session:
        fresh = plan_import(session=session, content=ONE_FIGURE, file_name="x.csv", today=TODAY)
    assert fresh.count("changed") == 1
    with writing(db_url) as session:
        result = commit_import(session=session, actor=SYSTEM, plan=fresh)
    assert result.changed == 1


def test_excels_sep_hint_line_names_the_delimiter(url):
    result = plan(url, "sep=;\norganisation;metric;period;value\ndemo-ekbacka;ideas_delivered;2025-Q1;abc\n")
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.value) == (2, "value", "abc")


def test_a_quoted_comment_over_several_lines_is_one_row(url):
    result = plan(url, HEADER + 'demo-ekbacka,customer_satisfaction,2025-Q1,70,,"rad ett\nrad två"\n' + line(value="x"))
    (problem,) = result.problems
    assert problem.row == 3


def test_known_texts_repeated_still_get_every_check(url):
    """The importer remembers the readings of texts it has seen; a later row with a known
    organisation, metric and quarter is still checked for its own duplicate, value, status and comment."""
    good = "demo-ekbacka,ideas_delivered,2024-Q1,5,uppmätt,\n"
    result = plan(url, HEADER + good + "demo-ekbacka,ideas_delivered,2024-Q2,5,uppmätt,\n" + good
                  + "demo-ekbacka,ideas_delivered,2024-Q3,5,bogus,\n"
                  + "demo-ekbacka,ideas_delivered,2024-Q4,1,234,uppmätt\n"
                  + "demo-ekbacka,ideas_delivered,2023-Q4,5,uppmätt," + "x" * 2001 + "\n"
                  + "demo-ekbacka,ideas_delivered,2023-Q3,-5,uppmätt,\n"
                  + "demo-ekbacka,ideas_delivered,2023-Q2,5,uppmätt,'=1+1\n")
    found = [(p.row, p.column, p.key) for p in result.problems]
    assert found == [(4, "period", "import.duplicate_rows"), (5, "status", "import.unknown_status"),
                     (6, "status", "import.unknown_status"), (7, "comment", "comment.too_long"),
                     (8, "value", "value.below_min")]


def test_repeated_value_texts_read_alike_and_keep_their_notice(url):
    rows = "".join(f"demo-ekbacka,customer_satisfaction,2024-Q{q},\"1,5\",,\n" for q in (1, 2, 3))
    rows += "".join(f"demo-ekbacka,customer_satisfaction,2023-Q{q},\"1,234\",,\n" for q in (1, 2))
    result = plan(url, HEADER + rows)
    assert result.ok
    assert [f.value for f in result.figures] == [1.5, 1.5, 1.5, 1.234, 1.234]
    assert [(n.row, n.key) for n in result.notices] == [(5, "import.comma_is_decimal"), (6, "import.comma_is_decimal")]


def test_import_file_plans_and_stores_in_one_transaction(db_url):
    from data.importing.committing import import_file

    prepare_database(db_url, demo_if_empty=True, today=TODAY)
    before = rows_written(db_url)
    content = (HEADER + "demo-ekbacka,ideas_delivered,2019-Q1,5,,\ndemo-ekbacka,ideas_delivered,2019-Q2,6,,\n").encode()
    with writing(db_url) as session:
        made, stored = import_file(session=session, actor=SYSTEM, content=content, file_name="x.csv", today=TODAY)
    assert made.ok
    assert stored is not None
    assert (stored.created, stored.unchanged) == (2, 0)
    assert rows_written(db_url) == (before[0] + 2, before[1] + 2)
    with writing(db_url) as session:
        _again, stored = import_file(session=session, actor=SYSTEM, content=content, file_name="x.csv", today=TODAY)
    assert stored is not None
    assert (stored.written, stored.unchanged) == (0, 2)
    bad = (HEADER + "demo-ekbacka,ideas_delivered,2019-Q3,abc,,\n").encode()
    with writing(db_url) as session:
        refused, stored = import_file(session=session, actor=SYSTEM, content=bad, file_name="x.csv", today=TODAY)
    assert stored is None
    assert refused.problems[0].key == "import.bad_value"
    assert rows_written(db_url) == (before[0] + 2, before[1] + 2)


def test_a_large_stale_preview_is_a_conflict_and_writes_nothing(db_url):
    """Over 1000 figures the checks run on distinct values; a conflict still stops the whole file."""
    from data.figures import FigureConflict

    prepare_database(db_url, demo_if_empty=True, today=TODAY)
    with reading(db_url) as session:
        metrics = list_metrics(session=session)
    lines = [f"demo-ekbacka,{m.code},{1990 + i // 4}-Q{i % 4 + 1},{(m.min_value or 0) + 1},,\n"
             for m in metrics for i in range(80)]
    content = (HEADER + "".join(lines)).encode()
    with reading(db_url) as session:
        preview = plan_import(session=session, content=content, file_name="x.csv", today=TODAY)
    assert preview.ok, preview.problems[:3]
    assert preview.count("new") == len(lines) > 1000
    organisation_id, metric_id = preview.figures[0].organisation_id, preview.figures[0].metric_id
    before = rows_written(db_url)
    with writing(db_url) as session:
        save_figures(session=session, actor=SYSTEM, via="form", today=TODAY,
                     figures=[Figure(organisation_id, metric_id, Quarter(2000, 1), preview.figures[40].value + 1)])
    with pytest.raises(FigureConflict) as raised, writing(db_url) as session:
        commit_import(session=session, actor=SYSTEM, plan=preview)
    assert [c.figure.quarter for c in raised.value.conflicts] == [Quarter(2000, 1)]
    assert rows_written(db_url) == (before[0] + 1, before[1] + 1)
