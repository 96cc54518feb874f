"""Targets, and the workshop's call to aim ten times higher (W12: "sikta tio gånger högre").

The 10x proposal for a target, from the baseline:
- "lower is better" (lead times): baseline ÷ 10;
- a bounded percentage or index: close 90 % of the gap to the ideal bound (70 % → 97 %);
- an unbounded count: baseline × 10.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from metrics.breaks import latest_break
from metrics.catalogue import MetricDefinition
from metrics.errors import EffektError
from metrics.forecast import period_reaching, recent_trend
from metrics.periods import Quarter


def propose_10x_target(metric: MetricDefinition, baseline: float) -> float:
    """The 10x target for a metric from its baseline, rounded to the metric's decimals."""
    if not metric.higher_is_better:
        proposal = baseline / 10
    elif metric.max_value is not None:
        proposal = baseline + 0.9 * (metric.max_value - baseline)
    else:
        proposal = baseline * 10
    if metric.whole_number:
        return float(round(proposal))
    return round(proposal, metric.decimals)


# Status thresholds: on track when the forecast reaches the target by its quarter; at risk when it
# reaches at least this share of the distance from the baseline.
AT_RISK_SHARE = 0.7
# A trend that needs more than 25 years to get there does not reach the target in any useful sense
# (and a nearly flat trend would otherwise "reach" it in the year 8000).
REACH_HORIZON = 100
STATUSES = ("on_track", "at_risk", "off_track", "no_data")
# An organisation may keep a planned (incremental) target and a 10x one per metric; the planned one heads.
KINDS = ("planned", "10x")


class TargetError(EffektError, ValueError):
    """A target that cannot be followed; ``key`` names the translated message."""


@dataclass(frozen=True)
class TargetPlan:
    """Where an organisation starts (baseline) and where it means to be by when (target)."""

    baseline_quarter: Quarter
    baseline_value: float
    target_quarter: Quarter
    target_value: float

    def __post_init__(self) -> None:
        if self.target_quarter <= self.baseline_quarter:
            raise TargetError("targets.error.quarter_order", baseline=str(self.baseline_quarter),
                              target=str(self.target_quarter))
        if self.target_value == self.baseline_value:
            raise TargetError("targets.error.no_distance")

    @property
    def distance(self) -> float:
        """Signed: positive when the target is above the baseline."""
        return self.target_value - self.baseline_value

    @property
    def increasing(self) -> bool:
        return self.distance > 0

    def share_of_distance(self, value: float) -> float:
        """How much of the way from baseline to target ``value`` is: 0 at the baseline, 1 at the target."""
        return (value - self.baseline_value) / self.distance

    def trajectory(self, quarter: Quarter) -> float:
        """The straight line from baseline to target (the målbana) at a quarter."""
        span = self.baseline_quarter.quarters_until(self.target_quarter)
        return self.baseline_value + self.distance * self.baseline_quarter.quarters_until(quarter) / span

    def validate_for(self, metric: MetricDefinition) -> None:
        """The target value must be a possible figure of the metric, and point the better way."""
        problem = metric.range_problem(self.target_value)
        if problem:
            raise TargetError(problem, min=metric.min_value, max=metric.max_value, value=self.target_value)
        if self.increasing != metric.higher_is_better:
            raise TargetError("targets.error.wrong_direction")


@dataclass(frozen=True)
class TargetAssessment:
    """How a target is going as of a quarter: all the numbers the Mål page and the cards show."""

    status: str
    latest_quarter: Quarter | None
    latest_value: float | None
    progress: float | None
    pace_needed: float | None
    forecast: float | None
    forecast_share: float | None
    reached_in: Quarter | None


def assess_target(plan: TargetPlan, figures: Mapping[int, float], as_of: Quarter,
                  breaks: Sequence[int] = ()) -> TargetAssessment:
    """Progress, pace needed, forecast, the quarter of reaching the target and the status.

    ``figures`` maps quarter index to value; figures after ``as_of`` are ignored. No figure since the
    baseline quarter means no data.
    - progress: share of the distance from baseline to target achieved by the latest figure;
    - pace needed: change per quarter from the latest figure to reach the target in time;
    - forecast: the robust trend (last 4–8 figures) at the target quarter, or the latest figure
      once the target quarter has passed;
    - status: on track (forecast reaches the target), at risk (≥ 70 % of the distance), off track,
      or no data (no figure since the baseline).
    A method change (``breaks``, :mod:`metrics.breaks`) starts the trend afresh: only the figures
    from the latest break on feed the forecast.
    """
    known = {p: v for p, v in figures.items() if p <= as_of.index and not math.isnan(v)}
    if not known or max(known) < plan.baseline_quarter.index:
        return TargetAssessment("no_data", None, None, None, None, None, None, None)
    latest_period = max(known)
    latest_value = known[latest_period]
    latest_quarter = Quarter.from_index(latest_period)
    progress = plan.share_of_distance(latest_value)
    remaining = latest_quarter.quarters_until(plan.target_quarter)
    pace = (plan.target_value - latest_value) / remaining if remaining > 0 else None
    if remaining <= 0 or progress >= 1:
        forecast: float | None = latest_value
        reached = _first_reached(plan, {p: v for p, v in known.items() if p >= plan.baseline_quarter.index})
    else:
        forecast, reached = _forecast(plan, known, as_of, breaks)
    share = plan.share_of_distance(forecast) if forecast is not None else None
    return TargetAssessment(
        status=_status(share), latest_quarter=latest_quarter, latest_value=latest_value,
        progress=progress, pace_needed=pace, forecast=forecast, forecast_share=share, reached_in=reached,
    )


