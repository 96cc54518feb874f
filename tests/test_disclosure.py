"""Who may see what, walked through every output as the demo viewer of Granlunda (demo-viewer).

The attack of issue 11 (finding 2) and issue 13: a viewer chose Sjöviks kommun (not opted in) in the
sidebar and read all of its data, exported every organisation's figures, read names from import
suggestions, and the board pack printed peer medians the pages hid. Here every output the viewer
can reach is collected — page text, chart JSON, the detail CSV, the board pack as PDF text, PPTX
XML and XLSX cells, "Exportera alla", import messages — and searched.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import openpyxl
import pandas as pd
from pypdf import PdfReader

from data.actors import Actor
from data.catalogue_store import list_metrics
from data.db import reading
from data.importing.planning import plan_import
from data.organisations import list_organisations
from data.settings import get_settings
from data.versioning import read_data_version
from metrics.disclosure import Rule, Viewer, anonymous_shown, disclosed_rows, openable, peer_statistics
from metrics.periods import Quarter
from tests.apptest_support import open_app, shown_text, sign_in_token

HIDDEN = "Sjöviks kommun"  # a demo organisation that has not opted in to named comparison
PAGES = ("overview", "metric_detail", "history", "targets", "board", "entry", "submissions", "import_data", "compare")
PEER_MARKS = re.compile(r"Median i jämförelsegruppen: [0-9]|Median, jämförelsegrupp|Kvartilavstånd i jämförelsegruppen")


def by_code(url):
    with reading(url) as session:
        return {o.code: o for o in list_organisations(session=session)}


def demo_viewer(url) -> Actor:
    return Actor("demo-viewer", "viewer", frozenset({by_code(url)["demo-granlunda"].id}))


def everything_on(at) -> str:
    """Every text, table, metric, chart spec and widget option on the page, the sidebar included."""
    parts = [shown_text(at)]
    parts += [d.value.to_csv() for d in at.dataframe] + [h.value for h in at.get("html")]
    parts += [str(m.label) + str(m.value) + str(m.delta) for m in at.metric]
    parts += [c.proto.spec for c in at.get("plotly_chart")]
    for kind in ("selectbox", "multiselect", "radio", "segmented_control"):
        parts += [" ".join(map(str, getattr(w, "options", []))) for w in getattr(at, kind)]
    return "\n".join(parts)


def trace_names(at) -> list[str]:
    """The names of every chart's traces and the texts of its annotations (the ranking's median line)."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return [str(trace.get("name", "")) for spec in specs for trace in spec["data"]] + \
        [str(note.get("text", "")) for spec in specs for note in spec.get("layout", {}).get("annotations", [])]


def walk_pages(url, monkeypatch) -> tuple[str, list[str], list[str]]:
    """Every page (and Jämför's views and the year mode) as demo-viewer: text, chart traces, sidebar options."""
    at = open_app(url, monkeypatch, actor=demo_viewer(url))
    sidebar = list(at.selectbox(key="context_organisation").options)
    seen, traces = [], []
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        seen.append(everything_on(at))
        traces += trace_names(at)
    for view in ("trends", "heatmap", "scatter"):
        at.segmented_control(key="compare_view").set_value(view).run()
        if view == "trends":
            at.toggle(key="compare_everyone").set_value(True).run()
        seen.append(everything_on(at))
    at.segmented_control(key="compare_view").set_value("ranking").run()
    for kinds in (["bolag"], ["kommun"]):  # finding 7: a filter down to one organisation
        at.multiselect(key="compare_kinds").set_value(kinds).run()
        seen.append(everything_on(at))
        traces += trace_names(at)
    at.switch_page("app_pages/metric_detail.py").run()
    at.segmented_control(key="detail_mode").set_value("year").run()
    seen.append(everything_on(at))
    traces += trace_names(at)
    return "\n".join(seen), traces, sidebar


