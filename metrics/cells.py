"""Typed reads of one DataFrame cell (``row.value`` from ``itertuples``, ``frame.at[i, c]``, ``series.iloc[0]``).

pandas-stubs types a cell as the union of every scalar pandas can hold, so ``int(row.metric_id)`` does
not type-check although the column holds ids. These readers say what the column holds, convert as
``int()``/``float()`` always did (a wrong cell still raises ``TypeError``), and keep the one rule for a
missing value (None, NaN, ``pd.NA``, ``NaT``) in one place instead of ``x is None or pd.isna(x)`` on
every page.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import SupportsFloat, SupportsIndex, SupportsInt

import numpy as np
import pandas as pd


def missing(cell: object) -> bool:
    """No value: None, NaN (Python or NumPy), ``pd.NA`` or ``NaT``."""
    if cell is None or cell is pd.NA or cell is pd.NaT:
        return True
    return isinstance(cell, float | np.floating) and math.isnan(cell)


# The types cells hold, checked first: ``isinstance`` against the runtime-checkable protocols below
# costs microseconds a call, which at national scale was a tenth of Översikt's run.
_NUMERIC = (int, float, np.integer, np.floating, str, bytes)


def whole(cell: object) -> int:
    """A cell of a whole-number column (ids, quarter indexes, counts, versions)."""
    if isinstance(cell, (*_NUMERIC, SupportsInt, SupportsIndex)):  # in this order: the concrete types first
        return int(cell)
    raise TypeError(f"not a whole number: {cell!r}")


def number(cell: object) -> float:
    """A cell of a numeric column that holds a value here (the caller has ruled out a missing one)."""
    if isinstance(cell, (*_NUMERIC, SupportsFloat, SupportsIndex)):  # in this order: the concrete types first
        return float(cell)
    raise TypeError(f"not a number: {cell!r}")


def optional_number(cell: object) -> float | None:
    """A cell of a numeric column that may be empty: None for a missing value."""
    return None if missing(cell) else number(cell)


def optional_whole(cell: object) -> int | None:
    """A cell of a whole-number column that may be empty (a target's period, a metric id of a removed row)."""
    return None if missing(cell) else whole(cell)


def text(cell: object) -> str:
    """A cell of a text column; a missing value reads as the empty text."""
    return "" if missing(cell) else str(cell)


def moment(cell: object) -> dt.datetime:
    """A cell of a timestamp column (``pd.Timestamp`` is a ``datetime``)."""
    if isinstance(cell, dt.datetime):
        return cell
    raise TypeError(f"not a moment: {cell!r}")
