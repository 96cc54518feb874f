"""Checking rows against the organisations, metrics and quarters loaded once: each problem with
its row and column, suggestions for near misses, and a fast path for texts already read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from data.actors import Actor, viewer
from data.catalogue_store import list_metrics
from data.figures import MAX_COMMENT_LENGTH, Figure
from data.importing.layouts import REQUIRED_COLUMNS, LongReader, suggest
from data.importing.limits import (
    ImportLimits,
    ProblemList,
    found,
)
from data.importing.problems import ImportProblem
from data.organisations import list_organisations
from data.spreadsheet import deneutralise
from metrics.catalogue import MetricDefinition
from metrics.disclosure import nameable
from metrics.numbers import (
    LOOKS_GROUPED,
    NumberProblem,
    is_negative_zero_text,
    read_number,
)
from metrics.periods import Quarter, QuarterError

STATUS_WORDS = {
    "": "measured", "measured": "measured", "uppmätt": "measured", "uppmatt": "measured",
    "estimated": "estimated", "uppskattad": "estimated",
    "preliminary": "preliminary", "preliminär": "preliminary", "preliminar": "preliminary",
}


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})([ T].*)?$", re.ASCII)


_EXCEL_SERIAL = re.compile(r"^\d{5}(\.\d+)?$", re.ASCII)


_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _full(problems: list[ImportProblem]) -> bool:
    """True when a further problem would only be counted: no suggestion is worked out for it."""
    return isinstance(problems, ProblemList) and len(problems) >= problems.listed


class RowValidator:
    """Checks one row at a time against the organisations and metrics loaded once."""

    def __init__(self, session: Session, today: dt.date, actor: Actor, limits: ImportLimits | None = None) -> None:
        organisations = list_organisations(session=session)
        self.organisations = {o.code.lower(): o.id for o in organisations}
        self.organisations.update({o.name.lower(): o.id for o in organisations})
        suggestable = nameable(viewer(actor), organisations)
        self.organisation_names = [o.code for o in suggestable] + [o.name for o in suggestable]
        metrics = list_metrics(session=session, include_inactive=True)
        self.metrics: dict[str, MetricDefinition] = {m.code.lower(): m for m in metrics}
        for metric in metrics:
            self.metrics.setdefault(metric.name_sv.lower(), metric)
            self.metrics.setdefault(metric.name_en.lower(), metric)
        self.active_codes = [m.code for m in metrics if m.active]
        self.current_quarter = Quarter.containing(today)
        self.quarters: dict[str, Quarter | str] = {}
        self.seen: dict[tuple[int, int, int], int] = {}
        self.notices = ProblemList((limits or ImportLimits()).max_problems)
        self.row = 0
        self.cells: dict[str, str] = {}
        self.problems: list[ImportProblem] = []
        self.period_column = "period"

    def check(
        self, row: int, cells: dict[str, str], problems: list[ImportProblem], period_column: str = "period"
    ) -> Figure | None:
        before = found(problems)
        self.row, self.cells, self.problems, self.period_column = row, cells, problems, period_column
        organisation_id = self._organisation(cells["organisation"])
        metric = self._metric(cells["metric"])
        quarter = self._quarter(cells["period"])
        value = self._value(cells["value"], metric)
        status = STATUS_WORDS.get(cells["status"].strip().lower()) if "status" in cells else "measured"
        if status is None:
            self._problem("status", "import.unknown_status")
        comment = deneutralise(cells["comment"].strip()) if "comment" in cells else ""
        if len(comment) > MAX_COMMENT_LENGTH:
            problems.append(ImportProblem(row, "comment", comment[:40] + "…", "comment.too_long",
                                          {"limit": MAX_COMMENT_LENGTH, "length": len(comment)}))
        if found(problems) > before:
            return None
        assert organisation_id is not None
        assert metric is not None
        assert quarter is not None
        assert value is not None
        key = (organisation_id, metric.id or 0, quarter.index)
        other = self.seen.get(key)
        if other is not None:
            self._problem("period", "import.duplicate_rows", other_row=other, row=row)
            return None
        self.seen[key] = row
        return Figure(organisation_id, metric.id or 0, quarter, value, status or "measured", comment)

    def _problem(self, column: str, key: str, **params: object) -> None:
        """Record a problem in the current row; in the wide template, period and value problems
        point at the quarter's column."""
        shown = self.period_column if column in ("period", "value") and self.period_column != "period" else column
        self.problems.append(ImportProblem(self.row, shown, self.cells.get(column, ""), key, params))

    def _organisation(self, text: str) -> int | None:
        organisation_id = self.organisations.get(deneutralise(text.strip()).lower())
        if organisation_id is None:
            near = "" if _full(self.problems) else suggest(text.strip(), self.organisation_names)
            if near:
                self._problem("organisation", "import.unknown_organisation_near", suggestions=near)
            else:
                self._problem("organisation", "import.unknown_organisation")
        return organisation_id

    def _metric(self, text: str) -> MetricDefinition | None:
        metric = self.metrics.get(text.strip().lower())
        if metric is not None and not metric.active:
            self._problem("metric", "import.inactive_metric", code=metric.code)
            return None
        if metric is None:
            near = "" if _full(self.problems) else suggest(text.strip().lower(), self.active_codes)
            if near:
                self._problem("metric", "import.unknown_metric_near", suggestions=near)
            else:
                self._problem("metric", "import.unknown_metric")
        return metric

    def _quarter(self, text: str) -> Quarter | None:
        known = self.quarters.get(text)
        if known is None:
            known = self.quarters[text] = _read_quarter(text)
        if isinstance(known, str):
            key, _, shown = known.partition("|")
            self._problem("period", key, **({"date": shown} if shown else {}))
            return None
        if known > self.current_quarter:
            self._problem("period", "period.future", quarter=str(known))
            return None
        return known

    def _value(self, text: str, metric: MetricDefinition | None) -> float | None:
        if not text.strip():
            self._problem("value", "import.missing_value")
            return None
        try:
            value = read_number(text)
        except NumberProblem as error:
            self._problem("value", error.key)
            return None
        if metric is not None:
            issue = metric.range_problem(value)
            if issue:
                self._problem("value", issue, min=metric.min_value, max=metric.max_value, value=value)
                return None
        if "," in text and LOOKS_GROUPED.match(text.strip()):
            shown = text.strip()
            self.notices.append(ImportProblem(self.row, "value", shown, "import.comma_is_decimal", {
                "value": shown, "number": value, "thousands": int(shown.replace(",", "")),
            }))
        elif is_negative_zero_text(text):
            self.notices.append(ImportProblem(self.row, "value", text.strip(), "invalid.negative_zero", {}))
        return value


