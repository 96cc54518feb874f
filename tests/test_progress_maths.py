"""The follow-up calculations, each against values worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from data.settings import get_settings
from metrics.catalogue import MetricDefinition
from metrics.changes import IndexingError, Standing, change_summary, hardest_first, index_series, needing_attention
from metrics.disclosure import Rule, Viewer, label_peers, peer_statistics
from metrics.forecast import ForecastError, period_reaching, recent_trend, theil_sen
from metrics.normalisation import NormalisationError, normalise
from metrics.peers import rank_figures
from metrics.periods import Quarter
from metrics.targets import TargetError, TargetPlan, assess_target, propose_10x_target
from metrics.yearly import AggregationError, yearly_values

Q = Quarter.parse


def metric(code="m", *, id=1, direction="higher", unit_kind="percent", max_value=100.0, whole=False, decimals=1,
           aggregation="mean") -> MetricDefinition:
    return MetricDefinition(
        code=code, name_sv=code, name_en=code, unit_sv="", unit_en="", unit_kind=unit_kind, description_sv="",
        description_en="", definition_sv="", definition_en="", direction=direction, min_value=0.0,
        max_value=max_value, whole_number=whole, decimals=decimals, aggregation=aggregation, id=id,
    )


SATISFACTION = metric("customer_satisfaction", id=1)
LEAD_TIME = metric("priority_lead_time", id=2, direction="lower", unit_kind="days", max_value=None, decimals=0,
                   aggregation="median")
IDEAS = metric("ideas_delivered", id=3, unit_kind="count", max_value=None, whole=True, decimals=0, aggregation="sum")
MATURITY = metric("digital_maturity", id=4, unit_kind="index", decimals=0)


def frame(rows):
    return pd.DataFrame(rows, columns=["metric_id", "period", "value", "status", "comment"])


# --- change against the previous quarter and the same quarter last year ---------------------------

def test_changes_cross_the_year_boundary_and_are_judged_by_direction():
    figures = frame([
        (1, Q("2024-Q1").index, 70.0, "measured", ""), (1, Q("2024-Q4").index, 74.0, "measured", ""),
        (1, Q("2025-Q1").index, 72.5, "measured", ""),
        (2, Q("2024-Q1").index, 30.0, "measured", ""), (2, Q("2024-Q4").index, 20.0, "measured", ""),
        (2, Q("2025-Q1").index, 25.0, "estimated", "uppskattat"),
    ])
    summary = change_summary(figures, [SATISFACTION, LEAD_TIME], Q("2025-Q1")).set_index("code")
    satisfaction, lead = summary.loc["customer_satisfaction"], summary.loc["priority_lead_time"]
    assert satisfaction["change_previous"] == pytest.approx(-1.5)  # 72.5 − 74 (2024 Q4)
    assert satisfaction["change_last_year"] == pytest.approx(2.5)  # 72.5 − 70 (2024 Q1)
    assert not satisfaction["improved_previous"]
    assert satisfaction["improved_last_year"]
    # lower is better: a fall from 30 to 25 days is an improvement, a rise from 20 to 25 is not
    assert lead["change_last_year"] == -5.0
    assert lead["improved_last_year"]
    assert lead["change_previous"] == 5.0
    assert not lead["improved_previous"]
    assert lead["status"] == "estimated"


def test_a_gap_gives_no_change_rather_than_a_change_against_zero():
    figures = frame([(1, Q("2025-Q1").index, 72.5, "measured", ""), (1, Q("2024-Q3").index, 60.0, "measured", "")])
    row = change_summary(figures, [SATISFACTION], Q("2025-Q1")).iloc[0]
    assert row["change_previous"] is None
    assert row["change_last_year"] is None
    assert row["improved_previous"] is None
    missing = change_summary(figures, [SATISFACTION], Q("2025-Q2")).iloc[0]
    assert missing["value"] is None
    assert missing["change_previous"] is None


# --- the 10x proposal, by kind of metric -----------------------------------------------------------

@pytest.mark.parametrize(("definition", "baseline", "proposal"), [
    (LEAD_TIME, 40.0, 4.0),  # lower is better: ÷ 10
    (SATISFACTION, 70.0, 97.0),  # bounded percentage: close 90 % of the gap to 100
    (MATURITY, 50.0, 95.0),  # bounded index
    (IDEAS, 12.0, 120.0),  # unbounded count: × 10
    (IDEAS, 3.0, 30.0),
])
def test_the_10x_proposal_for_each_kind_of_metric(definition, baseline, proposal):
    assert propose_10x_target(definition, baseline) == proposal


# --- progress, pace, forecast and status -----------------------------------------------------------

RISING = {Q("2024-Q1").index: 50.0, Q("2024-Q2").index: 52.0, Q("2024-Q3").index: 54.0,
          Q("2024-Q4").index: 56.0, Q("2025-Q1").index: 58.0}


def plan(target_value, baseline_value=50.0, baseline="2024-Q1", target="2026-Q1"):
    return TargetPlan(Q(baseline), baseline_value, Q(target), target_value)


def test_progress_pace_forecast_and_the_quarter_of_reaching_the_target():
    result = assess_target(plan(90.0), RISING, Q("2025-Q1"))
    assert result.latest_value == 58.0
    assert result.latest_quarter == Q("2025-Q1")
    assert result.progress == pytest.approx(0.2)  # (58 − 50) / (90 − 50)
    assert result.pace_needed == pytest.approx(8.0)  # (90 − 58) / 4 quarters left
    assert result.forecast == pytest.approx(66.0)  # +2 a quarter, 4 more quarters
    assert result.forecast_share == pytest.approx(0.4)  # (66 − 50) / 40
    assert result.status == "off_track"
    assert result.reached_in == Q("2029-Q1")  # 32 to go at 2 a quarter: 16 quarters after 2025 Q1


@pytest.mark.parametrize(("target", "status"), [
    (66.0, "on_track"),  # forecast 66 reaches it
    (72.0, "at_risk"),  # 16 / 22 = 73 % of the distance
    (74.0, "off_track"),  # 16 / 24 = 67 %
])
def test_status_thresholds(target, status):
    assert assess_target(plan(target), RISING, Q("2025-Q1")).status == status


def test_lower_is_better_targets_count_progress_downwards():
    falling = {p: 200.0 - 10 * i for i, p in enumerate(sorted(RISING))}  # 200, 190 … 160
    result = assess_target(plan(20.0, baseline_value=200.0), falling, Q("2025-Q1"))
    assert result.progress == pytest.approx(40 / 180)
    assert result.pace_needed == pytest.approx(-35.0)  # (20 − 160) / 4
    assert result.forecast == pytest.approx(120.0)
    assert result.status == "off_track"  # 80 / 180 = 44 %
    assert result.reached_in == Q("2028-Q3")  # 140 days to go at 10 a quarter: 14 quarters


def test_too_few_figures_or_none_since_the_baseline_is_no_data():
    three = {p: v for p, v in RISING.items() if p <= Q("2024-Q3").index}
    few = assess_target(plan(90.0), three, Q("2024-Q3"))
    assert few.status == "no_data"
    assert few.progress == pytest.approx(0.1)
    assert few.forecast is None
    early = assess_target(plan(90.0, baseline="2025-Q2", target="2026-Q2"), RISING, Q("2025-Q1"))
    assert early.status == "no_data"
    assert early.progress is None


def test_a_target_already_reached_is_on_track_even_after_its_quarter():
    figures = {**RISING, Q("2025-Q2").index: 61.0}
    result = assess_target(plan(60.0, target="2025-Q1"), figures, Q("2025-Q2"))
    assert result.status == "on_track"
    assert result.reached_in == Q("2025-Q2")
    assert result.pace_needed is None  # the target quarter has passed


def test_the_trajectory_is_a_straight_line_from_baseline_to_target():
    line = plan(90.0)
    assert line.trajectory(Q("2024-Q1")) == 50.0
    assert line.trajectory(Q("2025-Q1")) == pytest.approx(70.0)  # halfway in time, halfway in value
    assert line.trajectory(Q("2026-Q1")) == 90.0


def test_impossible_targets_are_refused_with_a_reason():
    with pytest.raises(TargetError) as order:
        plan(90.0, target="2023-Q4")
    assert order.value.key == "targets.error.quarter_order"
    with pytest.raises(TargetError):
        plan(50.0)
    with pytest.raises(TargetError) as direction:
        plan(40.0).validate_for(SATISFACTION)
    assert direction.value.key == "targets.error.wrong_direction"
    with pytest.raises(TargetError) as bound:
        plan(120.0).validate_for(SATISFACTION)
    assert bound.value.key == "value.above_max"


# --- the robust trend -------------------------------------------------------------------------------

def test_theil_sen_ignores_one_wild_quarter():
    trend = theil_sen([0, 1, 2, 3, 4], [10.0, 12.0, 14.0, 16.0, 40.0])
    assert trend.slope == 2.0  # the median of the ten pairwise slopes
    assert trend.intercept == 10.0
    assert trend.at(6) == 22.0


def test_the_trend_uses_the_last_eight_figures_and_needs_four():
    figures = {p: float(p % 2) * 100 for p in range(4)} | {p: float(p) for p in range(4, 12)}
    trend = recent_trend(figures, until=11)
    assert trend is not None
    assert trend.points == 8
    assert trend.slope == 1.0
    assert recent_trend({1: 1.0, 2: 2.0, 3: 3.0}, until=3) is None
    with pytest.raises(ForecastError):
        theil_sen([1, 1], [2.0, 3.0])


def test_period_reaching_is_none_when_the_trend_goes_the_wrong_way():
    trend = theil_sen([0, 1], [10.0, 8.0])
    assert period_reaching(trend, 20.0, after=1, increasing=True) is None
    assert period_reaching(trend, 5.0, after=1, increasing=False) == 3  # 10 − 2 × 2.5 → quarter 3


# --- indexing -------------------------------------------------------------------------------------

def test_indexing_sets_the_baseline_to_100():
    values = {Q("2024-Q1").index: 50.0, Q("2024-Q2").index: 55.0, Q("2024-Q3").index: 40.0}
    base, indexed = index_series(values, Q("2024-Q1"))
    assert base == Q("2024-Q1")
    assert [round(v, 6) for v in indexed.values()] == [100.0, 110.0, 80.0]


def test_indexing_without_a_baseline_figure_starts_at_the_next_one_and_refuses_zero():
    base, indexed = index_series({Q("2024-Q2").index: 20.0, Q("2024-Q3").index: 25.0}, Q("2024-Q1"))
    assert base == Q("2024-Q2")
    assert indexed[Q("2024-Q3").index] == 125.0
    with pytest.raises(IndexingError):
        index_series({Q("2024-Q1").index: 0.0}, Q("2024-Q1"))
    with pytest.raises(IndexingError):
        index_series({Q("2023-Q1").index: 3.0}, Q("2024-Q1"))


# --- normalisation -------------------------------------------------------------------------------

def test_normalisation_per_1000_employees_lists_the_organisations_without_a_denominator():
    figures = pd.DataFrame({"organisation_id": [1, 2, 3], "value": [12.0, 5.0, 9.0]})
    result = normalise(figures, {1: 4000, 2: None, 3: 0}, "employees")
    assert result.figures["value"].tolist() == [3.0]  # 12 / 4 000 × 1 000
    assert result.missing == (2, 3)


def test_normalisation_per_10000_inhabitants():
    figures = pd.DataFrame({"organisation_id": [1, 2], "value": [30.5, 7.4]})
    result = normalise(figures, {1: 61000, 2: 7400}, "inhabitants")
    assert result.figures["value"].round(6).tolist() == [5.0, 10.0]
    assert result.missing == ()
    with pytest.raises(NormalisationError):
        normalise(figures, {}, "hectares")


# --- years ------------------------------------------------------------------------------------------

def test_years_aggregate_by_each_metrics_rule_and_say_how_many_quarters_they_hold():
    rows = []
    for metric_id, values in ((3, [1, 2, 3, 4]), (1, [70, 72, 74, 76]), (2, [10, 30, 20, 100])):
        rows += [(7, metric_id, Q(f"2024-Q{i + 1}").index, float(v)) for i, v in enumerate(values)]
    rows += [(7, 3, Q("2025-Q1").index, 5.0), (7, 3, Q("2025-Q2").index, 6.0)]
    figures = pd.DataFrame(rows, columns=["organisation_id", "metric_id", "period", "value"])
    years = yearly_values(figures, {1: "mean", 2: "median", 3: "sum"}).set_index(["metric_id", "year"])
    assert years.loc[(3, 2024), "value"] == 10.0  # sum of ideas
    assert years.loc[(1, 2024), "value"] == 73.0  # mean of shares
    assert years.loc[(2, 2024), "value"] == 25.0  # median of lead times (20 and 30)
    assert years.loc[(3, 2025), "value"] == 11.0
    assert years.loc[(3, 2025), "quarters"] == 2
    assert not years.loc[(3, 2025), "complete"]
    assert years.loc[(3, 2024), "complete"]
    with pytest.raises(AggregationError):
        yearly_values(figures, {1: "max"})


# --- peers -----------------------------------------------------------------------------------------

def peers(values, statuses=None):
    statuses = statuses or ["measured"] * len(values)
    return pd.DataFrame({"organisation_id": range(1, len(values) + 1), "value": values, "status": statuses})


def test_peer_quartiles_from_five_measured_figures():
    settings = get_settings()
    assert settings.peer_minimum == 5
    assert settings.peer_excludes_estimated
    stats = peer_statistics(peers([10.0, 20.0, 30.0, 40.0, 50.0]), Rule(5, True))
    assert (stats.median, stats.q1, stats.q3, stats.count) == (30.0, 20.0, 40.0, 5)


def test_peer_statistics_are_withheld_below_five_and_leave_estimates_out():
    four = peer_statistics(peers([10.0, 20.0, 30.0, 40.0]), Rule(5, True))
    assert not four.disclosed
    assert four.count == 4
    estimated = peers([10.0, 20.0, 30.0, 40.0, 50.0, 60.0], ["measured"] * 4 + ["estimated", "estimated"])
    withheld = peer_statistics(estimated, Rule(5, True))
    assert not withheld.disclosed
    assert withheld.count == 4
    counted = peer_statistics(estimated, Rule(5, False))
    assert counted.median == 35.0


def test_ranking_best_first_by_direction_with_shared_ranks():
    figures = peers([30.0, 50.0, 30.0, 10.0])
    assert rank_figures(figures, higher_is_better=True)[["organisation_id", "rank"]].values.tolist() == [
        [2, 1], [1, 2], [3, 2], [4, 4]]
    assert rank_figures(figures, higher_is_better=False)["organisation_id"].tolist() == [4, 1, 3, 2]


NAMES = {1: ("Alfa kommun", True), 2: ("Beta kommun", False), 3: ("Gamma kommun", False), 4: ("Delta kommun", False)}


def test_only_opted_in_and_own_organisations_are_named_for_a_viewer():
    labels = label_peers([2, 1, 4, 3], NAMES, Viewer("viewer", frozenset({3})))
    assert [(x.organisation_id, x.name, x.anonymous_number, x.own) for x in labels] == [
        (2, None, 1, False), (1, "Alfa kommun", None, False), (4, None, 2, False), (3, "Gamma kommun", None, True),
    ]


def test_administrators_see_every_name():
    labels = label_peers([2, 1, 4, 3], NAMES, Viewer("admin"))
    assert [x.name for x in labels] == ["Beta kommun", "Alfa kommun", "Delta kommun", "Gamma kommun"]


def test_hardest_first_puts_off_track_and_worsening_metrics_first():
    standings = [Standing(1, "on_track"), Standing(2, "off_track"), Standing(3, worsened=True), Standing(4, "at_risk")]
    assert [s.metric_id for s in hardest_first(standings)] == [2, 4, 3, 1]
    # The board discusses the head: with target statuses only off track and at risk.
    assert [s.metric_id for s in needing_attention(standings)] == [2, 4]


def test_hardest_first_breaks_ties_by_least_progress_then_largest_relative_worsening():
    standings = [Standing(1, "off_track", progress=0.1), Standing(2, "off_track", progress=0.02),
                 Standing(3, worsened=True, relative_change=-0.1), Standing(4, worsened=True, relative_change=-0.5),
                 Standing(5)]
    assert [s.metric_id for s in hardest_first(standings)] == [2, 1, 4, 3, 5]
    without_targets = [Standing(3, worsened=True, relative_change=-0.1), Standing(4, worsened=True, relative_change=-0.5),
                       Standing(5)]
    assert [s.metric_id for s in needing_attention(without_targets)] == [4, 3]


def test_the_yearly_summary_compares_with_the_year_before_by_direction():
    from metrics.yearly import yearly_summary
    yearly = pd.DataFrame([
        (7, 2, 2023, 30.0, 4, True), (7, 2, 2024, 25.0, 4, True), (7, 3, 2024, 10.0, 4, True), (7, 3, 2025, 11.0, 2, False),
    ], columns=["organisation_id", "metric_id", "year", "value", "quarters", "complete"])
    summary = yearly_summary(yearly, [LEAD_TIME, IDEAS], 2024).set_index("code")
    assert summary.loc["priority_lead_time", "change"] == -5.0
    assert summary.loc["priority_lead_time", "improved"]
    assert pd.isna(summary.loc["ideas_delivered", "previous"])  # no ideas figure in 2023
    later = yearly_summary(yearly, [IDEAS], 2025).iloc[0]
    assert (later["value"], later["quarters"], later["change"]) == (11.0, 2, 1.0)


def test_a_nearly_flat_trend_never_reaches_the_target_in_any_useful_time():
    flat = {p: 50.0 + 0.0001 * i for i, p in enumerate(sorted(RISING))}
    result = assess_target(plan(90.0), flat, Q("2025-Q1"))
    assert result.reached_in is None
    assert result.status == "off_track"