def downloads(url, monkeypatch) -> dict[str, str]:
    """Every download the viewer's pages offer, as searchable text: board pack (PDF text, PPTX XML,
    XLSX cells, CSV), "Exportera alla" and the organisation's export, and the detail CSV.
    The viewer is signed in (a real sign-in record): a download is made only for a live sign-in."""
    from ui import board, importing
    from ui.detail import csv_bytes, detail_frame
    from ui.page import PageContext
    from ui.signin import TOKEN_KEY

    actor = demo_viewer(url)
    monkeypatch.setattr("ui.downloads.st.session_state", {TOKEN_KEY: sign_in_token(url, actor)})
    with reading(url) as session:
        organisations = list_organisations(session=session)
        metrics = list_metrics(session=session)
        version = read_data_version(session)
    own = next(o for o in organisations if o.code == "demo-granlunda")
    context = PageContext(url=url, version=version, language="sv", actor=actor, organisation=own,
                          quarter=Quarter.last_completed(), metrics=metrics, organisations=organisations,
                          rule=get_settings().disclosure_rule)
    made = {kind: item.make() for kind, item in board.downloads(context, None).items()}
    texts = {
        "pdf": "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(made["pdf"])).pages),
        "pptx": "\n".join(zipfile.ZipFile(io.BytesIO(made["pptx"])).read(n).decode("utf-8")
                          for n in zipfile.ZipFile(io.BytesIO(made["pptx"])).namelist() if n.endswith(".xml")),
        "xlsx": _cells(made["xlsx"]), "csv": made["csv"].decode("utf-8"),
        "export_all": _cells(importing.export_bytes(context, "xlsx", False)),
        "export_own": importing.export_bytes(context, "csv", True).decode("utf-8"),
    }
    with reading(url) as session:
        from data.figures import figures_frame
        everyone = figures_frame(session=session)
    metric = next(m for m in metrics if m.code == "customer_satisfaction")
    frame = detail_frame(context, metric, everyone[everyone["organisation_id"] == own.id],
                         everyone[everyone["metric_id"] == metric.id], everyone.iloc[0:0], "quarter")
    texts["detail_csv"] = csv_bytes(frame, metric, own.code).decode("utf-8")
    texts["detail_medians"] = str(int(frame["median"].notna().sum()))
    return texts


