"""Writing figures out in the long format: canonical, lossless, and safe to open in Excel.

Canonical means: organisation and metric codes, quarters as ``2024-Q1``, values with a decimal
point and no thousands separator, status in English. Importing an export changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from data.catalogue_store import list_metrics
from data.events import EventInfo, list_events
from data.figures import figures_frame
from data.importing.layouts import LONG_COLUMNS
from data.organisations import list_organisations
from data.spreadsheet import neutralise, neutralise_frame
from metrics.cells import number, whole
from metrics.periods import Quarter


def long_format_frame(
    *,
    session: Session,
    organisation_ids: Iterable[int] | None = None,
    first: Quarter | None = None,
    last: Quarter | None = None,
) -> pd.DataFrame:
    """Figures as rows of the long format, sorted by organisation, metric and quarter."""
    organisations = {o.id: o.code for o in list_organisations(session=session, include_inactive=True)}
    metrics = {m.id: (m.position, m.code) for m in list_metrics(session=session, include_inactive=True)}
    figures = figures_frame(session=session, organisation_ids=organisation_ids, first=first, last=last)
    if figures.empty:
        return pd.DataFrame(columns=list(LONG_COLUMNS))
    frame = pd.DataFrame({
        "organisation": figures["organisation_id"].map(organisations).map(neutralise),
        "metric": figures["metric_id"].map(lambda i: metrics[i][1]),
        "metric_position": figures["metric_id"].map(lambda i: metrics[i][0]),
        "period_index": figures["period"],
        "period": figures["period"].map(lambda p: str(Quarter.from_index(int(p)))),
        "value": figures["value"].map(canonical_number),
        "status": figures["status"],
        "comment": figures["comment"].map(neutralise),
    })
    frame = frame.sort_values(["organisation", "metric_position", "period_index"])
    return frame[list(LONG_COLUMNS)].reset_index(drop=True)


def _is_quarter_column(name: str) -> bool:
    try:
        Quarter.parse(name)
    except ValueError:
        return False
    return True


def canonical_number(value: float) -> str:
    """Shortest text that reads back as the same float: ``40`` not ``40.0``, ``12.5``."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV through the one neutraliser: no text cell runs as a formula in a spreadsheet."""
    buffer = io.StringIO()
    neutralise_frame(frame).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "figures",
                  extra_sheets: dict[str, pd.DataFrame] | None = None) -> bytes:
    """The frame as one sheet; ``extra_sheets`` (name → frame) after it, e.g. the events."""
    numeric = [c for c in frame.columns if c == "value" or _is_quarter_column(str(c))]
    if numeric:  # numbers, not text, in Excel
        frame = frame.assign(**{c: pd.to_numeric(frame[c].replace("", None)) for c in numeric})
    return workbook_bytes({sheet_name: frame, **(extra_sheets or {})})


def workbook_bytes(
    sheets: Mapping[str, pd.DataFrame], freeze: str | None = None, layout: Callable[[Any], None] | None = None
) -> bytes:
    """An XLSX of one sheet per frame, each through the one neutraliser (formulas neutralised,
    characters XLSX cannot hold replaced), optionally with frozen panes at ``freeze`` and each
    openpyxl sheet given to ``layout`` (column widths, wrapping)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            neutralise_frame(frame, xlsx=True).to_excel(writer, index=False, sheet_name=name[:31])
            if freeze:
                writer.sheets[name[:31]].freeze_panes = freeze
            if layout is not None:
                layout(writer.sheets[name[:31]])
    return buffer.getvalue()


EVENT_COLUMNS = ("id", "organisation", "period", "kind", "metric", "title", "note")


def events_frame(
    *, session: Session, organisation_ids: Iterable[int] | None = None,
    first: Quarter | None = None, last: Quarter | None = None, metric_code: str | None = None,
) -> pd.DataFrame:
    """The events on the timeline beside the figures (``cli.py export``)."""
    organisations = {o.id: o.code for o in list_organisations(session=session, include_inactive=True)}
    wanted = set(organisation_ids) if organisation_ids is not None else None
    events = [e for e in list_events(session=session, organisation_ids=wanted, metric_code=metric_code)
              if (first is None or e.quarter >= first) and (last is None or e.quarter <= last)]
    return event_table(events, organisations)


def event_table(events: Sequence[EventInfo], organisation_codes: dict[int, str]) -> pd.DataFrame:
    """Events canonical like the figures (codes, ``2024-Q1``), texts neutralised against spreadsheet
    formulas: the events sheet of every download."""
    rows = [
        {"id": e.id, "organisation": neutralise(organisation_codes.get(e.organisation_id, "")),
         "period": str(e.quarter), "kind": e.kind, "metric": e.metric_code or "", "title": neutralise(e.title),
         "note": neutralise(e.note)}
        for e in events
    ]
    return pd.DataFrame(rows, columns=list(EVENT_COLUMNS))


def wide_template_frame(
    *, session: Session, organisation_id: int, last: Quarter, quarters: int = 4, language: str = "sv"
) -> pd.DataFrame:
    """The wide template for one organisation: a row per active metric, a column per quarter
    (the ``quarters`` ending with ``last``), filled with the stored figures; empty cells are gaps.

    ``name`` and ``unit`` are there for the person and ignored on import."""
    organisation = {o.id: o.code for o in list_organisations(session=session, include_inactive=True)}[organisation_id]
    metrics = list_metrics(session=session)
    periods = [last - offset for offset in reversed(range(quarters))]
    figures = figures_frame(session=session, organisation_ids=[organisation_id], first=periods[0], last=last)
    stored = {(whole(r.metric_id), whole(r.period)): number(r.value) for r in figures.itertuples(index=False)}
    rows = [
        {
            "organisation": organisation,
            "metric": metric.code,
            "name": neutralise(metric.name(language)),
            "unit": neutralise(metric.unit(language)),
            **{
                str(q): canonical_number(stored[(metric.id or 0, q.index)]) if (metric.id or 0, q.index) in stored else ""
                for q in periods
            },
        }
        for metric in metrics
    ]
    return pd.DataFrame(rows, columns=["organisation", "metric", "name", "unit", *(str(q) for q in periods)])
