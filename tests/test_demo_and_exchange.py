"""Demo data, the long-format export and import, and their round trip."""

import pytest
from sqlalchemy import func, select

from data.actors import SYSTEM
from data.catalogue_store import list_metrics
from data.db import reading, writing
from data.demo import DEMO_ORGANISATIONS, has_demo_data, load_demo, remove_demo
from data.exporter import long_format_frame, to_csv_bytes, to_xlsx_bytes
from data.figures import Figure, figures_frame, save_figures
from data.importing.committing import commit_import
from data.importing.planning import plan_import
from data.models import MeasurementRevision
from data.organisations import NewOrganisation, add_organisations, list_organisations
from metrics.periods import Quarter
from tests.conftest import TODAY


def test_demo_data_has_twelve_invented_organisations_over_twelve_quarters(demo_url):
    with reading(demo_url) as session:
        organisations = list_organisations(session=session)
        figures = figures_frame(session=session)
        revisions = session.scalar(select(func.count(MeasurementRevision.id)))
    assert len(organisations) == 12
    assert all(o.is_demo for o in organisations)
    assert {o.kind for o in organisations} == {"kommun", "myndighet", "region", "bolag"}
    assert len({o.peer_group for o in organisations}) == 3
    assert figures["metric_id"].nunique() == 18
    quarters = sorted(figures["period"].unique())
    assert (Quarter.from_index(quarters[0]), Quarter.from_index(quarters[-1])) == (Quarter(2022, 4), Quarter(2025, 3))
    assert 0.9 * 12 * 18 * 12 < len(figures) < 12 * 18 * 12  # a few gaps, never all
    assert set(figures["status"]) == {"measured", "estimated", "preliminary"}
    assert (figures["comment"] != "").sum() > 10
    assert revisions == len(figures) + 2  # one more each for the demo editor's two comments (data.demo.DEMO_COMMENTS)


def test_demo_data_is_identical_across_two_loads(db_url, tmp_path):
    from data.bootstrap import prepare_database
    from data.db import dispose_engine

    other = f"sqlite:///{tmp_path / 'other.db'}"
    prepare_database(db_url, demo_if_empty=True, today=TODAY)
    prepare_database(other, demo_if_empty=True, today=TODAY)
    with reading(db_url) as a, reading(other) as b:
        assert to_csv_bytes(long_format_frame(session=a)) == to_csv_bytes(long_format_frame(session=b))
    dispose_engine(other)


def test_demo_data_can_be_removed_and_loaded_again(demo_url):
    with writing(demo_url) as session:
        assert remove_demo(session=session, actor=SYSTEM) == 12
    with reading(demo_url) as session:
        assert not has_demo_data(session=session)
        assert figures_frame(session=session).empty
    with writing(demo_url) as session:
        assert load_demo(session=session, actor=SYSTEM, today=TODAY).organisations == len(DEMO_ORGANISATIONS)


def test_export_is_canonical_long_format_text(ready_url):
    with writing(ready_url) as session:
        (a,) = add_organisations(
            session=session, actor=SYSTEM, organisations=[NewOrganisation("0180", "Exempelby kommun", "kommun")]
        )
        m = {x.code: x.id for x in list_metrics(session=session)}
        save_figures(session=session, actor=SYSTEM, via="form", today=TODAY, figures=[
            Figure(a, m["customer_satisfaction"], Quarter(2025, 1), 71.25, "measured", ""),
            Figure(a, m["customer_satisfaction"], Quarter(2025, 2), 73.0, "preliminary", "Enkät, första svaren"),
            Figure(a, m["ideas_delivered"], Quarter(2025, 2), 12.0, "estimated", "=HYPERLINK(\"http://x\",\"klick\")"),
        ])
    with reading(ready_url) as session:
        csv = to_csv_bytes(long_format_frame(session=session)).decode()
    assert csv == (
        "organisation,metric,period,value,status,comment\n"
        "0180,ideas_delivered,2025-Q2,12,estimated,\"'=HYPERLINK(\"\"http://x\"\",\"\"klick\"\")\"\n"
        "0180,customer_satisfaction,2025-Q1,71.25,measured,\n"
        "0180,customer_satisfaction,2025-Q2,73,preliminary,\"Enkät, första svaren\"\n"
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(demo_url, kind):
    with reading(demo_url) as session:
        frame = long_format_frame(session=session)
    content = to_csv_bytes(frame) if kind == "csv" else to_xlsx_bytes(frame)
    with writing(demo_url) as session:
        plan = plan_import(session=session, content=content, file_name=f"export.{kind}", today=TODAY)
        assert plan.ok, plan.problems[:3]
        assert (plan.count("new"), plan.count("changed"), plan.count("unchanged")) == (0, 0, len(frame))
        result = commit_import(session=session, actor=SYSTEM, plan=plan)
    assert result.written == 0


def test_a_file_with_one_changed_value_creates_exactly_one_revision(demo_url):
    with reading(demo_url) as session:
        frame = long_format_frame(session=session)
        before = session.scalar(select(func.count(MeasurementRevision.id)))
    frame.loc[0, "value"] = "1" if frame.loc[0, "value"] != "1" else "2"
    with writing(demo_url) as session:
        plan = plan_import(session=session, content=to_csv_bytes(frame), file_name="one.csv", today=TODAY)
        result = commit_import(session=session, actor=SYSTEM, plan=plan)
    assert (result.changed, result.created) == (1, 0)
    with reading(demo_url) as session:
        assert session.scalar(select(func.count(MeasurementRevision.id))) == before + 1
        last = session.scalars(select(MeasurementRevision).order_by(MeasurementRevision.id.desc())).first()
        assert (last.via, last.file_name, len(last.file_hash)) == ("import", "one.csv", 64)


def test_swedish_excel_csv_semicolons_decimal_commas_and_windows_1252(demo_url):
    content = "organisation;metric;period;value\nSjöviks kommun;customer_satisfaction;2025 K1;81,5\n".encode("cp1252")
    with reading(demo_url) as session:
        plan = plan_import(session=session, content=content, file_name="sv.csv", today=TODAY)
    assert plan.ok
    assert plan.figures[0].value == 81.5
    assert plan.figures[0].quarter == Quarter(2025, 1)
