"""Översikt, metric detail, Mål and Jämför through AppTest on the demo data: numbers and words shown."""

from __future__ import annotations

import json
import re

import pandas as pd

from data.actors import Actor
from data.db import reading
from data.organisations import list_organisations
from data.targets import targets_frame
from metrics.catalogue import load_builtin_catalogue
from metrics.numbers import read_number
from metrics.periods import Quarter
from metrics.targets import propose_10x_target
from presentation.formatting import format_number, input_text
from tests.apptest_support import html_tables, open_app, shown_text

HIDDEN = "Sjöviks kommun"  # a demo organisation that has not opted in to named comparison


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
        targets = targets_frame(session=session, organisation_ids=[first.id])
    assert first.name == "Björkhamns kommun"
    card = next(m for m in at.metric if m.label == "Levererade idéer")
    assert (card.value, card.delta) == ("33", "−3 (sämre)")
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
    table = html_tables(at)[0]
    statuses = [s.split(" · ")[0] for s in table["Målstatus"]]  # the planned target leads
    ranks = [0 if "ej i fas" in s else 1 if "risk" in s else 2 for s in statuses]
    assert ranks == sorted(ranks)
    assert table["Mätetal"].tolist()[:2] == ["Samverkan i ekosystemet", "Levererade idéer"]
    assert statuses[:2] == ["Mål: ✗ ej i fas", "Mål: ! risk"]


def test_the_year_view_aggregates_and_says_how_many_quarters_a_year_holds(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="overview")
    at.segmented_control(key="overview_mode").set_value("year").run()
    assert not at.exception
    assert at.caption[0].value == "Björkhamns kommun, 2025: varje mätetals värde och hur det har förändrats."
    table = html_tables(at)[0]
    assert "Förändring mot föregående år" in table.columns
    row = table.set_index("Mätetal").loc["Levererade idéer"]
    assert row["Värde"] == "103"  # counts add up over the year: 34 + 36 + 33
    assert row["Kvartal"] == "3 av 4 kvartal"
    assert row["Förändring mot föregående år"] == "−21 (sämre)"


# --- metric detail ----------------------------------------------------------------------------------

def test_metric_detail_shows_the_series_trajectory_peer_median_and_csv(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="metric_detail")
    # Björkhamn's planned target for ideas: from 26 in 2022 K4 to 43 in 2026 K3.
    at.selectbox(key="detail_metric").set_value("ideas_delivered").run()
    assert not at.exception
    assert at.title[0].value == "Levererade idéer"
    table = next(d for d in html_tables(at) if "Period" in d.columns).set_index("Period")
    assert table.loc["2025 K3", "Värde"] == "33"
    # the median of the municipalities' measured figures (at least five of them)
    assert table.loc["2025 K3", ["Median i jämförelsegruppen", "Nedre kvartil", "Övre kvartil"]].tolist() == ["18", "14", "24"]
    assert table.loc["2025 K2", "Median i jämförelsegruppen"] == "–"  # too few measured figures that quarter
    assert table.index[-1] == "2026 K3"  # the axis runs to the target quarter
    assert table["Målbana"].iloc[-1] == "43"
    names = [trace.get("name") for trace in charts(at)[0]["data"]]
    assert "Målbana" in names
    assert "Björkhamns kommun" in names
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
    assert at.button(key="targets_save").disabled
    assert at.button(key="targets_propose").disabled
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
    table = at.dataframe[0].value
    assert table["Organisation"].tolist() == ["Tallmo kommun", "Sjöviks kommun", "Norrängs kommun", "Ekbacka kommun",
                                              "Granlunda kommun", "Björkhamns kommun", "Region Mellanland"]
    assert table.set_index("Organisation").loc["Ekbacka kommun", "Värde"] == "4,26"  # 26 ideas per 61 000 inhabitants
    assert table["Status"].tolist() == ["uppmätt"] * 6 + ["preliminär"]


def test_compare_heatmap_and_scatter_show_every_organisation_in_scope(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="compare")
    at.segmented_control(key="compare_view").set_value("heatmap").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 12
    assert len(table.columns) == 19
    words = set(table.iloc[:, 1:].to_numpy().ravel()) - {""}
    assert words <= {"✓ i fas", "! risk", "✗ ej i fas", "– uppgift saknas"}
    assert "✓ i fas" in words
    heat = charts(at)[0]["data"][0]
    assert heat["type"] == "heatmap"
    assert heat["texttemplate"] == "%{text}"
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


