"""The chart builders, tested directly on their figures: data, SVG traces, look, speed."""

from __future__ import annotations

import json
import time

from metrics.catalogue import load_builtin_catalogue
from presentation.palette import STATUS_COLOURS, organisation_colour
from ui.charts import (
    ANONYMOUS_COLOUR,
    COMPACT_HEATMAP,
    COMPACT_HEATMAP_HEIGHT,
    COMPACT_HEIGHT,
    COMPACT_RANKING,
    MANY_SERIES,
    OWN_COLOUR,
    DetailPoint,
    PeerBand,
    Series,
    detail_figure,
    heatmap_figure,
    ranking_figure,
    scatter_figure,
    status_colourscale,
    trend_figure,
)

METRICS = {m.code: m for m in load_builtin_catalogue()}
SATISFACTION = METRICS["customer_satisfaction"]
QUARTERS = [f"{2016 + i // 4} K{i % 4 + 1}" for i in range(40)]


def national(count: int, highlighted: set[int]) -> list[Series]:
    return [Series(f"Organisation {i}", QUARTERS, [float(i % 50 + q) for q in range(40)], organisation_colour(i),
                   highlight=i in highlighted) for i in range(count)]


def test_650_organisations_become_one_grey_trace_with_gaps_plus_the_highlighted_ones():
    started = time.perf_counter()
    figure = trend_figure(metric=SATISFACTION, series=national(650, {3, 7}), language="sv", many_label="Övriga")
    built = time.perf_counter() - started
    assert [trace.type for trace in figure.data] == ["scatter", "scatter", "scatter"]  # SVG, never scattergl
    crowd = figure.data[0]
    assert crowd.name == "Övriga"
    assert crowd.line.color == ANONYMOUS_COLOUR
    assert sum(1 for x in crowd.x if x is None) == 648  # one gap after each of the 648 other organisations
    assert len(crowd.x) == 648 * 41
    sent = json.loads(figure.to_json())["data"][0]  # what the browser gets: gaps as null, values as numbers
    assert sent["y"].count(None) == 648
    assert sent["y"][:2] == [0.0, 1.0]
    assert sent["x"][40] is None
    assert [t.name for t in figure.data[1:]] == ["Organisation 3", "Organisation 7"]
    assert built < 1.0, f"building took {built:.2f} s"


def test_a_few_organisations_get_a_line_each_in_their_own_colour():
    figure = trend_figure(metric=SATISFACTION, series=national(MANY_SERIES, set()), language="en")
    assert len(figure.data) == MANY_SERIES
    assert figure.data[5].line.color == organisation_colour(5) == organisation_colour(5 + 8 * 3)
    assert figure.layout.separators == ".,"
    assert trend_figure(metric=SATISFACTION, series=national(2, set()), language="sv").layout.separators == ",\u00a0"


def test_the_detail_chart_draws_uncertain_figures_hollow_with_comments_on_hover():
    x = ["2025 K1", "2025 K2", "2025 K3", "2025 K4"]
    points = [DetailPoint("2025 K1", 70.0, False, "2025 K1 · 70,0 %"),
              DetailPoint("2025 K2", 72.0, True, "2025 K2 · 72,0 % · preliminär · Enkät pågår")]
    peers = PeerBand(x[:2], [65.0, 66.0], [60.0, 61.0], [70.0, 71.0], "Median", "Kvartilavstånd")
    figure = detail_figure(metric=SATISFACTION, x=x, points=points, label="Ekbacka kommun", colour="#0072B2",
                           language="sv", trajectories=[("Målbana", ["2025 K1", "2025 K4"], [70.0, 80.0])],
                           baseline=("Utgångsläge 2025 K1", 70.0), peers=peers)
    names = [trace.name for trace in figure.data]
    assert names == [None, "Kvartilavstånd", "Median", "Målbana", "Ekbacka kommun"]
    band = figure.data[1]
    assert band.fill == "tonexty"
    assert list(band.y) == [60.0, 61.0]
    assert list(figure.data[0].y) == [70.0, 71.0]
    own = figure.data[-1]
    assert list(own.y) == [70.0, 72.0, None, None]
    assert list(own.marker.symbol) == ["circle", "circle-open", "circle", "circle"]
    assert "Enkät pågår" in own.text[1]
    assert list(figure.data[3].y) == [70.0, 80.0]
    assert figure.layout.shapes[0].y0 == 70.0  # the baseline


