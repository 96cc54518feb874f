"""Targets, and the workshop's call to aim ten times higher (W12: "sikta tio gånger högre").

The 10x proposal for a target, from the baseline:
- "lower is better" (lead times): baseline ÷ 10;
- a bounded percentage or index: close 90 % of the gap to the ideal bound (70 % → 97 %);
- an unbounded count: baseline × 10.
"""

from __future__ import annotations

from metrics.catalogue import MetricDefinition


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
