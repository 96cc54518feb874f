"""The metric table: kept in step with ``metrics/catalogue.toml`` and read back as definitions.

Re-running the sync changes nothing when nothing changed. When a release rewords a built-in
metric, rows whose wording an administrator has edited keep the administrator's wording and are
reported, never overwritten silently; meaning (unit kind, direction, range, aggregation) always
follows the catalogue, since imports and calculations depend on it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.models import Metric
from data.versioning import bump_data_version
from metrics.catalogue import WORDING_FIELDS, MetricDefinition, load_builtin_catalogue
from metrics.errors import EffektError

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


CUSTOM_POSITION = 1000
UNIT_KINDS = ("percent", "index", "count", "days")
MAX_DECIMALS = 4
# ASCII only: a look-alike letter (Cyrillic U+0430, a zero-width space) would make a second "same" code.
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,59}$", re.ASCII)
# Column sizes of the metric table; a longer text is cut by SQLite and refused by PostgreSQL.
_TEXT_LIMITS = {"name_sv": 200, "name_en": 200, "unit_sv": 40, "unit_en": 40}


class MetricChangeRejected(EffektError, ValueError):
    """A metric change that cannot be made; ``key`` and ``params`` make the translated message."""


def add_metric(*, session: Session, actor: Actor, definition: MetricDefinition) -> int:
    """An administrator's own metric (never built in, so catalogue syncs leave it alone); returns its id."""
    actor.require_admin()
    definition = _checked_definition(definition)
    builtin_codes = {d.code for d in load_builtin_catalogue()}
    if definition.code in builtin_codes or session.scalar(select(Metric.id).where(Metric.code == definition.code)):
        raise MetricChangeRejected("metric.code_taken", code=definition.code)
    position = max(CUSTOM_POSITION, (session.scalar(select(func.max(Metric.position))) or 0) + 1)
    row = _new_row(replace(definition, built_in=False, active=True, position=position))
    row.catalogue_hash = None
    session.add(row)
    session.flush()
    record_event(session=session, actor=actor, action="metric.add", detail={"code": row.code})
    bump_data_version(session)
    return row.id


def _checked_definition(definition: MetricDefinition) -> MetricDefinition:
    """A custom metric that every page, import and calculation can follow, trimmed; or a refusal
    naming the field: code format, names and units, unit kind, direction, range, decimals."""
    code = definition.code.strip()
    if not _CODE.match(code):
        raise MetricChangeRejected("invalid.metric.code", code=code)
    texts = {name: str(getattr(definition, name) or "").strip() for name in _TEXT_LIMITS}
    if not texts["name_sv"] or not texts["name_en"]:
        raise MetricChangeRejected("metric.name_missing")
    if not texts["unit_sv"] or not texts["unit_en"]:
        raise MetricChangeRejected("invalid.metric.unit_missing")
    for name, limit in _TEXT_LIMITS.items():
        if len(texts[name]) > limit:
            raise MetricChangeRejected(f"invalid.metric.{name}_too_long", limit=limit)
    if definition.unit_kind not in UNIT_KINDS:
        raise MetricChangeRejected("invalid.metric.unit_kind", unit_kind=definition.unit_kind)
    if definition.direction not in ("higher", "lower") or definition.aggregation not in ("sum", "mean", "median"):
        raise MetricChangeRejected("invalid.metric.direction")
    _check_range(definition.min_value, definition.max_value)
    decimals = definition.decimals
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        raise MetricChangeRejected("invalid.metric.decimals", decimals=str(decimals), limit=MAX_DECIMALS)
    return replace(definition, code=code, name_sv=texts["name_sv"], name_en=texts["name_en"],
                   unit_sv=texts["unit_sv"], unit_en=texts["unit_en"])


def _check_range(low: float | None, high: float | None) -> None:
    """Both ends finite numbers when given, the lowest below the highest."""
    for end in (low, high):
        if end is not None and (isinstance(end, bool) or not isinstance(end, int | float) or not math.isfinite(end)):
            raise MetricChangeRejected("invalid.metric.range_not_number")
    if low is not None and high is not None and not low < high:
        raise MetricChangeRejected("invalid.metric.range_order", min=float(low), max=float(high))


def update_metric_wording(*, session: Session, actor: Actor, code: str, wording: dict[str, str]) -> None:
    """Change names, units, descriptions or definitions. ``catalogue_hash`` is left as it was, so a
    later catalogue sync sees the row differs from the catalogue and keeps the administrator's wording."""
    actor.require_admin()
    row = _metric_row(session, code)
    unknown = set(wording) - set(WORDING_FIELDS)
    if unknown:
        raise ValueError(f"not wording: {sorted(unknown)}")
    for name in ("name_sv", "name_en", "unit_sv", "unit_en"):
        if name in wording and not str(wording[name]).strip():
            raise MetricChangeRejected("metric.name_missing" if name.startswith("name") else "invalid.metric.unit_missing")
        if name in wording and len(str(wording[name]).strip()) > _TEXT_LIMITS[name]:
            raise MetricChangeRejected(f"invalid.metric.{name}_too_long", limit=_TEXT_LIMITS[name])
    before = {name: getattr(row, name) for name in wording if getattr(row, name) != wording[name]}
    for name, value in wording.items():
        setattr(row, name, value)
    record_event(session=session, actor=actor, action="metric.wording", detail={
        "code": code, "before": before, "after": {name: wording[name] for name in before},
    })
    bump_data_version(session)


def set_metric_active(*, session: Session, actor: Actor, code: str, active: bool) -> None:
    """Deactivate a metric (no new figures; stored figures stay) or bring it back; built-ins included."""
    actor.require_admin()
    row = _metric_row(session, code)
    row.active = active
    record_event(session=session, actor=actor, action="metric.activate" if active else "metric.deactivate",
                 detail={"code": code})
    bump_data_version(session)


def _metric_row(session: Session, code: str) -> Metric:
    row = session.scalar(select(Metric).where(Metric.code == code))
    if row is None:
        raise MetricChangeRejected("metric.unknown_or_inactive")
    return row
