"""The national dataset, made deterministically: the organisations and a long-format CSV of figures.

Sweden has about 290 municipalities, 21 regions and 340 state agencies. Every organisation here
is invented ("Kommun 017"), and the figures come from a seeded generator, so two runs on the same
quarter produce byte-identical files and comparable timings.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from data.organisations import NewOrganisation
from metrics.catalogue import MetricDefinition
from metrics.periods import Quarter

SEED = 20180705


@dataclass(frozen=True)
class Scale:
    name: str
    municipalities: int
    regions: int
    agencies: int
    quarters: int
    runs: int
    import_runs: int

    @property
    def organisations(self) -> int:
        return self.municipalities + self.regions + self.agencies


SCALES = {
    "small": Scale("small", municipalities=12, regions=3, agencies=10, quarters=8, runs=3, import_runs=3),
    "national": Scale("national", municipalities=290, regions=21, agencies=340, quarters=40, runs=5, import_runs=5),
}


def organisations(scale: Scale) -> list[NewOrganisation]:
    """Invented municipalities, regions and agencies with peer groups and sizes."""
    rng = random.Random(SEED)
    made: list[NewOrganisation] = []
    for number in range(1, scale.municipalities + 1):
        population = int(rng.lognormvariate(10, 1)) + 2500
        made.append(NewOrganisation(f"kommun-{number:03d}", f"Kommun {number:03d}", "kommun", "Kommuner",
                                    population // 14, population, number % 3 == 0))
    for number in range(1, scale.regions + 1):
        population = int(rng.lognormvariate(12.5, 0.6))
        made.append(NewOrganisation(f"region-{number:02d}", f"Region {number:02d}", "region", "Regioner",
                                    population // 20, population, number % 2 == 0))
    for number in range(1, scale.agencies + 1):
        made.append(NewOrganisation(f"myndighet-{number:03d}", f"Myndighet {number:03d}", "myndighet",
                                    "Statliga myndigheter", int(rng.lognormvariate(6, 1.2)) + 10, None, number % 4 == 0))
    return made


def figures_csv(
    organisation_codes: list[str], metrics: list[MetricDefinition], last: Quarter, quarters: int
) -> bytes:
    """Every organisation × metric × quarter as a semicolon CSV with decimal commas, as people export it."""
    rng = random.Random(SEED)
    periods = [str(last - offset) for offset in reversed(range(quarters))]
    lines = ["organisation;metric;period;value;status;comment"]
    statuses = ["uppmätt"] * 17 + ["uppskattad", "preliminär", ""]
    for code in organisation_codes:
        for metric in metrics:
            low = metric.min_value if metric.min_value is not None else 0.0
            high = metric.max_value if metric.max_value is not None else 250.0
            level = rng.uniform(low, low + (high - low) * 0.6)
            step = (high - low) / 80
            for period in periods:
                level = min(high, max(low, level + rng.uniform(-step, 2 * step)))
                value = round(level) if metric.whole_number or metric.unit_kind == "count" else round(level, 1)
                text = str(value).replace(".", ",")
                comment = "Ny mätmetod" if rng.random() < 0.01 else ""
                lines.append(f"{code};{metric.code};{period};{text};{rng.choice(statuses)};{comment}")
    return ("\n".join(lines) + "\n").encode("utf-8")
