"""The import page's calls into the data layer, and its tables in the person's language."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from data.db import reading, writing
from data.exporter import long_format_frame, to_csv_bytes, to_xlsx_bytes, wide_template_frame
from data.figures import SaveResult
from data.importing.committing import commit_import
from data.importing.planning import ImportPlan, plan_import
from data.importing.problems import ImportProblem
from data.spreadsheet import neutralise
from metrics.catalogue import MetricDefinition
from metrics.disclosure import may_name, openable, shown_names
from metrics.periods import Quarter
from presentation.formatting import format_value
from presentation.i18n import translate
from ui.page import PageContext

PREVIEW_ROWS = 1000
_PLAN = "import_plan_cache"


def upload_limit_bytes() -> int:
    """The page's upload limit: Streamlit's ``server.maxUploadSize`` (megabytes)."""
    return int(st.get_option("server.maxUploadSize")) * 1024 * 1024


def plan_upload(context: PageContext, content: bytes, file_name: str, sheet: str | None = None) -> ImportPlan:
    """Plan once per file, sheet and data version: the confirm click's rerun reuses the preview."""
    key = (hashlib.sha256(content).hexdigest(), file_name, sheet, context.version)
    cached = st.session_state.get(_PLAN)
    if cached is not None and cached[0] == key:
        plan: ImportPlan = cached[1]
        return plan
    with reading(context.url) as session:
        plan = plan_import(session=session, actor=context.actor, content=content, file_name=file_name, sheet=sheet,
                           max_bytes=upload_limit_bytes())
    st.session_state[_PLAN] = (key, plan)
    return plan


def commit_upload(context: PageContext, plan: ImportPlan) -> SaveResult:
    with writing(context.url) as session:
        return commit_import(session=session, actor=context.actor, plan=plan)


def problems_table(problems: Sequence[ImportProblem], context: PageContext) -> pd.DataFrame:
    """Every problem: row as in the spreadsheet, column, value and why."""
    return pd.DataFrame([
        {
            context.t("column.row"): p.row if p.row is not None else "",
            context.t("column.column"): p.column or "",
            context.t("column.given_value"): p.value,
            context.t("column.problem"): translate(p.key, context.language, **p.params),
        }
        for p in problems
    ], columns=[context.t("column.row"), context.t("column.column"), context.t("column.given_value"),
                context.t("column.problem")])


def problems_csv(problems: Sequence[ImportProblem], context: PageContext) -> bytes:
    """The error report as CSV to download; every text cell neutralised against formulas."""
    table = problems_table(problems, context).astype(str).map(neutralise)
    return to_csv_bytes(table)


def changes_table(plan: ImportPlan, context: PageContext, kind: str = "changed") -> pd.DataFrame:
    """The plan's new or changed figures as ``old → new`` rows, at most :data:`PREVIEW_ROWS`."""
    organisations = shown_names(context.viewer, context.organisations)
    metrics = {m.id: m for m in context.metrics}
    rows: list[dict[str, str]] = []
    for change in plan.changes:
        if change.kind != kind:
            continue
        if len(rows) >= PREVIEW_ROWS:
            break
        figure, old = change.figure, change.current
        metric = metrics.get(figure.metric_id)
        if metric is None:
            continue

        def shown(value: float | None, status: str | None, metric: MetricDefinition = metric) -> str:
            if value is None:
                return "–"
            text = format_value(value, metric.unit_kind, metric.decimals, context.language)
            return f"{text} ({context.t(f'status.{status}')})" if status else text

        rows.append({
            context.t("column.organisation"): organisations.get(figure.organisation_id) or "–",
            context.t("column.metric"): metric.name(context.language),
            context.t("column.quarter"): figure.quarter.label(context.language),
            context.t("column.old_value"): shown(old.value, old.status) if old else "–",
            context.t("column.new_value"): shown(figure.value, figure.status),
        })
    return pd.DataFrame(rows)


def forbidden_organisations(plan: ImportPlan, context: PageContext) -> list[str]:
    """The organisations whose figures the file would change but the person may not edit: by name
    only where the disclosure rule allows it, the others counted."""
    by_id = {o.id: o for o in context.organisations}
    ids = {c.figure.organisation_id for c in plan.changes if c.kind != "unchanged"}
    refused = [i for i in ids if not context.actor.can_edit(i)]
    named = sorted(by_id[i].name for i in refused if i in by_id and may_name(context.viewer, i, by_id[i].named_comparison))
    others = len(refused) - len(named)
    if not others:
        return named
    return [*named, context.t("disclosure.other_organisation") if others == 1
            else context.t("disclosure.other_organisations", count=others)]


def template_bytes(context: PageContext, kind: str) -> bytes:
    """The wide template for the chosen organisation: its metrics and last four quarters, filled in."""
    assert context.organisation is not None
    with reading(context.url) as session:
        frame = wide_template_frame(session=session, organisation_id=context.organisation.id,
                                    last=Quarter.last_completed(), language=context.language)
    return to_xlsx_bytes(frame, sheet_name="effekt") if kind == "xlsx" else to_csv_bytes(frame)


def export_bytes(context: PageContext, kind: str, organisation_only: bool) -> bytes:
    """The long format in canonical form, for one organisation or every one this person may open
    (administrators: all; others their own, :func:`metrics.disclosure.openable`)."""
    if organisation_only and context.organisation:
        ids: list[int] | None = [context.organisation.id]
    else:
        ids = None if context.viewer.sees_all else [o.id for o in openable(context.viewer, context.organisations)]
    with reading(context.url) as session:
        frame = long_format_frame(session=session, organisation_ids=ids)
    return to_xlsx_bytes(frame) if kind == "xlsx" else to_csv_bytes(frame)
