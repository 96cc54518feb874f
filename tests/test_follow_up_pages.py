"""Översikt, metric detail, Mål and Jämför through AppTest on the demo data: numbers and words shown."""

from __future__ import annotations

import json
import re

import pytest

from data.actors import Actor
from data.bootstrap import prepare_database
from data.db import reading
from data.figures import figures_frame
from data.organisations import list_organisations
from data.targets import targets_frame
from metrics.numbers import read_number
from metrics.periods import Quarter
from metrics.targets import propose_10x_target
from tests.apptest_support import html_tables, open_app, shown_text
from ui.formatting import input_text

HIDDEN = "Sjöviks kommun"  # a demo organisation that has not opted in to named comparison


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('follow') / 'app.db'}"
    prepare_database(url, demo_if_empty=True)
    return url


def organisations(url):
    with reading(url) as session:
        return {o.code: o for o in list_organisations(session=session)}


def everything_shown(at) -> str:
    """Every text, table, chart and main-area widget option a person could read."""
    parts = [shown_text(at)]
    parts += [d.value.to_csv() for d in at.dataframe] + [h.value for h in at.get("html")]
    parts += [str(m.label) + str(m.value) + str(m.delta) for m in at.metric]
    parts += [c.proto.spec for c in at.get("plotly_chart")]
    for kind in ("selectbox", "multiselect"):
        parts += [" ".join(map(str, w.options)) for w in getattr(at, kind)]  # the sidebar's too
    return "\n".join(parts)


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


# --- Översikt -------------------------------------------------------------------------------------

def test_overview_cards_show_value_both_changes_and_target_status(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="overview")
    first = sorted(organisations(app_db).values(), key=lambda o: o.name)[0]
    with reading(app_db) as session:
        figures = figures_frame(session=session, organisation_ids=[first.id])
        targets = targets_frame(session=session, organisation_ids=[first.id])
    quarter = Quarter.last_completed()
    ideas = figures[(figures["metric_id"] == 2) & (figures["period"] == quarter.index)]
    card = next(m for m in at.metric if m.label == "Levererade idéer")
    if len(ideas):
        assert card.value == f"{int(ideas['value'].iloc[0])}"
    text = shown_text(at)
    assert text.count("Mot samma kvartal i fjol:") == 18
    assert len(targets) >= 3  # the demo gives every organisation targets
    assert re.search(r"Mål: <span style=\"color:#(007A58|8F5F00|B34E00|666666);font-weight:600\">[✓!✗–] "
                     r"(i fas|risk|ej i fas|uppgift saknas)</span>", text)
    table = html_tables(at)[0]
    assert "Målstatus" in table.columns
    assert (table["Målstatus"] != "–").sum() == targets["metric_id"].nunique()


def test_hardest_first_puts_off_track_metrics_before_the_rest(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="overview")
    at.segmented_control(key="overview_order").set_value("hardest").run()
    statuses = [s.split(" · ")[0] for s in html_tables(at)[0]["Målstatus"]]  # the planned target leads
    ranks = [0 if "ej i fas" in s else 1 if "risk" in s else 2 for s in statuses]
    assert ranks == sorted(ranks)
    assert ranks[0] in (0, 1)


