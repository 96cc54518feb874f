"""Organisations: the agencies, municipalities, regions and companies that report figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.models import Organisation
from data.text_rules import refuse_control_characters
from data.versioning import bump_data_version


@dataclass(frozen=True)
class OrganisationInfo:
    id: int
    code: str
    name: str
    kind: str
    peer_group: str | None
    employees: int | None
    population: int | None
    active: bool
    named_comparison: bool
    is_demo: bool


def list_organisations(*, session: Session, include_inactive: bool = False) -> list[OrganisationInfo]:
    """Organisations by name (Swedish collation is close enough to code-point order for ÅÄÖ)."""
    query = select(Organisation).order_by(Organisation.name)
    if not include_inactive:
        query = query.where(Organisation.active.is_(True))
    return [_info(row) for row in session.scalars(query)]


def _info(row: Organisation) -> OrganisationInfo:
    return OrganisationInfo(
        id=row.id, code=row.code, name=row.name, kind=row.kind, peer_group=row.peer_group,
        employees=row.employees, population=row.population, active=row.active,
        named_comparison=row.named_comparison, is_demo=row.is_demo,
    )


@dataclass(frozen=True)
class NewOrganisation:
    code: str
    name: str
    kind: str
    peer_group: str | None = None
    employees: int | None = None
    population: int | None = None
    named_comparison: bool = False


def add_organisations(
    *, session: Session, actor: Actor, organisations: list[NewOrganisation], is_demo: bool = False
) -> list[int]:
    """Create organisations (administrators only); returns their ids in the given order."""
    actor.require_admin()
    for organisation in organisations:
        for name in ("code", "name", "peer_group"):
            refuse_control_characters(name, getattr(organisation, name), multiline=False)
    rows = [
        Organisation(
            code=o.code, name=o.name, kind=o.kind, peer_group=o.peer_group, employees=o.employees,
            population=o.population, named_comparison=o.named_comparison, active=True,
            is_demo=is_demo,
        )
        for o in organisations
    ]
    session.add_all(rows)
    session.flush()
    for row in rows:
        record_event(session=session, actor=actor, action="organisation.add",
                     organisation_id=row.id, detail={"code": row.code, "name": row.name})
    bump_data_version(session)
    return [row.id for row in rows]


_EDITABLE = ("name", "kind", "peer_group", "employees", "population")


def update_organisation(*, session: Session, actor: Actor, organisation_id: int, **changes: object) -> OrganisationInfo:
    """Change an organisation's name, kind, peer group or size (administrators only); audited with before/after."""
    actor.require_admin()
    row = _existing(session, organisation_id)
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in changes.items():
        refuse_control_characters(name, value, multiline=False)
    before = {name: getattr(row, name) for name in changes}
    for name, value in changes.items():
        setattr(row, name, value)
    session.flush()
    record_event(session=session, actor=actor, action="organisation.edit", organisation_id=row.id,
                 detail={"before": before, "after": changes})
    bump_data_version(session)
    return _info(row)


def set_organisation_active(*, session: Session, actor: Actor, organisation_id: int, active: bool) -> None:
    """Deactivate (hidden from lists and entry; figures and history are kept) or reactivate."""
    actor.require_admin()
    row = _existing(session, organisation_id)
    row.active = active
    record_event(session=session, actor=actor, action="organisation.activate" if active else "organisation.deactivate",
                 organisation_id=row.id, detail={"code": row.code})
    bump_data_version(session)


def set_named_comparison(*, session: Session, actor: Actor, organisation_id: int, named: bool) -> None:
    """Opt in (or out) of appearing by name in others' comparisons: the organisation's own editors or an administrator."""
    actor.require_edit(organisation_id)
    row = _existing(session, organisation_id)
    row.named_comparison = named
    record_event(session=session, actor=actor, action="organisation.named_comparison", organisation_id=row.id,
                 detail={"named": named})
    bump_data_version(session)


def _existing(session: Session, organisation_id: int) -> Organisation:
    row = session.get(Organisation, organisation_id)
    if row is None:
        raise ValueError(f"no organisation {organisation_id}")
    return row


def names_visible_to(*, session: Session, actor: Actor) -> dict[int, str | None]:
    """Each active organisation's name as ``actor`` may see it in comparisons, None where it must
    stay anonymous: names show for organisations that opted in, for the actor's own organisations,
    and for administrators. What decides it is the actor's role and organisations."""
    return {
        o.id: o.name if (o.named_comparison or actor.is_admin or o.id in actor.organisation_ids) else None
        for o in list_organisations(session=session)
    }
