"""Storing a validated import plan in the caller's transaction: all figures or none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from data.actors import Actor
from data.figures import SaveResult, save_planned
from data.importing.limits import (
    ImportLimits,
)
from data.importing.planning import ImportPlan, plan_file
from data.importing.problems import ImportProblem


class ImportRejected(ValueError):
    """Raised by ``commit_import`` for a plan with problems: nothing is written."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{len(problems)} problem(s) in the file")


def import_file(
    *,
    session: Session,
    actor: Actor,
    content: bytes,
    file_name: str,
    today: dt.date | None = None,
    sheet: str | None = None,
    limits: ImportLimits | None = None,
) -> tuple[ImportPlan, SaveResult | None]:
    """Plan and store a file in the caller's one transaction (the CLI's import, no preview step).

    The plan reads the stored figures with a lock, so the commit writes them without reading them
    again. Returns the plan and, when it had no problems, what was stored (None: nothing written).
    """
    plan = plan_file(session, content, file_name, today, sheet, None, limits, lock=True, actor=actor)
    if plan.problems:
        return plan, None
    return plan, _commit(session, actor, plan, locked=True)


def commit_import(*, session: Session, actor: Actor, plan: ImportPlan) -> SaveResult:
    """Store a validated plan in the caller's transaction: all figures or none.

    Only the new and changed figures are sent, each with the version the preview saw, so a figure
    someone else changed after the preview is a conflict rather than silently overwritten.
    """
    return _commit(session, actor, plan, locked=False)


def _commit(session: Session, actor: Actor, plan: ImportPlan, *, locked: bool) -> SaveResult:
    if plan.problems:
        raise ImportRejected(plan.problems)
    result = save_planned(
        session=session, actor=actor, changes=plan.changes, via="import",
        file_name=plan.file_name, file_hash=plan.file_hash, locked=locked,
    )
    return replace(result, unchanged=result.unchanged + plan.count("unchanged"))