def test_the_year_view_aggregates_and_says_how_many_quarters_a_year_holds(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="overview")
    at.segmented_control(key="overview_mode").set_value("year").run()
    assert not at.exception
    quarter = Quarter.last_completed()
    assert str(quarter.year) in at.caption[0].value
    table = html_tables(at)[0]
    assert "Förändring mot föregående år" in table.columns
    first = sorted(organisations(app_db).values(), key=lambda o: o.name)[0]
    with reading(app_db) as session:
        figures = figures_frame(session=session, organisation_ids=[first.id])
    ideas = figures[(figures["metric_id"] == 2) & (figures["period"] // 4 == quarter.year)]
    row = table[table["Mätetal"] == "Levererade idéer"].iloc[0]
    assert row["Värde"] == f"{int(ideas['value'].sum())}"  # counts add up over the year
    assert row["Kvartal"] == f"{len(ideas)} av 4 kvartal"


# --- metric detail ----------------------------------------------------------------------------------

def test_metric_detail_shows_the_series_trajectory_peer_median_and_csv(app_db, monkeypatch):
    orgs = organisations(app_db)
    first = sorted(orgs.values(), key=lambda o: o.name)[0]
    with reading(app_db) as session:
        targets = targets_frame(session=session, organisation_ids=[first.id])
        everyone = figures_frame(session=session)
    metric_id = int(targets[targets["kind"] == "planned"]["metric_id"].iloc[0])
    at = open_app(app_db, monkeypatch, page="metric_detail")
    from data.catalogue_store import list_metrics
    with reading(app_db) as session:
        metric = next(m for m in list_metrics(session=session) if m.id == metric_id)
    at.selectbox(key="detail_metric").set_value(metric.code).run()
    assert not at.exception
    assert at.title[0].value == metric.name_sv
    table = next(d for d in html_tables(at) if "Period" in d.columns)
    quarter = Quarter.last_completed()
    own = everyone[(everyone["organisation_id"] == first.id) & (everyone["metric_id"] == metric_id)]
    latest = own[own["period"] == quarter.index]
    row = table[table["Period"] == quarter.label("sv")].iloc[0]
    if len(latest):
        assert row["Värde"].split("\u00a0")[0].replace(",", ".").replace("\u00a0", "") == \
            f"{latest['value'].iloc[0]:.{metric.decimals}f}"
    # the peer median of the organisation's peer group, measured figures only, at least five
    group = {o.id for o in orgs.values() if o.peer_group == first.peer_group}
    peers = everyone[(everyone["metric_id"] == metric_id) & (everyone["period"] == quarter.index)
                     & everyone["organisation_id"].isin(group) & (everyone["status"] != "estimated")]
    if len(peers) >= 5:
        assert row["Median i jämförelsegruppen"].startswith(f"{peers['value'].median():.{metric.decimals}f}".replace(".", ","))
    else:
        assert row["Median i jämförelsegruppen"] == "–"
    target = targets[(targets["metric_id"] == metric_id) & (targets["kind"] == "planned")].iloc[0]
    target_label = Quarter.from_index(int(target["target_period"])).label("sv")
    assert table["Period"].iloc[-1] == target_label  # the axis runs to the target quarter
    assert table["Målbana"].iloc[-1] != "–"
    names = [trace.get("name") for trace in charts(at)[0]["data"]]
    assert "Målbana" in names and first.name in names
    assert at.get("download_button")


def test_a_card_link_opens_the_detail_of_its_metric(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch)
    at.query_params["metric"] = "priority_lead_time"
    at.switch_page("app_pages/metric_detail.py").run()
    assert not at.exception
    assert at.title[0].value == "Ledtid i prioriterade flöden"


# --- Mål ----------------------------------------------------------------------------------------------

def test_targets_page_saves_a_target_with_the_10x_proposal(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="targets")
    assert not at.exception
    summary = html_tables(at)[0]
    assert {"Måluppfyllelse", "Takt som krävs", "Prognos vid målkvartalet", "Nås i nuvarande takt", "Målstatus"} <= set(
        summary.columns)
    assert set(summary["Målstatus"]) <= {"✓ i fas", "! risk", "✗ ej i fas", "– uppgift saknas"}
    at.selectbox(key="targets_metric").set_value("api_opening_time").run()
    at.segmented_control(key="targets_kind").set_value("10x").run()
    baseline = read_number(at.text_input(key="targets_baseline_value").value, "sv")
    assert baseline is not None
    at.button(key="targets_propose").click().run()
    assert read_number(at.text_input(key="targets_value").value, "sv") == round(baseline / 10)  # lower is better: ÷ 10
    at.text_input(key="targets_owner").set_value("CIO")
    at.button(key="targets_save").click().run()
    assert not at.exception
    assert "Målet är sparat." in shown_text(at)
    saved = html_tables(at)[0]
    row = saved[(saved["Mätetal"] == "Tid att öppna ett API") & (saved["Sorts mål"] == "10x-mål")].iloc[0]
    assert row["Ansvarig"] == "CIO"
    assert row["Målvärde (målkvartal)"].startswith(f"{round(baseline / 10)}\u00a0dagar")
    assert len(at.metric) == 5  # progress, pace, forecast, reached, status of the chosen target


def test_a_target_pointing_the_wrong_way_is_refused_with_the_reason(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="targets")
    at.selectbox(key="targets_metric").set_value("customer_satisfaction").run()
    at.segmented_control(key="targets_kind").set_value("planned").run()
    baseline = read_number(at.text_input(key="targets_baseline_value").value, "sv")
    at.text_input(key="targets_value").set_value(input_text(max(baseline - 5, 0.0), "sv"))
    at.button(key="targets_save").click().run()
    assert "Målvärdet pekar åt fel håll" in shown_text(at)


def test_a_viewer_cannot_change_targets(app_db, monkeypatch):
    first = sorted(organisations(app_db).values(), key=lambda o: o.name)[0]
    at = open_app(app_db, monkeypatch, page="targets", actor=Actor("vera", "viewer", frozenset({first.id})))
    at.selectbox(key="targets_metric").set_value("ideas_delivered").run()
    at.segmented_control(key="targets_kind").set_value("10x").run()
    baseline = read_number(at.text_input(key="targets_baseline_value").value, "sv")
    assert read_number(at.text_input(key="targets_value").value, "sv") == propose_10x_target_for_ideas(baseline)
    assert "Du kan läsa men inte ändra uppgifterna för den här organisationen." in shown_text(at)
    assert at.button(key="targets_save").disabled and at.button(key="targets_propose").disabled
    # A save that got past the page is refused in the data layer (tests/test_permissions.py).


def propose_10x_target_for_ideas(baseline):
    from metrics.catalogue import load_builtin_catalogue
    ideas = next(m for m in load_builtin_catalogue() if m.code == "ideas_delivered")
    return propose_10x_target(ideas, baseline)


# --- Jämför -----------------------------------------------------------------------------------------

def test_compare_normalises_counts_and_lists_organisations_without_a_denominator(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="compare")
    at.selectbox(key="compare_metric").set_value("ideas_delivered").run()
    at.selectbox(key="compare_basis").set_value("inhabitants").run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "Saknar uppgift om antal invånare" in warning
    for agency in ("Tillståndsverket", "Registerverket", "Kustnät AB"):  # no population on record
        assert agency in warning
    orgs = organisations(app_db)
    quarter = Quarter.last_completed()
    with reading(app_db) as session:
        figures = figures_frame(session=session, metric_ids=[2], first=quarter, last=quarter)
    ekbacka = orgs["demo-ekbacka"]
    mine = figures[figures["organisation_id"] == ekbacka.id]
    table = at.dataframe[0].value
    assert set(table["Status"]) <= {"uppmätt", "uppskattad", "preliminär"}
    assert len(table) == figures["organisation_id"].isin([o.id for o in orgs.values() if o.population]).sum()
    if len(mine):
        expected = mine["value"].iloc[0] / 61000 * 10000
        shown = table[table["Organisation"] == "Ekbacka kommun"]["Värde"].iloc[0]
        assert shown == f"{expected:.2f}".replace(".", ",")


def test_compare_heatmap_and_scatter_show_every_organisation_in_scope(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="compare")
    at.segmented_control(key="compare_view").set_value("heatmap").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 12 and len(table.columns) == 19
    words = set(table.iloc[:, 1:].to_numpy().ravel()) - {""}
    assert words <= {"✓ i fas", "! risk", "✗ ej i fas", "– uppgift saknas"} and "✓ i fas" in words
    heat = charts(at)[0]["data"][0]
    assert heat["type"] == "heatmap" and heat["texttemplate"] == "%{text}"
    at.segmented_control(key="compare_heat_by").set_value("change").run()
    assert set(at.dataframe[0].value.iloc[:, 1:].to_numpy().ravel()) <= {"bättre", "sämre", "oförändrat", "uppgift saknas"}
    at.segmented_control(key="compare_view").set_value("scatter").run()
    assert charts(at)[0]["data"][0]["type"] == "scatter"
    assert "Digital mognad mot Förankrad vision" in at.caption[0].value


def test_compare_trends_draw_one_line_per_chosen_organisation_indexed_to_100(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="compare")
    at.segmented_control(key="compare_view").set_value("trends").run()
    at.toggle(key="compare_indexed").set_value(True).run()
    assert not at.exception
    lines = charts(at)[0]["data"]
    assert len(lines) == len(at.multiselect(key="compare_organisations").value) >= 2
    assert all(trace["type"] == "scatter" for chart in charts(at) for trace in chart["data"])  # SVG, never scattergl


def test_a_viewer_never_sees_the_name_of_an_organisation_that_did_not_opt_in(app_db, monkeypatch):
    orgs = organisations(app_db)
    assert not orgs["demo-sjovik"].named_comparison and orgs["demo-sjovik"].name == HIDDEN
    own = orgs["demo-ekbacka"]
    viewer = Actor("v", "viewer", frozenset({own.id}))
    at = open_app(app_db, monkeypatch, actor=viewer)
    assert at.selectbox(key="context_organisation").options == ["Ekbacka kommun"]  # only its own to open
    at.switch_page("app_pages/compare.py").run()
    seen = [everything_shown(at)]
    for code, basis in (("vision_alignment", None), ("ideas_delivered", "employees"), ("ideas_delivered", "inhabitants")):
        at.selectbox(key="compare_metric").set_value(code).run()
        if basis:
            at.selectbox(key="compare_basis").set_value(basis).run()
        seen.append(everything_shown(at))
    assert "Er placering:" in seen[0]
    for view in ("trends", "heatmap", "scatter"):
        at.segmented_control(key="compare_view").set_value(view).run()
        if view == "trends":
            at.toggle(key="compare_everyone").set_value(True).run()
            seen.append(everything_shown(at))
            at.toggle(key="compare_indexed").set_value(True).run()
        if view == "heatmap":
            seen.append(everything_shown(at))
            at.segmented_control(key="compare_heat_by").set_value("change").run()
        seen.append(everything_shown(at))
    for mode in ("year",):
        at.segmented_control(key="compare_mode").set_value(mode).run()
        seen.append(everything_shown(at))
    at.switch_page("app_pages/metric_detail.py").run()
    seen.append(everything_shown(at))
    assert not at.exception
    text = "\n".join(seen)
    assert "Anonym organisation" in text  # the peers are there, just not by name
    assert "Ekbacka kommun" in text and "Granlunda kommun" in text  # own and opted-in names are shown
    assert HIDDEN not in text and "Sjövik" not in text


def test_an_administrator_sees_every_name(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="compare")
    assert "Anonym organisation" not in everything_shown(at)
    at.segmented_control(key="compare_view").set_value("heatmap").run()
    assert HIDDEN in at.dataframe[0].value["Organisation"].tolist()  # the check above can see the name


def test_every_key_built_at_run_time_is_translated_in_both_languages():
    from ui.i18n import translate
    families = {
        "target.status": ("on_track", "at_risk", "off_track", "no_data"), "target.kind": ("planned", "10x", "none"),
        "progress.mode": ("quarter", "year"), "overview.order": ("catalogue", "hardest"),
        "overview.uncertain": ("preliminary", "estimated"), "compare.view": ("ranking", "trends", "heatmap", "scatter"),
        "compare.basis": ("none", "employees", "inhabitants"), "compare.missing": ("employees", "inhabitants"),
        "compare.heat_by": ("status", "change"), "targets.action": ("create", "change", "remove"),
        "detail.trajectory": ("planned", "10x"),
        "targets.error": ("quarter_order", "no_distance", "wrong_direction", "kind", "owner_too_long"),
    }
    keys = [f"{family}.{member}" for family, members in families.items() for member in members]
    params = {"baseline": "2024-Q1", "target": "2023-Q4", "kind": "x", "limit": 200, "names": "A"}
    for key in keys:
        for language in ("sv", "en"):
            assert translate(key, language, **params)


def test_the_follow_up_pages_speak_english_with_english_numbers(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="overview")
    at.segmented_control(key="language").set_value("en").run()
    assert "From same quarter last year:" in shown_text(at)
    assert "Target status" in html_tables(at)[0].columns
    at.switch_page("app_pages/metric_detail.py").run()
    at.selectbox(key="detail_metric").set_value("customer_satisfaction").run()
    at.segmented_control(key="detail_mode").set_value("year").run()
    assert not at.exception
    table = next(d for d in html_tables(at) if "Period" in d.columns)
    assert table["Period"].tolist()[-1] == str(Quarter.last_completed().year)
    assert any(re.fullmatch(r"\d+\.\d%", v) for v in table["Figure"])
    at.switch_page("app_pages/targets.py").run()
    assert {"Progress", "Pace needed", "Target status"} <= set(html_tables(at)[0].columns)
    at.switch_page("app_pages/compare.py").run()
    at.segmented_control(key="compare_mode").set_value("year").run()
    assert not at.exception
    assert f"{Quarter.last_completed().year}: " in at.caption[0].value and "organisations reported" in at.caption[0].value
