"""The administration page's tables and actions."""

from __future__ import annotations

import pandas as pd

from data.audit import audit_frame
from data.db import reading, writing
from data.demo import remove_demo
from data.organisations import OrganisationInfo
from ui.formatting import format_number
from ui.page import PageContext


def organisations_table(organisations: list[OrganisationInfo], context: PageContext) -> pd.DataFrame:
    def number(value: int | None) -> str:
        return format_number(value, context.language, 0) if value is not None else "–"

    return pd.DataFrame([
        {
            context.t("column.code"): o.code,
            context.t("column.organisation"): o.name,
            context.t("column.kind"): context.t(f"kind.{o.kind}"),
            context.t("column.peer_group"): o.peer_group or "–",
            context.t("column.employees"): number(o.employees),
            context.t("column.population"): number(o.population),
            context.t("column.named"): context.t("yes" if o.named_comparison else "no"),
            context.t("column.active"): context.t("yes" if o.active else "no"),
        }
        for o in organisations
    ])


def audit_table(context: PageContext) -> pd.DataFrame:
    with reading(context.url) as session:
        frame = audit_frame(session=session, limit=200)
    return frame.rename(columns={
        "at": context.t("column.when"), "actor": context.t("column.who"),
        "action": context.t("column.action"), "organisation_id": context.t("column.organisation"),
        "detail": context.t("column.detail"), "origin": context.t("column.origin"),
    })


def remove_demo_data(context: PageContext) -> int:
    with writing(context.url) as session:
        return remove_demo(session=session, actor=context.actor)
