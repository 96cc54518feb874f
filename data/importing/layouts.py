"""The two layouts the importer reads: the long format (one figure per row) and the wide template
(one organisation, a row per metric, a column per quarter); their headers mapped to columns.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence

from data.importing.problems import ImportProblem
from metrics.periods import Quarter, QuarterError

LONG_COLUMNS = ("organisation", "metric", "period", "value", "status", "comment")


REQUIRED_COLUMNS = ("organisation", "metric", "period", "value")


# The wide template's descriptive columns: written for the person, ignored on import.
WIDE_LABEL_COLUMNS = ("name", "unit")


# Swedish headings people write; read as the long format's names.
COLUMN_ALIASES = {
    "mätetal": "metric", "kvartal": "period", "värde": "value", "kommentar": "comment",
    "namn": "name", "enhet": "unit", "kod": "metric",
}


def normalised(name: str) -> str:
    name = name.strip().lstrip("\ufeff").strip().lower()
    return COLUMN_ALIASES.get(name, name)


def is_quarter(text: str) -> bool:
    try:
        Quarter.parse(text)
    except QuarterError:
        return False
    return True


def layout_of(header: Sequence[str]) -> str:
    """Wide when quarters head the columns and there is no period or value column."""
    names = {normalised(h) for h in header}
    if "period" not in names and "value" not in names and any(is_quarter(h) for h in header):
        return "wide"
    return "long"


def suggest(name: str, options: Iterable[str], count: int = 3) -> str:
    return ", ".join(difflib.get_close_matches(name, list(options), n=count, cutoff=0.6))


class LongReader:
    """Maps the long format's header to columns; each row is one figure."""

    def __init__(self, header: Sequence[str], problems: list[ImportProblem]) -> None:
        self.columns: dict[str, int] = {}
        for index, raw in enumerate(header):
            name = normalised(raw)
            if not name:
                continue
            if name in self.columns:
                problems.append(ImportProblem(1, raw, raw, "import.duplicate_column"))
            elif name in LONG_COLUMNS:
                self.columns[name] = index
            else:
                _unknown_column(raw, LONG_COLUMNS, problems)
        for name in REQUIRED_COLUMNS:
            if name not in self.columns:
                problems.append(ImportProblem(1, name, "", "import.missing_column", {"column": name}))

    def records(self, cells: list[str]) -> Iterator[tuple[dict[str, str], str]]:
        yield self.record(cells), "period"

    def record(self, cells: list[str]) -> dict[str, str]:
        return {name: cells[i] if i < len(cells) else "" for name, i in self.columns.items()}


class WideReader:
    """The wide template: organisation and metric per row, one column per quarter; an empty cell
    is no figure (it neither adds nor retracts one)."""

    def __init__(self, header: Sequence[str], problems: list[ImportProblem]) -> None:
        self.columns: dict[str, int] = {}
        self.quarters: list[tuple[int, str]] = []
        known = ("organisation", "metric", *WIDE_LABEL_COLUMNS)
        for index, raw in enumerate(header):
            name = normalised(raw)
            if not name:
                continue
            if is_quarter(raw):
                self.quarters.append((index, raw.strip()))
            elif name in self.columns:
                problems.append(ImportProblem(1, raw, raw, "import.duplicate_column"))
            elif name in known:
                self.columns[name] = index
            else:
                _unknown_column(raw, known, problems)
        for name in ("organisation", "metric"):
            if name not in self.columns:
                problems.append(ImportProblem(1, name, "", "import.missing_column", {"column": name}))

    def records(self, cells: list[str]) -> Iterator[tuple[dict[str, str], str]]:
        def cell(index: int) -> str:
            return cells[index] if index < len(cells) else ""

        base = {name: cell(index) for name, index in self.columns.items() if name in ("organisation", "metric")}
        for index, period in self.quarters:
            value = cell(index)
            if value.strip():
                yield {**base, "period": period, "value": value}, period


def _unknown_column(raw: str, known: Sequence[str], problems: list[ImportProblem]) -> None:
    suggestion = suggest(normalised(raw), list(known) + list(COLUMN_ALIASES), count=1)
    suggestion = COLUMN_ALIASES.get(suggestion, suggestion)
    if suggestion:
        problems.append(ImportProblem(1, raw, raw, "import.unknown_column_near", {"suggestion": suggestion}))
    else:
        problems.append(ImportProblem(1, raw, raw, "import.unknown_column", {"expected": ", ".join(known)}))
