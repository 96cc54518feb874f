"""The organisation's figures for download: XLSX with sheets people expect, CSV in the long format.

The workbook has one sheet with a row per metric and a column per quarter (how people lay out a
KPI table), the long format (what the importer reads back), targets when they are set, and the
metric definitions. Every text cell is neutralised: a comment like ``=HYPERLINK(...)`` must never
run as a formula when a board member opens the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from data.exporter import canonical_number, to_csv_bytes, workbook_bytes
from data.importing.layouts import LONG_COLUMNS
from data.spreadsheet import neutralise
from metrics.cells import number, whole
from metrics.periods import Quarter
from presentation.i18n import translate
from reports.model import BoardInputs, TargetInfo

_WIDEST = 60  # characters: a definition wraps rather than running across several printed pages


def long_frame(inputs: BoardInputs, organisation_code: str) -> pd.DataFrame:
    """The figures in the canonical long format (the same as the importer reads)."""
    figures = inputs.figures
    if figures.empty:
        return pd.DataFrame(columns=list(LONG_COLUMNS))
    codes = {m.id: (m.position, m.code) for m in inputs.metrics}
    figures = figures[figures["metric_id"].isin(codes)]
    frame = pd.DataFrame({
        "organisation": neutralise(organisation_code),
        "metric": figures["metric_id"].map(lambda i: codes[i][1]),
        "position": figures["metric_id"].map(lambda i: codes[i][0]),
        "period_index": figures["period"],
        "period": figures["period"].map(lambda p: str(Quarter.from_index(int(p)))),
        "value": figures["value"].map(canonical_number),
        "status": figures["status"],
        "comment": figures["comment"].fillna("").map(neutralise),
    })
    frame = frame.sort_values(["position", "period_index"])
    return frame[list(LONG_COLUMNS)].reset_index(drop=True)


def organisation_csv(inputs: BoardInputs, organisation_code: str) -> bytes:
    return to_csv_bytes(long_frame(inputs, organisation_code))


def organisation_workbook(inputs: BoardInputs, organisation_code: str) -> bytes:
    """XLSX: by quarter (metrics × quarters), long format, targets (when set), definitions."""
    language = inputs.language
    sheets: dict[str, pd.DataFrame] = {
        translate("board.sheet.by_quarter", language): _by_quarter(inputs),
        translate("board.sheet.long", language): long_frame(inputs, organisation_code).assign(
            value=lambda f: pd.to_numeric(f["value"])),
    }
    if inputs.targets:
        sheets[translate("board.sheet.targets", language)] = _targets(inputs, inputs.targets)
    sheets[translate("board.sheet.definitions", language)] = _definitions(inputs)
    return workbook_bytes(sheets, freeze="B2", layout=_fit_columns)


def _fit_columns(sheet: Any) -> None:
    """Columns as wide as their text (up to 60 characters; longer text wraps), so Excel and LibreOffice
    show and print the names, codes and owners in full instead of cutting them at the default width."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for position, column in enumerate(sheet.iter_cols(), start=1):
        longest = max((len(str(cell.value)) for cell in column if cell.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(position)].width = min(max(longest, 8), _WIDEST) + 2
        if longest > _WIDEST:
            for cell in column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _by_quarter(inputs: BoardInputs) -> pd.DataFrame:
    language = inputs.language
    figures = inputs.figures
    periods = sorted(int(p) for p in figures["period"].unique()) if len(figures) else []
    cells = {(whole(r.metric_id), whole(r.period)): number(r.value) for r in figures.itertuples(index=False)}
    rows = []
    for metric in inputs.metrics:
        row: dict[str, object] = {
            translate("column.metric", language): neutralise(metric.name(language)),
            translate("board.sheet.unit", language): neutralise(metric.unit(language)),
        }
        for period in periods:
            row[str(Quarter.from_index(period))] = cells.get((metric.id or 0, period))
        rows.append(row)
    return pd.DataFrame(rows)


def _targets(inputs: BoardInputs, targets: Mapping[str, TargetInfo]) -> pd.DataFrame:
    language = inputs.language
    rows = []
    for metric in inputs.metrics:
        target = targets.get(metric.code)
        if target is None:
            continue
        rows.append({
            translate("column.metric", language): neutralise(metric.name(language)),
            translate("board.column.target", language): target.target_value,
            translate("board.sheet.target_quarter", language): str(target.target_quarter or ""),
            translate("board.follow_up.owner", language): neutralise(target.owner),
            translate("board.column.status", language): translate(f"target.status.{target.status}", language)
            if target.status else "",
        })
    return pd.DataFrame(rows)


def _definitions(inputs: BoardInputs) -> pd.DataFrame:
    language = inputs.language
    return pd.DataFrame([{
        translate("board.sheet.code", language): metric.code,
        translate("column.metric", language): neutralise(metric.name(language)),
        translate("board.sheet.unit", language): neutralise(metric.unit(language)),
        translate("board.sheet.direction", language): translate(f"direction.{metric.direction}", language),
        translate("board.sheet.definition", language): neutralise(metric.definition(language)),
    } for metric in inputs.metrics])