def _forecast(plan: TargetPlan, known: Mapping[int, float], as_of: Quarter,
              breaks: Sequence[int]) -> tuple[float | None, Quarter | None]:
    """The trend's value at the target quarter and the quarter it reaches the target (None: not
    within :data:`REACH_HORIZON`), from the figures since the latest method change."""
    cut = latest_break(breaks, as_of.index)
    trend = recent_trend({p: v for p, v in known.items() if cut is None or p >= cut}, until=as_of.index)
    if trend is None:
        return None, None
    latest_period = max(known)
    reached_period = period_reaching(trend, plan.target_value, after=latest_period, increasing=plan.increasing)
    too_far = reached_period is None or reached_period - latest_period > REACH_HORIZON
    return trend.at(plan.target_quarter.index), None if too_far or reached_period is None else Quarter.from_index(reached_period)


def _status(forecast_share: float | None) -> str:
    if forecast_share is None:
        return "no_data"
    if forecast_share >= 1 - 1e-9:
        return "on_track"
    if forecast_share >= AT_RISK_SHARE - 1e-9:
        return "at_risk"
    return "off_track"


def _first_reached(plan: TargetPlan, known: Mapping[int, float]) -> Quarter | None:
    for period in sorted(known):
        if plan.share_of_distance(known[period]) >= 1:
            return Quarter.from_index(period)
    return None


# --- assessing stored targets (frames shaped like data.targets.targets_frame / figures_frame) ---


class TargetRow(Protocol):
    """A stored target row by column name: a ``pd.Series``, a mapping, or a ``to_dict("records")`` row."""

    def __getitem__(self, column: str, /) -> Any: ...


def plan_of(row: TargetRow) -> TargetPlan:
    """A stored target row (``targets_frame`` shape) as the plan the maths follows."""
    return TargetPlan(Quarter.from_index(int(row["baseline_period"])), float(row["baseline_value"]),
                      Quarter.from_index(int(row["target_period"])), float(row["target_value"]))


def series_of(figures: pd.DataFrame, organisation_id: int, metric_id: int) -> dict[int, float]:
    """One organisation's figures of one metric as {quarter index: value}."""
    if not len(figures):
        return {}
    mine = figures[(figures["organisation_id"] == organisation_id) & (figures["metric_id"] == metric_id)]
    return {int(p): float(v) for p, v in zip(mine["period"], mine["value"], strict=True)}


def assessments(targets: pd.DataFrame, figures: pd.DataFrame, as_of: Quarter,
                breaks: Mapping[int, Sequence[int]] | None = None) -> dict[tuple[int, int, str], TargetAssessment]:
    """Every target's assessment as of a quarter, by (organisation, metric, kind).

    The figures are grouped once, not filtered per target: a national heatmap assesses thousands.
    ``breaks`` (metric id → method-change quarters of the organisation) restarts each forecast.
    """
    if not len(targets):
        return {}
    wanted = set(zip(targets["organisation_id"].astype(int), targets["metric_id"].astype(int), strict=True))
    cells: dict[tuple[int, int], dict[int, float]] = {}
    if len(figures):
        cell = pd.MultiIndex.from_frame(figures[["organisation_id", "metric_id"]].astype("int64"))
        relevant = figures[cell.isin(list(wanted))]
        for organisation_id, metric_id, period, value in zip(
            relevant["organisation_id"], relevant["metric_id"], relevant["period"], relevant["value"], strict=True
        ):
            key = (int(organisation_id), int(metric_id))
            if key in wanted:
                cells.setdefault(key, {})[int(period)] = float(value)
    result: dict[tuple[int, int, str], TargetAssessment] = {}
    for row in targets.to_dict("records"):
        organisation_id, metric_id = int(row["organisation_id"]), int(row["metric_id"])
        result[(organisation_id, metric_id, str(row["kind"]))] = assess_target(
            plan_of(row), cells.get((organisation_id, metric_id), {}), as_of, (breaks or {}).get(metric_id, ()))
    return result


def headline_assessment(
    found: Mapping[tuple[int, int, str], TargetAssessment], organisation_id: int, metric_id: int
) -> TargetAssessment | None:
    """The assessment a card, a heatmap or "hardest first" weighs: the planned target's, else the 10x one's."""
    for kind in KINDS:
        assessment = found.get((organisation_id, metric_id, kind))
        if assessment is not None:
            return assessment
    return None


def headline_status(found: Mapping[tuple[int, int, str], TargetAssessment], organisation_id: int, metric_id: int) -> str | None:
    """The status a card or heatmap shows: the planned target's, else the 10x target's; None without targets."""
    assessment = headline_assessment(found, organisation_id, metric_id)
    return assessment.status if assessment is not None else None


def target_statuses(
    found: Mapping[tuple[int, int, str], TargetAssessment], organisation_id: int, metric_id: int
) -> dict[str, str]:
    """{kind: status} for the targets an organisation has on a metric, planned first."""
    keys = [(organisation_id, metric_id, kind) for kind in KINDS]
    return {key[2]: found[key].status for key in keys if key in found}
