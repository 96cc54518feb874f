"""Jämför when there are more organisations than a chart can name: the compact ranking and heatmap,
through the page, with the disclosure rules of the small charts (the compact limits are lowered
to the demo's 12 organisations so the page takes the national path)."""

from __future__ import annotations

import base64
import json

import numpy
import pytest

from data.actors import Actor
from data.db import reading
from data.organisations import list_organisations
from tests.apptest_support import open_app, shown_text
from ui.charts import ANONYMOUS_COLOUR, COMPACT_HEIGHT, OWN_COLOUR

HIDDEN = "Sjöviks kommun"  # a demo organisation that has not opted in to named comparison


@pytest.fixture
def compact(monkeypatch):
    """Every chart of more than three organisations takes the national path."""
    monkeypatch.setattr("ui.charts.COMPACT_RANKING", 3)
    monkeypatch.setattr("ui.charts.COMPACT_HEATMAP", 3)


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def numbers(array) -> list[float]:
    """Plotly 7 writes number arrays as base64 (docs/RECIPES.md)."""
    if isinstance(array, dict):
        return numpy.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def viewer_page(url, monkeypatch):
    with reading(url) as session:
        orgs = {o.code: o for o in list_organisations(session=session)}
    own = orgs["demo-ekbacka"]
    at = open_app(url, monkeypatch, actor=Actor("vilma", "viewer", frozenset({own.id})))
    at.session_state["context_organisation"] = own.id
    at.switch_page("app_pages/compare.py").run()
    return at


@pytest.mark.usefixtures("compact")
def test_the_compact_ranking_draws_every_organisation_of_the_table_and_points_out_our_own(app_db, monkeypatch):
    at = viewer_page(app_db, monkeypatch)
    assert not at.exception
    table = at.dataframe[0].value
    chart = charts(at)[0]
    bars = chart["data"][0]
    assert len(chart["data"]) == 1
    assert bars["type"] == "bar"
    assert bars.get("orientation", "v") == "v"
    assert numbers(bars["x"]) == list(range(1, len(table) + 1))
    assert [row[1] for row in bars["customdata"]] == table["Organisation"].tolist()  # the same labels, in rank order
    assert [row[0] for row in bars["customdata"]] == table["Placering"].tolist()
    own_rank = table["Organisation"].tolist().index("Ekbacka kommun")
    assert bars["marker"]["color"][own_rank] == OWN_COLOUR
    assert bars["marker"]["color"].count(ANONYMOUS_COLOUR) == len(table) - 1
    pointers = [a["text"] for a in chart["layout"]["annotations"] if a.get("showarrow", True)]
    assert pointers == ["<b>Ekbacka kommun</b>"]
    assert chart["layout"]["height"] == COMPACT_HEIGHT
    assert f"{len(table)} organisationer: diagrammet visar rangordningen som en fördelning" in shown_text(at)


@pytest.mark.usefixtures("compact")
def test_the_compact_charts_never_name_an_organisation_that_did_not_opt_in(app_db, monkeypatch):
    at = viewer_page(app_db, monkeypatch)
    seen = [c.proto.spec for c in at.get("plotly_chart")] + [d.value.to_csv() for d in at.dataframe] + [shown_text(at)]
    at.segmented_control(key="compare_view").set_value("heatmap").run()
    heat = charts(at)[0]["data"][0]
    assert heat["type"] == "heatmap"
    assert heat.get("texttemplate") is None
    assert len(heat["y"]) == len(at.dataframe[0].value)
    assert "organisationer: rutorna visas utan tecken och namn" in shown_text(at)
    seen += [c.proto.spec for c in at.get("plotly_chart")] + [d.value.to_csv() for d in at.dataframe]
    assert not at.exception
    text = "\n".join(seen)
    assert "Anonym organisation" in text
    assert "Ekbacka kommun" in text
    assert HIDDEN not in text
    assert "Sjövik" not in text
