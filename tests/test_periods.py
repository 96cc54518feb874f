"""Quarters: every accepted spelling, every rejection, and the arithmetic the progress maths uses."""

import datetime as dt

import pytest

from metrics.periods import Quarter, QuarterError, quarter_range


@pytest.mark.parametrize("text", [
    "2024-Q1", "2024Q1", "2024 Q1", "2024-K1", "2024 K1", "Q1 2024", "K1 2024",
    "2024q1", "2024 k1", "q1 2024", "  2024-Q1  ", "k1-2024",
])
def test_accepted_spellings_all_mean_the_first_quarter_of_2024(text):
    assert Quarter.parse(text) == Quarter(2024, 1)
    assert str(Quarter.parse(text)) == "2024-Q1"


@pytest.mark.parametrize("text", [
    "2024Q5", "2024-Q0", "2024-13", "24Q1", "Q1", "2024", "", "abc", "2024-01", "45292", "Q1 24", "2024 Q 1 x",
])
def test_other_texts_are_rejected_with_the_accepted_forms_shown(text):
    with pytest.raises(QuarterError) as error:
        Quarter.parse(text)
    assert "2024-Q1" in str(error.value)


def test_previous_and_same_quarter_last_year_cross_year_boundaries():
    q = Quarter(2025, 1)
    assert q.previous == Quarter(2024, 4)
    assert q.same_quarter_last_year == Quarter(2024, 1)
    assert q + 3 == Quarter(2025, 4)
    assert q + 4 == Quarter(2026, 1)
    assert Quarter(2024, 3).quarters_until(Quarter(2026, 1)) == 6


def test_ordering_and_ranges():
    assert Quarter(2024, 4) < Quarter(2025, 1)
    assert sorted([Quarter(2025, 2), Quarter(2023, 4)]) == [Quarter(2023, 4), Quarter(2025, 2)]
    assert [str(q) for q in quarter_range(Quarter(2024, 3), Quarter(2025, 1))] == ["2024-Q3", "2024-Q4", "2025-Q1"]


def test_dates_and_the_last_completed_quarter():
    assert Quarter.containing(dt.date(2025, 11, 27)) == Quarter(2025, 4)
    assert Quarter.last_completed(dt.date(2025, 11, 27)) == Quarter(2025, 3)
    assert Quarter.last_completed(dt.date(2026, 1, 1)) == Quarter(2025, 4)
    assert Quarter(2025, 3).first_day == dt.date(2025, 7, 1)
    assert Quarter(2025, 3).last_day == dt.date(2025, 9, 30)


def test_labels_in_running_text():
    assert Quarter(2025, 3).label("sv") == "2025 K3"
    assert Quarter(2025, 3).label("en") == "2025 Q3"
