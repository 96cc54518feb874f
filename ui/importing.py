"""The import page's calls into the data layer, and its error table in the person's language."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from data.db import reading, writing
from data.figures import SaveResult
from data.importer import ImportPlan, ImportProblem, commit_import, plan_import
from ui.i18n import translate
from ui.page import PageContext


def plan_upload(context: PageContext, content: bytes, file_name: str) -> ImportPlan:
    with reading(context.url) as session:
        return plan_import(session=session, content=content, file_name=file_name)


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
    ])
