"""Counts made comparable across organisations of different size.

Ten ideas a quarter mean something else in a municipality of 7 000 inhabitants than in a region of
400 000. Counts can be shown per 1 000 employees or per 10 000 inhabitants; an organisation without
the denominator is listed as missing, never silently dropped or divided by zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

# basis -> (the organisation attribute that is the denominator, per how many)
BASES: dict[str, tuple[str, int]] = {
    "employees": ("employees", 1000),
    "inhabitants": ("population", 10000),
}


class NormalisationError(ValueError):
    """An unknown basis for normalisation."""


@dataclass(frozen=True)
class Normalised:
    """The figures divided by size, and the organisations that could not be (no denominator)."""

    figures: pd.DataFrame
    missing: tuple[int, ...]


def normalise(figures: pd.DataFrame, denominators: Mapping[int, int | None], basis: str) -> Normalised:
    """``value`` per 1 000 employees or per 10 000 inhabitants, by ``organisation_id``.

    ``denominators`` maps organisation id to its employees or population (None or 0: unknown).
    """
    if basis not in BASES:
        raise NormalisationError(f"unknown basis {basis!r}; use one of {', '.join(BASES)}")
    per = BASES[basis][1]
    known = {o: d for o, d in denominators.items() if d}
    has = figures["organisation_id"].isin(list(known)) if len(figures) else pd.Series(dtype=bool)
    kept = figures[has].copy() if len(figures) else figures.copy()
    if len(kept):
        kept["value"] = kept["value"] / kept["organisation_id"].map(known).astype("float64") * per
    missing = sorted({int(o) for o in figures["organisation_id"]} - set(known)) if len(figures) else []
    return Normalised(kept, tuple(missing))
