"""Open data: organisations that chose to publish their figures for anyone to reuse.

Publishing is the organisation's own choice (its editors or an administrator), separate from
appearing by name in comparisons, off by default and audited. Only measured figures are
published unless the organisation also chose to publish estimated and preliminary ones.
The open-data law (2022:818) asks for a licence and metadata; :data:`LICENCES` maps the setting
to the licence's exact IRI, which the DCAT-AP-SE catalogue and the files name.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.figures import figures_frame
from data.models import Organisation
from data.versioning import bump_data_version

LICENCES = {
    "CC0-1.0": ("http://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"),
    "CC-BY-4.0": ("http://creativecommons.org/licenses/by/4.0/", "CC BY 4.0"),
}


@dataclass(frozen=True)
class Publication:
    organisation_id: int
    code: str
    name: str
    kind: str
    include_uncertain: bool


def licence(setting: str) -> tuple[str, str]:
    """The licence's IRI and short name; an unknown setting falls back to CC0 (the most open)."""
    return LICENCES.get(setting, LICENCES["CC0-1.0"])


def set_open_data(
    *, session: Session, actor: Actor, organisation_id: int, published: bool, include_uncertain: bool = False,
) -> None:
    """Publish (or stop publishing) an organisation's figures: its own editors or an administrator."""
    actor.require_edit(organisation_id)
    row = session.get(Organisation, organisation_id)
    if row is None:
        raise ValueError(f"no organisation {organisation_id}")
    row.open_data = published
    row.open_data_uncertain = published and include_uncertain
    record_event(session=session, actor=actor, action="organisation.open_data", organisation_id=row.id,
                 detail={"published": published, "include_uncertain": row.open_data_uncertain})
    bump_data_version(session)


def publications(*, session: Session) -> list[Publication]:
    """The active organisations that publish, by code."""
    rows = session.scalars(select(Organisation).where(Organisation.open_data.is_(True), Organisation.active.is_(True))
                           .order_by(Organisation.code))
    return [Publication(r.id, r.code, r.name, r.kind, r.open_data_uncertain) for r in rows]


def published_figures(*, session: Session, organisation_code: str | None = None) -> pd.DataFrame:
    """The published organisations' current figures: measured ones, and the others where chosen."""
    chosen = [p for p in publications(session=session) if organisation_code in (None, p.code)]
    if not chosen:
        return figures_frame(session=session, organisation_ids=[])
    frame = figures_frame(session=session, organisation_ids=[p.organisation_id for p in chosen])
    if not len(frame):
        return frame
    uncertain_ok = {p.organisation_id for p in chosen if p.include_uncertain}
    keep = (frame["status"] == "measured") | frame["organisation_id"].isin(uncertain_ok)
    return frame[keep].sort_values(["organisation_id", "metric_id", "period"]).reset_index(drop=True)
