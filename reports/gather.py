"""Reading what a board pack needs from the database, current or as it stood at a moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
from sqlalchemy.orm import Session

from data.as_of import figures_as_of
from data.catalogue_store import list_metrics
from data.customer_voice import customer_voice
from data.decisions import DecisionInfo, last_meeting_decisions, list_decisions
from data.events import list_events, method_changes
from data.figures import figures_frame
from data.organisations import OrganisationInfo, list_organisations
from data.settings import get_settings
from data.signoff import signoff_of, vouched_rule
from data.targets import targets_as_of, targets_frame
from metrics import clock
from metrics.breaks import breaks_by_metric
from metrics.disclosure import Rule, peer_group
from metrics.periods import Quarter
from presentation.palette import organisation_colour
from reports.model import BoardInputs, BoardPack, TargetInfo, build_board_pack, target_infos


class UnknownOrganisation(ValueError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"no organisation with the code {code!r}")


def find_organisation(*, session: Session, code: str) -> OrganisationInfo:
    for organisation in list_organisations(session=session, include_inactive=True):
        if organisation.code == code:
            return organisation
    raise UnknownOrganisation(code)


def board_inputs(
    *, session: Session, organisation: OrganisationInfo, quarter: Quarter, language: str,
    as_of: dt.datetime | None = None, today: dt.date | None = None,
    targets: Mapping[str, TargetInfo] | None = None, rule: Rule | None = None,
) -> BoardInputs:
    """Figures of the organisation and its peer group (current, or as of a moment), decisions and targets.

    Without ``targets`` the stored targets (as they stood at ``as_of``) are read and assessed as of the
    quarter (status, the status a quarter earlier, owner, trajectory, progress), so the page, the CLI
    and the downloads agree. The peers are :func:`metrics.disclosure.peer_group` (as Mätetal i detalj)
    and the disclosure rule is the caller's, else the settings' (read here, at the edge).
    """
    rule = rule or _settings_rule(session, as_of)
    figures, peer_figures = _figures(session, organisation, quarter, as_of)
    metrics = list_metrics(session=session)
    events = list_events(session=session, organisation_ids={organisation.id})
    if targets is None:
        stored = targets_frame(session=session, organisation_ids=[organisation.id]) if as_of is None else \
            targets_as_of(session=session, moment=as_of, organisation_ids=[organisation.id])
        breaks = breaks_by_metric([m.code for m in metrics], method_changes(events))
        targets = target_infos(stored, figures, metrics, organisation.id, quarter, breaks)
    return BoardInputs(
        organisation_id=organisation.id, organisation_name=organisation.name, quarter=quarter,
        language=language, metrics=metrics, figures=figures, peer_figures=peer_figures,
        decisions=last_meeting_decisions(session=session, organisation_id=organisation.id, quarter=quarter),
        targets=targets, generated=today or clock.today(), as_of=as_of,
        colour=organisation_colour(organisation.id), rule=rule,
        signoff=signoff_of(session=session, organisation_id=organisation.id, quarter=quarter, as_of=as_of),
        signoff_read=True,
        voice=customer_voice(session=session, organisation_id=organisation.id, quarter=quarter),
        events=events, experiments=_followed_experiments(session, organisation.id, quarter),
    )


def _settings_rule(session: Session, as_of: dt.datetime | None) -> Rule:
    """The disclosure rule of the settings, read here at the edge (with the signed-off cells when
    peer statistics count only vouched figures)."""
    settings = get_settings()
    return vouched_rule(session=session, rule=settings.disclosure_rule,
                        signed_off_only=settings.peer_signed_off_only, as_of=as_of)


def _figures(session: Session, organisation: OrganisationInfo, quarter: Quarter,
             as_of: dt.datetime | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The organisation's figures and its peer group's (:func:`metrics.disclosure.peer_group`, as
    Mätetal i detalj), current or as they stood at ``as_of``."""
    peers = [o.id for o in peer_group(organisation, list_organisations(session=session))]
    if as_of is None:
        return (figures_frame(session=session, organisation_ids=[organisation.id]),
                figures_frame(session=session, organisation_ids=peers, first=quarter, last=quarter))
    return (figures_as_of(session=session, moment=as_of, organisation_ids=[organisation.id]),
            figures_as_of(session=session, moment=as_of, organisation_ids=peers))


def _followed_experiments(session: Session, organisation_id: int, quarter: Quarter) -> list[DecisionInfo]:
    """The experiments running in the quarter or followed up in the last year (the follow-up slide)."""
    return [d for d in list_decisions(session=session, organisation_id=organisation_id)
            if d.experiment is not None and d.experiment.start <= quarter and d.experiment.follow_up >= quarter - 4]


def read_board_pack(
    *, session: Session, organisation: OrganisationInfo, quarter: Quarter, language: str,
    as_of: dt.datetime | None = None, today: dt.date | None = None, rule: Rule | None = None,
) -> BoardPack:
    return build_board_pack(board_inputs(
        session=session, organisation=organisation, quarter=quarter, language=language, as_of=as_of, today=today,
        rule=rule,
    ))
