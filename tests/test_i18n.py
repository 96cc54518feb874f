"""Translations: every key in both languages, every key the code uses exists, locale formats."""

import datetime as dt
import re
from pathlib import Path

import pytest

from data.models import FIGURE_STATUSES, ORGANISATION_KINDS
from presentation.formatting import format_change, format_date, format_number, format_value
from presentation.i18n import LANGUAGES, catalogue, translate

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for d in ("app_pages", "ui", "presentation", "data", "metrics", "reports", "web") for p in (ROOT / d).rglob("*.py")
           if "migrations" not in p.parts and p.name != "models.py"] + [
    ROOT / "dashboard.py", ROOT / "cli.py", ROOT / "cli_rounds.py", ROOT / "cli_sweden.py",
]
CALLED = re.compile(r"""\b(?:t|translate)\(\s*["']([a-z_0-9.]+)["']""")
MESSAGE_KEY = re.compile(r"""["']((?:import|value|period|status|comment|metric|permission)\.[a-z_]+)["']""")


def test_every_key_has_swedish_and_english_text():
    missing = [(key, lang) for key, texts in catalogue().items() for lang in LANGUAGES if not texts.get(lang, "").strip()]
    assert missing == []


def test_every_key_the_code_uses_is_translated():
    used = set()
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        used |= set(CALLED.findall(source)) | set(MESSAGE_KEY.findall(source))
    dynamic = {f"status.{s}" for s in FIGURE_STATUSES} | {f"kind.{k}" for k in ORGANISATION_KINDS}
    dynamic |= {f"direction.{d}" for d in ("higher", "lower")} | {f"aggregation.{a}" for a in ("sum", "mean", "median")}
    assert len(used) > 50
    assert sorted((used | dynamic) - set(catalogue())) == []


def test_placeholders_are_the_same_in_both_languages():
    for key, texts in catalogue().items():
        assert set(re.findall(r"{(\w+)}", texts["sv"])) == set(re.findall(r"{(\w+)}", texts["en"])), key


def test_translate_fills_in_numbers_in_the_readers_locale():
    assert translate("cli.exported", "sv", rows=2472, path="x.csv") == "2\u00a0472 värden exporterade till x.csv."
    assert translate("cli.exported", "en", rows=2472, path="x.csv") == "2,472 figures exported to x.csv."
    assert translate("value.above_max", "sv", max=100.0) == "Värdet är högre än det högsta tillåtna, 100."


@pytest.mark.parametrize(("value", "kind", "decimals", "sv", "en"), [
    (1234567.8, "count", 1, "1\u00a0234\u00a0567,8", "1,234,567.8"),
    (87.5, "percent", 1, "87,5\u00a0%", "87.5%"),
    (12, "days", 0, "12\u00a0dagar", "12\u00a0days"),
    (1, "days", 0, "1\u00a0dag", "1\u00a0day"),
    (None, "percent", 1, "–", "–"),
])
def test_values_in_both_locales(value, kind, decimals, sv, en):
    assert format_value(value, kind, decimals, "sv") == sv
    assert format_value(value, kind, decimals, "en") == en


def test_changes_carry_a_sign_and_percentage_points():
    assert format_change(2.14, "percent", 1, "sv") == "+2,1\u00a0p.e."
    assert format_change(-3, "days", 0, "en") == "\u22123\u00a0days"
    assert format_change(0, "count", 0, "sv") == "±0"


def test_dates_and_plain_numbers():
    assert format_date(dt.date(2025, 9, 30), "sv") == "2025-09-30"
    assert format_date(dt.date(2025, 9, 30), "en") == "30 Sep 2025"
    assert format_number(0.25, "sv", None) == "0,25"
