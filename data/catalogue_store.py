"""The metric table: kept in step with ``metrics/catalogue.toml`` and read back as definitions.

Re-running the sync changes nothing when nothing changed. When a release rewords a built-in
metric, rows whose wording an administrator has edited keep the administrator's wording and are
reported, never overwritten silently; meaning (unit kind, direction, range, aggregation) always
follows the catalogue, since imports and calculations depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.models import Metric
from data.versioning import bump_data_version
from metrics.catalogue import WORDING_FIELDS, MetricDefinition, load_builtin_catalogue

_MEANING_FIELDS = (
    "unit_kind", "direction", "min_value", "max_value", "whole_number", "decimals",
    "aggregation", "source", "passage", "passage_by", "position",
)
_DEFINITION_FIELDS = tuple(f.name for f in fields(MetricDefinition))


@dataclass(frozen=True)
class CatalogueSync:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    kept_admin_wording: tuple[str, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def sync_builtin_catalogue(*, session: Session, actor: Actor) -> CatalogueSync:
    """Insert missing built-in metrics and update changed ones; idempotent."""
    actor.require_admin()
    existing = {m.code: m for m in session.scalars(select(Metric))}
    added: list[str] = []
    updated: list[str] = []
    kept: list[str] = []
    for definition in load_builtin_catalogue():
        row = existing.get(definition.code)
        if row is None:
            session.add(_new_row(definition))
            added.append(definition.code)
            continue
        changes = {
            name: getattr(definition, name)
            for name in _MEANING_FIELDS
            if getattr(row, name) != getattr(definition, name)
        }
        new_hash = definition.catalogue_hash()
        if row.catalogue_hash != new_hash:
            if _definition_of(row).catalogue_hash() == row.catalogue_hash:
                changes.update({name: getattr(definition, name) for name in WORDING_FIELDS})
                changes["catalogue_hash"] = new_hash
            else:
                kept.append(definition.code)
        if changes:
            for name, value in changes.items():
                setattr(row, name, value)
            updated.append(definition.code)
    result = CatalogueSync(tuple(added), tuple(updated), tuple(kept))
    if result.changed:
        bump_data_version(session)
        record_event(
            session=session, actor=actor, action="catalogue.sync",
            detail={"added": added, "updated": updated, "kept_admin_wording": kept},
        )
    session.flush()
    return result


def list_metrics(*, session: Session, include_inactive: bool = False) -> list[MetricDefinition]:
    """Metric definitions in catalogue order (built-in first, then custom by code)."""
    query = select(Metric).order_by(Metric.position, Metric.code)
    if not include_inactive:
        query = query.where(Metric.active.is_(True))
    return [_definition_of(row) for row in session.scalars(query)]


def _new_row(definition: MetricDefinition) -> Metric:
    values = {name: getattr(definition, name) for name in _DEFINITION_FIELDS if name != "id"}
    return Metric(**values, catalogue_hash=definition.catalogue_hash())


def _definition_of(row: Metric) -> MetricDefinition:
    return MetricDefinition(**{name: getattr(row, name) for name in _DEFINITION_FIELDS})
