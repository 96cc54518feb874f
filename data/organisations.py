"""Organisations: the agencies, municipalities, regions and companies that report figures."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.models import ORGANISATION_KINDS, Organisation
from data.text_rules import refuse_control_characters
from data.versioning import bump_data_version
from metrics.errors import EffektError

# The column sizes: a longer text would be cut by SQLite and refused by PostgreSQL.
MAX_CODE_LENGTH = 40
MAX_NAME_LENGTH = 200
MAX_PEER_GROUP_LENGTH = 100
# employees and population are INTEGER columns (32 bits on PostgreSQL).
LARGEST_COUNT = 2_147_483_647


class OrganisationRejected(EffektError, ValueError):
    """An organisation that may not be stored as given; ``key`` and ``params`` make the message."""


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
    county_code: str | None = None
    population_year: int | None = None
    population_source: str | None = None


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
        named_comparison=row.named_comparison, is_demo=row.is_demo, county_code=row.county_code,
        population_year=row.population_year, population_source=row.population_source,
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
    county_code: str | None = None


def add_organisations(
    *, session: Session, actor: Actor, organisations: list[NewOrganisation], is_demo: bool = False
) -> list[int]:
    """Create organisations (administrators only); returns their ids in the given order."""
    actor.require_admin()
    organisations = _checked_new(session, organisations)
    rows = [
        Organisation(
            code=o.code, name=o.name, kind=o.kind, peer_group=o.peer_group, employees=o.employees,
            population=o.population, named_comparison=o.named_comparison, active=True,
            is_demo=is_demo, county_code=o.county_code,
        )
        for o in organisations
    ]
    session.add_all(rows)
    try:
        session.flush()
    except IntegrityError:  # another administrator added the same code meanwhile
        raise OrganisationRejected("invalid.organisation.code_taken_now") from None
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
    changes = _checked_changes(changes)
    before = {name: getattr(row, name) for name in changes}
    for name, value in changes.items():
        setattr(row, name, value)
    if "population" in changes:  # typed by hand: no longer the fetched year and source
        row.population_year = row.population_source = None
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


def _checked_new(session: Session, organisations: list[NewOrganisation]) -> list[NewOrganisation]:
    """Every new organisation trimmed and checked, its code free (also within the list), or a refusal."""
    checked: list[NewOrganisation] = []
    # Every code in use, read once (a national load adds hundreds at a time).
    taken = {code: name for code, name in session.execute(select(func.lower(Organisation.code), Organisation.name))}
    for new in organisations:
        code = _text(new.code, "code", MAX_CODE_LENGTH)
        fields = _checked_changes({"name": new.name, "kind": new.kind, "peer_group": new.peer_group,
                                   "employees": new.employees, "population": new.population})
        holder = taken.get(code.lower())
        if holder is not None:
            raise OrganisationRejected("invalid.organisation.code_taken", code=code, name=holder)
        taken[code.lower()] = str(fields["name"])
        # arg-type: the checked fields are NewOrganisation's own, by name; the dict of them is typed by its widest value.
        checked.append(replace(new, code=code, **fields))  # type: ignore[arg-type]
    return checked


def _checked_changes(changes: dict[str, object]) -> dict[str, object]:
    """The editable fields trimmed and checked: a name, a kind from the list, whole numbers ≥ 0."""
    checked = dict(changes)
    if "name" in changes:
        checked["name"] = _text(changes["name"], "name", MAX_NAME_LENGTH)
    if "kind" in changes and changes["kind"] not in ORGANISATION_KINDS:
        raise OrganisationRejected("invalid.organisation.kind", kind=str(changes["kind"]))
    if "peer_group" in changes:
        group = changes["peer_group"]
        checked["peer_group"] = _text(group, "peer_group", MAX_PEER_GROUP_LENGTH) if group and str(group).strip() else None
    for name in ("employees", "population"):
        if name in changes:
            checked[name] = _count(changes[name], name)
    return checked


def _text(value: object, field: str, limit: int) -> str:
    """Trimmed, present, within ``limit``, and free of control characters (refused, not stripped)."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise OrganisationRejected(f"invalid.organisation.{field}_missing")
    refuse_control_characters(field, text, multiline=False)
    if len(text) > limit:
        raise OrganisationRejected(f"invalid.organisation.{field}_too_long", limit=limit)
    return text


def _count(value: object, field: str) -> int | None:
    """None (not known) or a whole number from 0 up: a float, a bool or a text is refused, not rounded."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= LARGEST_COUNT:
        raise OrganisationRejected(f"invalid.organisation.{field}", value=str(value))
    return value


def _existing(session: Session, organisation_id: int) -> Organisation:
    row = session.get(Organisation, organisation_id)
    if row is None:
        raise ValueError(f"no organisation {organisation_id}")
    return row