def _cells(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = (row for sheet in book for row in sheet.iter_rows(values_only=True))
    return "\n".join(" ".join("" if v is None else str(v) for v in row) for row in rows)


def test_above_the_number_of_organisations_no_peer_statistic_and_no_hidden_name_appears_anywhere(app_db, monkeypatch):
    monkeypatch.setenv("EFFEKT_PEER_MINIMUM", "100")
    text, traces, sidebar = walk_pages(app_db, monkeypatch)
    assert sidebar == ["Granlunda kommun"]  # the viewer opens only its own organisation
    assert HIDDEN not in text
    assert "Sjövik" not in text
    assert "Anonym organisation" not in text  # 12 organisations never meet a minimum of 100
    assert ("Jämförelsegruppens median visas bara för perioder där minst 100 organisationer har rapporterat "
            "uppmätta värden.") in text
    assert not PEER_MARKS.search(text)
    assert not [name for name in traces if name in ("median", "kvartilavstånd", "Median i jämförelsegruppen",
                                                    "Kvartilavstånd i jämförelsegruppen")]
    files = downloads(app_db, monkeypatch)
    assert files["detail_medians"] == "0"
    for name, content in files.items():
        assert HIDDEN not in content, name
        assert "Sjövik" not in content, name
        assert not PEER_MARKS.search(content), name
    assert "Median i jämförelsegruppen: visas inte" in files["pdf"].replace("\n", " ")
    granlunda_rows = [line for line in files["export_all"].splitlines()[1:] if line]
    assert granlunda_rows
    assert all(line.startswith("demo-granlunda ") for line in granlunda_rows)


def test_with_the_default_rule_the_peer_statistics_appear_and_still_no_hidden_name(app_db, monkeypatch):
    monkeypatch.delenv("EFFEKT_PEER_MINIMUM", raising=False)
    text, traces, sidebar = walk_pages(app_db, monkeypatch)
    assert sidebar == ["Granlunda kommun"]
    assert HIDDEN not in text
    assert "Sjövik" not in text
    assert "Anonym organisation" in text  # the anonymous peers are there, in sets that meet the minimum
    assert "Median i jämförelsegruppen" in traces
    assert "median" in traces
    files = downloads(app_db, monkeypatch)
    assert int(files["detail_medians"]) > 0
    for name, content in files.items():
        assert HIDDEN not in content, name
        assert "Sjövik" not in content, name
    assert re.search(r"Median i jämförelsegruppen: [0-9]", files["pdf"] + files["pptx"])


def test_import_messages_never_name_an_organisation_the_viewer_may_not_name(app_db, monkeypatch):
    viewer = demo_viewer(app_db)
    near = "organisation,metric,period,value\nSjöwiks kommun,customer_satisfaction,2024-Q1,50\n".encode()
    with reading(app_db) as session:
        as_viewer = plan_import(session=session, actor=viewer, content=near, file_name="x.csv")
        as_admin = plan_import(session=session, content=near, file_name="x.csv")
    suggested = as_viewer.problems[0].params.get("suggestions", "")
    assert HIDDEN not in suggested
    assert "demo-sjovik" not in suggested
    assert "Sjöviks kommun" in as_admin.problems[0].params["suggestions"]  # the check can see the name
    at = open_app(app_db, monkeypatch, page="import_data", actor=viewer)
    exact = b"organisation,metric,period,value\ndemo-sjovik,customer_satisfaction,2024-Q1,50\n"
    at.file_uploader(key="import_file").upload("x.csv", exact, "text/csv").run()
    assert [e.value for e in at.error] == [
        "Filen ändrar värden för organisationer som du inte får ändra: 1 annan organisation. Inget har sparats."]
    assert HIDDEN not in everything_on(at)
    at.file_uploader(key="import_file").upload("y.csv", near, "text/csv").run()
    assert HIDDEN not in everything_on(at)
    assert "Sjövik" not in at.dataframe[0].value.to_csv()


# --- the rule itself --------------------------------------------------------------------------------

ORGS = [type("O", (), {"id": i, "name": n, "named_comparison": opted, "peer_group": "g"})()
        for i, n, opted in ((1, "Own", False), (2, "Opted", True), (3, "Other", False), (4, "Fourth", False))]


def test_a_filter_down_to_one_anonymous_organisation_shows_no_single_value():
    viewer = Viewer("viewer", frozenset({1}))
    one = pd.DataFrame({"organisation_id": [3], "value": [45.6], "status": ["preliminary"]})
    assert disclosed_rows(viewer, ORGS, one, Rule(5, True)).empty
    assert disclosed_rows(Viewer("admin"), ORGS, one, Rule(5, True))["value"].tolist() == [45.6]
    four = pd.DataFrame({"organisation_id": [1, 2, 3, 4], "value": [1.0, 2.0, 3.0, 4.0],
                         "status": ["measured", "measured", "measured", "estimated"]})
    assert disclosed_rows(viewer, ORGS, four, Rule(5, True))["organisation_id"].tolist() == [1, 2]
    assert disclosed_rows(viewer, ORGS, four, Rule(3, True))["organisation_id"].tolist() == [1, 2, 3]  # estimate left out
    assert disclosed_rows(viewer, ORGS, four, Rule(3, False))["organisation_id"].tolist() == [1, 2, 3, 4]
    assert [o.id for o in anonymous_shown(viewer, ORGS, Rule(5, True))] == [1, 2]
    assert peer_statistics(four, Rule(3, True)).median == 2.0
    assert not peer_statistics(four, Rule(4, True)).disclosed


def test_viewers_and_editors_open_their_own_organisations_and_administrators_all():
    assert [o.name for o in openable(Viewer("viewer", frozenset({1})), ORGS)] == ["Own"]
    assert [o.name for o in openable(Viewer("editor", frozenset({1, 3})), ORGS)] == ["Own", "Other"]
    assert [o.name for o in openable(Viewer("admin"), ORGS)] == ["Own", "Opted", "Other", "Fourth"]
