"""What the reporting API reads and writes, through the same rules as the dashboard.

Reads show only what the caller may see: the organisations whose name the disclosure rule
(:func:`metrics.disclosure.nameable`, called in one place here) shows them, and those
organisations' figures. Writes go through the importer: the JSON figures become the long format
and :func:`data.importing.planning.plan_import` validates them exactly as a file (same messages, same
duplicate and range rules), then :func:`data.figures.save_planned` stores them all or none with
revisions marked ``via="api"``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from data.actors import Actor, viewer
from data.catalogue_store import list_metrics
from data.figures import SaveResult, figures_frame, save_planned
from data.importing.planning import ImportPlan, plan_import
from data.importing.problems import ImportProblem
from data.organisations import OrganisationInfo, list_organisations
from metrics.catalogue import MetricDefinition
from metrics.disclosure import nameable
from metrics.periods import Quarter

FIELDS = ("organisation", "metric", "period", "value", "status", "comment")
REQUIRED = ("organisation", "metric", "period", "value")


@dataclass(frozen=True)
class Shape:
    """A problem with the request's shape before the importer sees it (``row`` is 1-based)."""

    row: int | None
    field: str | None
    value: str
    key: str


def visible_organisations(*, session: Session, actor: Actor) -> list[OrganisationInfo]:
    """The active organisations the caller may see by name (own, opted in, all for administrators)."""
    return nameable(viewer(actor), list_organisations(session=session))


def metric_catalogue(*, session: Session) -> list[MetricDefinition]:
    return list_metrics(session=session)


def visible_figures(
    *, session: Session, actor: Actor, organisation_ids: Sequence[int] | None, metric_ids: Sequence[int] | None,
    first: Quarter | None, last: Quarter | None,
) -> pd.DataFrame:
    """Current figures of the visible organisations only (``organisation_ids`` narrows, never widens)."""
    visible = {o.id for o in visible_organisations(session=session, actor=actor)}
    wanted = visible if organisation_ids is None else visible & set(organisation_ids)
    return figures_frame(session=session, organisation_ids=sorted(wanted), metric_ids=metric_ids, first=first, last=last)


def check_shape(body: Any) -> tuple[list[dict[str, Any]], list[Shape]]:
    """The figures of ``{"figures": [...]}`` with every shape problem (types, unknown fields)."""
    if not isinstance(body, dict) or not isinstance(body.get("figures"), list) or set(body) - {"figures"}:
        return [], [Shape(None, None, "", "api.expected_object")]
    if not body["figures"]:
        return [], [Shape(None, "figures", "", "api.no_figures")]
    problems: list[Shape] = []
    for row, item in enumerate(body["figures"], start=1):
        if not isinstance(item, dict) or any(name not in item for name in REQUIRED):
            problems.append(Shape(row, None, "", "api.expected_figure"))
            continue
        problems.extend(Shape(row, str(name)[:60], "", "api.unknown_field") for name in item if name not in FIELDS)
        for name in ("organisation", "metric", "period", "status", "comment"):
            if name in item and not _is_text(item[name]):
                problems.append(Shape(row, name, _shown(item[name]), "api.expected_text"))
        if not _is_number(item["value"]):
            problems.append(Shape(row, "value", _shown(item["value"]), "api.expected_number"))
    return body["figures"], problems


def _is_text(value: Any) -> bool:
    """A string that a CSV cell and UTF-8 can hold (no NUL, no lone surrogate)."""
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_number(value: Any) -> bool:
    """A JSON number that is a finite float (not true/false, not an integer too large for a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True)[:60]


def as_long_format(figures: Sequence[dict[str, Any]]) -> bytes:
    """The figures as the long-format CSV the importer reads (row n + 1 holds figure n)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for item in figures:
        writer.writerow([item["organisation"], item["metric"], item["period"], repr(float(item["value"])),
                         item.get("status", "measured"), item.get("comment", "")])
    return out.getvalue().encode("utf-8")


def plan_api_figures(*, session: Session, actor: Actor, figures: Sequence[dict[str, Any]]) -> ImportPlan:
    """Validate and compare with the database, as the importer does a file; writes nothing. Its
    suggestions for a misspelt organisation name only organisations ``actor`` may see by name."""
    return plan_import(session=session, content=as_long_format(figures), file_name="api.json", actor=actor)


def api_row(problem: ImportProblem) -> int | None:
    """The 1-based figure a CSV problem belongs to (the header is row 1)."""
    return problem.row - 1 if problem.row is not None and problem.row > 1 else None


def require_edit_all(*, actor: Actor, plan: ImportPlan) -> None:
    """Refuse (PermissionDenied, audited by ``writing``) a request touching another's organisation,
    also for a dry run and for figures that would not change."""
    for organisation_id in sorted({f.organisation_id for f in plan.figures}):
        actor.require_edit(organisation_id)


def store_api_figures(*, session: Session, actor: Actor, plan: ImportPlan) -> SaveResult:
    """Store a planned request all or nothing; a figure changed since the plan is a conflict."""
    require_edit_all(actor=actor, plan=plan)
    return save_planned(session=session, actor=actor, changes=plan.changes, via="api",
                        file_name=plan.file_name, file_hash=plan.file_hash)