def test_the_ranking_has_a_median_line_and_an_interquartile_band():
    figure = ranking_figure(metric=SATISFACTION, names=["A", "Anonym organisation 1"], values=[80.0, 60.0],
                            highlight=[True, False], language="sv", median=70.0, median_label="median",
                            band=(65.0, 75.0), band_label="kvartilavstånd")
    kinds = {shape.type: shape for shape in figure.layout.shapes}
    assert kinds["rect"].x0 == 65.0
    assert kinds["rect"].x1 == 75.0
    assert kinds["line"].x0 == 70.0
    assert list(figure.data[0].marker.color) == ["#0072B2", ANONYMOUS_COLOUR]


def test_heatmap_cells_carry_their_verdict_as_text_and_statuses_their_glossary_colours():
    figure = heatmap_figure(rows=["A", "B"], columns=["M1", "M2"], z=[[3.5, None], [0.5, 1.5]],
                            text=[["✓", ""], ["–", "✗"]], colourscale=status_colourscale(), zmin=0, zmax=4, language="sv")
    trace = figure.data[0]
    assert trace.texttemplate == "%{text}"
    assert list(map(list, trace.text)) == [["✓", ""], ["–", "✗"]]
    colours = [colour for _, colour in status_colourscale()]
    assert colours[::2] == [STATUS_COLOURS[s] for s in ("no_data", "off_track", "at_risk", "on_track")]


def test_scatter_has_one_dot_per_organisation():
    figure = scatter_figure(x=[40.0, 60.0], y=[55.0, 70.0], labels=["A", "Anonym organisation 1"],
                            colours=["#0072B2", ANONYMOUS_COLOUR], x_title="Digital mognad", y_title="Kundnöjdhet",
                            language="sv")
    assert figure.data[0].type == "scatter"
    assert list(figure.data[0].text) == ["A", "Anonym organisation 1"]
    assert figure.layout.xaxis.title.text == "Digital mognad"


def test_the_detail_csv_has_canonical_periods_and_plain_numbers():
    import pandas as pd

    from ui.detail import DETAIL_COLUMNS, csv_bytes
    frame = pd.DataFrame([
        ["2025-Q1", "2025 K1", 70.5, "measured", "", 70.0, None, 65.0, 60.0, 71.0, 6],
        ["2025-Q2", "2025 K2", 72.0, "preliminary", "Enkät pågår", 72.5, None, None, None, None, 4],
    ], columns=DETAIL_COLUMNS)
    assert csv_bytes(frame, SATISFACTION, "demo-ekbacka").decode() == (
        "organisation,metric,period,value,status,comment,trajectory_planned,trajectory_10x,median,q1,q3,peers\n"
        "demo-ekbacka,customer_satisfaction,2025-Q1,70.5,measured,,70.0,,65.0,60.0,71.0,6\n"
        "demo-ekbacka,customer_satisfaction,2025-Q2,72.0,preliminary,Enkät pågår,72.5,,,,,4\n"
    )


def national_ranking(count: int, own: int) -> tuple[list[str], list[float], list[bool]]:
    """Best first, anonymous peers and one named organisation, as ui.compare.ranking labels them."""
    names = ["Ekbacka kommun" if i == own else f"Anonym organisation {i + 1}" for i in range(count)]
    return names, [100.0 - i * 0.1 for i in range(count)], [i == own for i in range(count)]