def test_compare_trends_show_each_charts_figures_in_a_table_with_a_caption(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="compare")
    at.segmented_control(key="compare_view").set_value("trends").run()
    assert not at.exception
    trends, indexed = charts(at)
    tables = {table.attrs["caption"]: table for table in html_tables(at)}
    assert list(tables) == ["Förankrad vision: värdena i diagrammet",
                            "Björkhamns kommun: mätetalen som index, värdena i diagrammet"]
    vision = next(m for m in load_builtin_catalogue() if m.code == "vision_alignment")
    # Rounded as the chart's hover shows them: the metric's decimals, an index to one decimal.
    for chart, table, places in zip((trends, indexed), tables.values(), (vision.decimals, 1), strict=True):
        lines = [trace for trace in chart["data"] if trace["mode"] == "lines+markers"]  # not the event marks
        assert list(table.columns) == ["Kvartal", *(line["name"] for line in lines)]
        assert table["Kvartal"].tolist() == list(lines[0]["x"])
        for line in lines:  # every value as the reader writes it, a gap as a dash
            assert table[line["name"]].tolist() == ["–" if y is None else format_number(round(y, places), "sv",
                                                                                      decimals=None) for y in line["y"]]
    assert table["Kvartal"].tolist()[-2:] == ["2025 K2", "2025 K3"]
    assert trends["data"][0]["name"] == "Björkhamns kommun"  # the organisation chosen in the sidebar first
    at.toggle(key="compare_everyone").set_value(True).run()  # twelve lines: each drawn, each a column
    everyone = [t["name"] for t in charts(at)[0]["data"] if t["mode"] == "lines+markers"]
    assert len(everyone) == 12
    assert list(html_tables(at)[0].columns) == ["Kvartal", *everyone]


def test_a_trend_table_lists_the_lines_drawn_one_by_one_never_the_grey_crowd():
    from ui.charts import MANY_SERIES, Series
    from ui.compare_trends import trend_table

    chosen = Series("Ekbacka kommun", ["2025 K2", "2025 K3"], [71.26, None], "#000", highlight=True)
    crowd = [Series(f"Anonym organisation {n}", ["2025 K2", "2025 K3"], [50.0, 51.0], "#999") for n in range(MANY_SERIES)]
    table = trend_table([chosen, *crowd], "Kvartal", 1)
    assert list(table.columns) == ["Kvartal", "Ekbacka kommun"]
    assert table["Kvartal"].tolist() == ["2025 K2", "2025 K3"]
    assert table["Ekbacka kommun"].iloc[0] == 71.3
    assert pd.isna(table["Ekbacka kommun"].iloc[1])  # a gap, shown as "–"
    assert list(trend_table([chosen, *crowd[:3]], "Kvartal", 1).columns) == [
        "Kvartal", "Ekbacka kommun", "Anonym organisation 0", "Anonym organisation 1", "Anonym organisation 2"]


def test_a_viewer_never_sees_the_name_of_an_organisation_that_did_not_opt_in(app_db, monkeypatch):
    orgs = organisations(app_db)
    assert not orgs["demo-sjovik"].named_comparison
    assert orgs["demo-sjovik"].name == HIDDEN
    own = orgs["demo-ekbacka"]
    viewer = Actor("vilma", "viewer", frozenset({own.id}))
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
    assert "Ekbacka kommun" in text
    assert "Granlunda kommun" in text
    assert HIDDEN not in text
    assert "Sjövik" not in text


def test_an_administrator_sees_every_name(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="compare")
    assert "Anonym organisation" not in everything_shown(at)
    at.segmented_control(key="compare_view").set_value("heatmap").run()
    assert HIDDEN in at.dataframe[0].value["Organisation"].tolist()  # the check above can see the name


def test_every_key_built_at_run_time_is_translated_in_both_languages():
    from presentation.i18n import translate
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
    assert table.set_index("Period").loc["2025", "Figure"] == "47.2%"
    at.switch_page("app_pages/targets.py").run()
    assert {"Progress", "Pace needed", "Target status"} <= set(html_tables(at)[0].columns)
    at.switch_page("app_pages/compare.py").run()
    at.segmented_control(key="compare_mode").set_value("year").run()
    assert not at.exception
    assert f"{Quarter.last_completed().year}: " in at.caption[0].value
    assert "organisations reported" in at.caption[0].value
