"""Checking rows against the organisations, metrics and quarters loaded once: each problem with
its row and column, suggestions for near misses, and a fast path for texts already read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

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
        assert organisation_id is not None and metric is not None and quarter is not None and value is not None
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
    reading remembered; a row whose texts are all known (and whose value text was already read
    for the same metric without a notice) becomes a figure without the per-row checks. Anything
    new or wrong goes through ``check``, which reports it exactly as before.
    """
    columns = reader.columns
    at_organisation, at_metric, at_period, at_value = (columns[name] for name in REQUIRED_COLUMNS)
    at_status, at_comment = columns.get("status"), columns.get("comment")
    width = max(columns.values()) + 1
    organisations: dict[str, int] = {}
    metrics: dict[str, int] = {}
    quarters: dict[str, Quarter] = {}
    statuses: dict[str, str] = {"": "measured"} if at_status is not None else {}
    values: dict[tuple[int, str], float] = {}
    seen = validator.seen
    add = figures.append
    count = 0
    for row_number, cells in rows:
        count += 1
        if len(cells) >= width:
            organisation_id = organisations.get(cells[at_organisation])
            metric_id = metrics.get(cells[at_metric])
            quarter = quarters.get(cells[at_period])
            status = statuses.get(cells[at_status]) if at_status is not None else "measured"
            if organisation_id is not None and metric_id is not None and quarter is not None and status is not None:
                value = values.get((metric_id, cells[at_value]))
                comment = cells[at_comment] if at_comment is not None else ""
                if comment:
                    comment = deneutralise(comment.strip())
                    if len(comment) > MAX_COMMENT_LENGTH:
                        value = None
                key = (organisation_id, metric_id, quarter.index)
                if value is not None and key not in seen:
                    seen[key] = row_number
                    add(Figure(organisation_id, metric_id, quarter, value, status, comment))
                    continue
        notices = validator.notices.found
        figure = validator.check(row_number, reader.record(cells), problems)
        if figure is None:
            continue
        add(figure)
        organisations[cells[at_organisation]] = figure.organisation_id
        metrics[cells[at_metric]] = figure.metric_id
        quarters[cells[at_period]] = figure.quarter
        if at_status is not None:
            statuses[cells[at_status]] = figure.status
        if validator.notices.found == notices and figure.value is not None:
            values[(figure.metric_id, cells[at_value])] = figure.value
    return count


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