def test_a_national_ranking_is_one_compact_bar_trace_with_the_own_organisation_pointed_out():
    names, values, own = national_ranking(651, own=200)
    started = time.perf_counter()
    figure = ranking_figure(metric=SATISFACTION, names=names, values=values, highlight=own, language="sv",
                            median=67.5, median_label="median", band=(51.0, 84.0), band_label="kvartilavstånd",
                            rank_title="Placering (1 = bäst)")
    built = time.perf_counter() - started
    assert len(figure.data) == 1
    bars = figure.data[0]
    assert bars.type == "bar"
    assert bars.orientation in (None, "v")
    assert list(bars.x) == list(range(1, 652))
    assert list(bars.y) == values
    assert [row[1] for row in bars.customdata] == names  # the labels given, nothing else: disclosure stays with the caller
    assert [row[0] for row in bars.customdata] == list(range(1, 652))  # no ranks given: the position
    colours = list(bars.marker.color)
    assert colours[200] == OWN_COLOUR
    assert colours.count(OWN_COLOUR) == 1
    assert colours.count(ANONYMOUS_COLOUR) == 650
    assert figure.layout.height == COMPACT_HEIGHT <= 500
    assert [a.text for a in figure.layout.annotations if a.showarrow] == ["<b>Ekbacka kommun</b>"]
    pointer = next(a for a in figure.layout.annotations if a.showarrow)
    assert (pointer.x, pointer.y) == (201, values[200])
    kinds = {shape.type: shape for shape in figure.layout.shapes}
    assert kinds["rect"].y0 == 51.0
    assert kinds["rect"].y1 == 84.0
    assert kinds["line"].y0 == 67.5
    assert figure.layout.xaxis.title.text == "Placering (1 = bäst)"
    assert figure.layout.yaxis.title.text == SATISFACTION.unit("sv")
    assert built < 0.5


def test_a_viewer_without_an_own_organisation_gets_no_pointer_and_only_anonymous_hovers():
    names = [f"Anonym organisation {i + 1}" for i in range(COMPACT_RANKING + 1)]
    figure = ranking_figure(metric=SATISFACTION, names=names, values=[50.0] * len(names),
                            highlight=[False] * len(names), language="en")
    assert not [a for a in figure.layout.annotations if a.showarrow]
    assert set(figure.data[0].marker.color) == {ANONYMOUS_COLOUR}
    assert all(label.startswith("Anonym organisation") for _, label in figure.data[0].customdata)


def test_tied_organisations_share_their_rank_on_hover():
    names = [f"Anonym organisation {i + 1}" for i in range(COMPACT_RANKING + 2)]
    ranks = [1, 1, *range(3, COMPACT_RANKING + 3)]
    figure = ranking_figure(metric=SATISFACTION, names=names, values=[9.0, 9.0, *[5.0] * COMPACT_RANKING],
                            highlight=[False] * len(names), language="sv", ranks=ranks)
    assert [row[0] for row in figure.data[0].customdata] == ranks
    assert list(figure.data[0].x) == list(range(1, COMPACT_RANKING + 3))


def test_up_to_the_compact_limit_the_ranking_keeps_one_named_horizontal_bar_each():
    names, values, own = national_ranking(COMPACT_RANKING, own=0)
    figure = ranking_figure(metric=SATISFACTION, names=names, values=values, highlight=own, language="sv")
    bars = figure.data[0]
    assert bars.orientation == "h"
    assert list(bars.y) == names
    assert list(bars.x) == values
    assert figure.layout.height == 28 * COMPACT_RANKING + 80


def test_a_national_heatmap_is_capped_in_height_and_leaves_the_words_to_hover_and_table():
    rows = [f"Anonym organisation {i + 1}" for i in range(651)]
    z = [[float(i % 4) + 0.5] * 18 for i in range(651)]
    text = [["✓"] * 18 for _ in range(651)]
    figure = heatmap_figure(rows=rows, columns=[f"M{j}" for j in range(18)], z=z, text=text,
                            colourscale=status_colourscale(), zmin=0, zmax=4, language="sv")
    trace = figure.data[0]
    assert len(figure.data) == 1
    assert len(trace.z) == 651
    assert len(trace.z[0]) == 18
    assert list(trace.y) == rows
    assert trace.texttemplate is None
    assert trace.ygap == 0
    assert list(trace.text[0]) == ["✓"] * 18  # the default hover reads the symbols
    worded = heatmap_figure(rows=rows, columns=[f"M{j}" for j in range(18)], z=z, text=text, colourscale=status_colourscale(),
                            zmin=0, zmax=4, language="sv", hover="%{y} · %{x}: %{customdata}<extra></extra>")
    assert worded.data[0].text is None  # a hover in words needs no symbols sent along
    assert figure.layout.height == COMPACT_HEATMAP_HEIGHT
    assert figure.layout.yaxis.showticklabels is False
    small = heatmap_figure(rows=rows[:COMPACT_HEATMAP], columns=["M"], z=z[:COMPACT_HEATMAP], text=text[:COMPACT_HEATMAP],
                           colourscale=status_colourscale(), zmin=0, zmax=4, language="sv")
    assert small.data[0].texttemplate == "%{text}"
    assert small.layout.yaxis.showticklabels is True