def check_long_rows(
    rows: Iterable[tuple[int, list[str]]], reader: LongReader, validator: RowValidator,
    problems: list[ImportProblem], figures: list[Figure],
) -> int:
    """Validate the long format's rows into ``figures``; returns how many rows were read.

    A national file repeats a few hundred organisation, metric, quarter and status texts half a
    million times, so each distinct text is checked once by :meth:`RowValidator.check` and its
    reading remembered (:class:`_KnownTexts`); a row whose texts are all known becomes a figure
    without the per-row checks. Anything new or wrong goes through ``check``, which reports it
    exactly as before.
    """
    known = _KnownTexts.of(reader.columns)
    width = max(reader.columns.values()) + 1
    count = 0
    for row_number, cells in rows:
        count += 1
        fast = known.figure(cells, row_number, validator.seen) if len(cells) >= width else None
        if fast is not None:
            figures.append(fast)
            continue
        notices = validator.notices.found
        figure = validator.check(row_number, reader.record(cells), problems)
        if figure is not None:
            figures.append(figure)
            known.remember(cells, figure, value_read_cleanly=validator.notices.found == notices)
    return count


@dataclass
class _KnownTexts:
    """The texts of one file already read by :meth:`RowValidator.check`, with what they read as."""

    at: tuple[int, int, int, int]  # the organisation, metric, period and value columns
    at_status: int | None
    at_comment: int | None
    organisations: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, int] = field(default_factory=dict)
    quarters: dict[str, Quarter] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    values: dict[tuple[int, str], float] = field(default_factory=dict)

    @classmethod
    def of(cls, columns: dict[str, int]) -> _KnownTexts:
        at_organisation, at_metric, at_period, at_value = (columns[name] for name in REQUIRED_COLUMNS)
        known = cls((at_organisation, at_metric, at_period, at_value), columns.get("status"), columns.get("comment"))
        if known.at_status is not None:
            known.statuses[""] = "measured"
        return known

    def figure(self, cells: list[str], row_number: int, seen: dict[tuple[int, int, int], int]) -> Figure | None:
        """The row's figure when every text in it is known (and the cell is new), else None."""
        organisation_id, metric_id = self.organisations.get(cells[self.at[0]]), self.metrics.get(cells[self.at[1]])
        quarter = self.quarters.get(cells[self.at[2]])
        status = self.statuses.get(cells[self.at_status]) if self.at_status is not None else "measured"
        if organisation_id is None or metric_id is None or quarter is None or status is None:
            return None
        value = self.values.get((metric_id, cells[self.at[3]]))
        comment = cells[self.at_comment] if self.at_comment is not None else ""
        if comment:
            comment = deneutralise(comment.strip())
            if len(comment) > MAX_COMMENT_LENGTH:
                return None
        key = (organisation_id, metric_id, quarter.index)
        if value is None or key in seen:
            return None
        seen[key] = row_number
        return Figure(organisation_id, metric_id, quarter, value, status, comment)

    def remember(self, cells: list[str], figure: Figure, *, value_read_cleanly: bool) -> None:
        """What this checked row's texts read as, for the rows that repeat them."""
        self.organisations[cells[self.at[0]]] = figure.organisation_id
        self.metrics[cells[self.at[1]]] = figure.metric_id
        self.quarters[cells[self.at[2]]] = figure.quarter
        if self.at_status is not None:
            self.statuses[cells[self.at_status]] = figure.status
        if value_read_cleanly and figure.value is not None:
            self.values[(figure.metric_id, cells[self.at[3]])] = figure.value


def _read_quarter(text: str) -> Quarter | str:
    """The quarter, or why not as ``key|date``: dates and Excel date serials get their own message."""
    raw = text.strip()
    try:
        return Quarter.parse(raw)
    except QuarterError:
        pass
    if _EXCEL_SERIAL.match(raw):
        day = _EXCEL_EPOCH + dt.timedelta(days=int(float(raw)))
        return f"import.period_excel_date|{day.isoformat()}"
    if _ISO_DATE.match(raw):
        return f"import.period_is_date|{raw[:10]}"
    return "import.bad_period"
