"""The typed cell readers behind every ``itertuples`` loop (metrics/cells.py)."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from metrics.cells import missing, moment, number, optional_number, optional_whole, text, whole


@pytest.mark.parametrize("cell", [None, float("nan"), np.float64("nan"), np.float32("nan"), pd.NA, pd.NaT])
def test_every_spelling_of_no_value_is_missing(cell):
    assert missing(cell)
    assert optional_number(cell) is None
    assert optional_whole(cell) is None
    assert text(cell) == ""


@pytest.mark.parametrize("cell", [0, 0.0, "", False, "–"])
def test_zero_false_and_empty_text_are_values_not_missing(cell):
    assert not missing(cell)


def test_a_frame_of_ids_and_values_reads_back_as_python_numbers():
    frame = pd.DataFrame({"metric_id": [3], "period": [8102.0], "value": [49.4], "comment": [None]})
    row = next(frame.itertuples(index=False))
    read = (whole(row.metric_id), whole(row.period), number(row.value), text(row.comment))
    assert read == (3, 8102, 49.4, "")
    assert [type(x) for x in read] == [int, int, float, str]


def test_a_cell_of_the_wrong_kind_is_refused_not_guessed():
    with pytest.raises(TypeError, match=r"not a whole number: datetime\.date"):
        whole(dt.date(2025, 1, 1))
    with pytest.raises(TypeError, match="not a number: None"):
        number(None)
    with pytest.raises(TypeError, match="not a moment: '2025-01-01'"):
        moment("2025-01-01")


def test_a_timestamp_cell_is_a_moment():
    stamp = pd.Timestamp("2025-10-30 14:05")
    assert moment(stamp).strftime("%Y-%m-%d %H:%M") == "2025-10-30 14:05"
