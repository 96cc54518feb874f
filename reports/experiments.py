"""Experiments followed up on their metric, as rows in words: one builder for the follow-up view
under Mål and the board pack's follow-up slide, so both show the same before/since figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from metrics.breaks import breaks_for
from metrics.catalogue import MetricDefinition
from metrics.experiments import FollowUp, follow_up
from metrics.periods import Quarter
from presentation.formatting import DASH, format_change, format_value
from presentation.i18n import translate

COLUMNS = ("what", "metric", "before", "since", "change", "expected", "caution", "outcome", "lesson")


def experiment_rows(*, language: str, metrics: Sequence[MetricDefinition], figures: pd.DataFrame,
                    events: Sequence[Any], decisions: Sequence[Any], quarter: Quarter) -> list[tuple[str, ...]]:
    """One row per experiment and metric (``COLUMNS``), followed up as of ``quarter``."""
    by_code = {m.code: m for m in metrics}
    changes = [(e.quarter.index, e.metric_code) for e in events if e.kind == "method_change"]
    rows = []
    for decision in decisions:
        experiment = decision.experiment
        if experiment is None or experiment.start > quarter:
            continue
        for code in experiment.metric_codes:
            metric = by_code.get(code)
            if metric is None:
                continue
            mine = figures[figures["metric_id"] == metric.id] if len(figures) else figures
            values = {int(p): float(v) for p, v in zip(mine["period"], mine["value"], strict=True)} if len(mine) else {}
            until = min(experiment.follow_up, quarter).index
            result = follow_up(values, start=experiment.start.index, until=until, breaks=breaks_for(code, changes),
                               direction=experiment.direction, size=experiment.size)
            rows.append(_row(language, decision, metric, result))
    return rows


def _row(language: str, decision: Any, metric: MetricDefinition, result: FollowUp) -> tuple[str, ...]:
    def value(number: float | None) -> str:
        return format_value(number, metric.unit_kind, metric.decimals, language)

    change = translate("change.not_comparable", language) if result.broken else \
        format_change(result.change, metric.unit_kind, metric.decimals, language)
    expected = format_change(result.expected, metric.unit_kind, metric.decimals, language) \
        if result.expected is not None else DASH
    if result.met is not None:
        expected += f" ({translate('experiment.met' if result.met else 'experiment.not_met', language)})"
    cautions = ([translate("experiment.caution.too_early", language, count=result.quarters_since)]
                if result.too_early else []) + ([translate("experiment.caution.method_change", language)]
                                                if result.broken else [])
    outcome = translate(f"experiment.outcome.{decision.outcome}", language) if decision.outcome else DASH
    return (decision.what, metric.name(language), value(result.before), value(result.since), change, expected,
            "; ".join(cautions) or DASH, outcome, decision.lesson or DASH)


def column_names(language: str) -> tuple[str, ...]:
    return tuple(translate(f"experiment.column.{name}", language) for name in COLUMNS)
