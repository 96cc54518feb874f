"""The metric catalogue: definitions as data, loaded from ``catalogue.toml``.

The built-in metrics are the Almedalen 2018 workshop's proposals (W1–W13, M, R); their codes are
fixed because imports, exports and tests name them. Administrators may add their own metrics,
which live only in the database but are described by the same :class:`MetricDefinition`.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

CATALOGUE_FILE = Path(__file__).resolve().parent / "catalogue.toml"
LANGUAGES = ("sv", "en")
# The wording an administrator may edit; re-running init never overwrites these silently.
WORDING_FIELDS = (
    "name_sv", "name_en", "unit_sv", "unit_en", "description_sv", "description_en",
    "definition_sv", "definition_en",
)


@dataclass(frozen=True)
class MetricDefinition:
    """Everything needed to validate, format, aggregate and explain one metric."""

    code: str
    name_sv: str
    name_en: str
    unit_sv: str
    unit_en: str
    unit_kind: str
    description_sv: str
    description_en: str
    definition_sv: str
    definition_en: str
    direction: str
    min_value: float | None
    max_value: float | None
    whole_number: bool
    decimals: int
    aggregation: str
    source: str = ""
    passage: str = ""
    passage_by: str = ""
    built_in: bool = True
    active: bool = True
    position: int = 0
    id: int | None = field(default=None, compare=False)

    def name(self, language: str) -> str:
        return self.name_sv if language == "sv" else self.name_en

    def unit(self, language: str) -> str:
        return self.unit_sv if language == "sv" else self.unit_en

    def description(self, language: str) -> str:
        return self.description_sv if language == "sv" else self.description_en

    def definition(self, language: str) -> str:
        return self.definition_sv if language == "sv" else self.definition_en

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"

    def range_problem(self, value: float) -> str | None:
        """Why a value cannot be a figure of this metric, as a message key; None if it can."""
        if math.isnan(value) or math.isinf(value):
            return "value.not_finite"
        if self.min_value is not None and value < self.min_value:
            return "value.below_min"
        if self.max_value is not None and value > self.max_value:
            return "value.above_max"
        if self.whole_number and value != int(value):
            return "value.not_whole"
        return None

    def catalogue_hash(self) -> str:
        """A fingerprint of the catalogue's wording, to see whether an admin has edited a row."""
        wording = {name: getattr(self, name) for name in WORDING_FIELDS}
        return hashlib.sha256(json.dumps(wording, sort_keys=True).encode()).hexdigest()

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class CatalogueError(ValueError):
    """The catalogue file is malformed: a missing key, a duplicate code, a bad direction."""


_REQUIRED = (
    "code", "name_sv", "name_en", "unit_sv", "unit_en", "unit_kind", "description_sv",
    "description_en", "definition_sv", "definition_en", "direction", "min_value",
    "whole_number", "decimals", "aggregation", "source", "passage", "passage_by",
)


def load_builtin_catalogue(path: Path = CATALOGUE_FILE) -> list[MetricDefinition]:
    """The built-in metrics in catalogue order; raises :class:`CatalogueError` if malformed."""
    with path.open("rb") as handle:
        entries = tomllib.load(handle).get("metric", [])
    metrics: list[MetricDefinition] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        missing = [key for key in _REQUIRED if key not in entry]
        if missing:
            raise CatalogueError(f"metric #{position} lacks {', '.join(missing)}")
        if entry["code"] in seen:
            raise CatalogueError(f"metric code {entry['code']!r} appears twice")
        if entry["direction"] not in ("higher", "lower"):
            raise CatalogueError(f"{entry['code']}: direction must be 'higher' or 'lower'")
        if entry["aggregation"] not in ("sum", "mean", "median"):
            raise CatalogueError(f"{entry['code']}: aggregation must be sum, mean or median")
        seen.add(entry["code"])
        metrics.append(
            MetricDefinition(
                **{key: entry[key] for key in _REQUIRED if key not in ("min_value",)},
                min_value=float(entry["min_value"]),
                max_value=float(entry["max_value"]) if "max_value" in entry else None,
                position=position,
            )
        )
    return metrics
