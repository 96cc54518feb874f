"""The built-in catalogue: the 18 fixed codes of docs/METRICS.md, complete in both languages."""

import re
from pathlib import Path

from metrics.catalogue import load_builtin_catalogue
from metrics.targets import propose_10x_target

METRICS_MD = Path(__file__).resolve().parents[1] / "docs" / "METRICS.md"
EXPECTED_CODES = [
    "vision_alignment", "ideas_delivered", "digital_maturity", "admin_reduction",
    "customer_satisfaction", "value_for_others", "external_focus", "project_success_rate",
    "lessons_shared", "customer_smiles", "media_stories", "reverse_mentoring",
    "ecosystem_collaborations", "social_media_visibility", "api_opening_time",
    "datasets_published", "right_first_time", "priority_lead_time",
]


def test_the_eighteen_codes_in_catalogue_order():
    assert [m.code for m in load_builtin_catalogue()] == EXPECTED_CODES


def test_codes_names_and_directions_match_metrics_md():
    table = METRICS_MD.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| ([^|]+) \|[^|]+\| (higher|lower) \|", table, re.M)
    by_code = {m.code: m for m in load_builtin_catalogue()}
    assert [r[0] for r in rows] == EXPECTED_CODES
    for code, name_sv, name_en, direction in rows:
        assert by_code[code].name_sv == name_sv.strip()
        assert by_code[code].name_en == name_en.strip()
        assert by_code[code].direction == direction


def test_every_metric_is_complete_in_both_languages():
    for metric in load_builtin_catalogue():
        for language in ("sv", "en"):
            assert metric.name(language).strip(), metric.code
            assert metric.unit(language).strip(), metric.code
            assert len(metric.definition(language)) > 80, metric.code
            assert metric.description(language).strip(), metric.code
        assert metric.passage.strip(), metric.code
        assert metric.passage_by.strip(), metric.code


def test_kinds_have_the_rules_of_their_unit():
    for metric in load_builtin_catalogue():
        if metric.unit_kind == "count":
            assert metric.whole_number
            assert metric.decimals == 0
            assert metric.max_value is None
        if metric.unit_kind in ("percent", "index"):
            assert (metric.min_value, metric.max_value) == (0.0, 100.0)
        if metric.unit_kind == "days":
            assert metric.direction == "lower"
            assert metric.aggregation == "median"


def test_ten_x_proposals_for_each_kind_of_metric():
    by_code = {m.code: m for m in load_builtin_catalogue()}
    assert propose_10x_target(by_code["customer_satisfaction"], 70.0) == 97.0
    assert propose_10x_target(by_code["api_opening_time"], 120.0) == 12.0
    assert propose_10x_target(by_code["ideas_delivered"], 4.0) == 40.0
    assert propose_10x_target(by_code["digital_maturity"], 50.0) == 95.0


def test_range_problems_name_the_rule_broken():
    by_code = {m.code: m for m in load_builtin_catalogue()}
    assert by_code["customer_satisfaction"].range_problem(120.0) == "value.above_max"
    assert by_code["ideas_delivered"].range_problem(-1.0) == "value.below_min"
    assert by_code["ideas_delivered"].range_problem(2.5) == "value.not_whole"
    assert by_code["ideas_delivered"].range_problem(float("nan")) == "value.not_finite"
    assert by_code["api_opening_time"].range_problem(3.5) is None
