"""Population from Kolada (RKA's open KPI database, API v3), for the register's municipalities and regions.

Only on request (CLI or Administration), never at app start. The fetch happens outside any
database transaction; the write is one transaction afterwards, so a failed fetch — no network, a
timeout, an HTTP error, a malformed answer, a year without data — changes nothing and says why.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.db import writing
from data.models import Organisation
from data.register import REGISTER_KINDS, reference_entries, register_code
from data.versioning import bump_data_version
from metrics.errors import EffektError

POPULATION_KPI = "N01951"  # Invånare totalt, antal
SOURCE = "Kolada"
PAGE_SIZE = 5000  # Kolada's largest page
CODES_PER_REQUEST = 100  # keeps the address short


class KoladaError(EffektError, ValueError):
    """Kolada could not give an answer; ``key`` and ``params`` say why in the person's language."""


@dataclass(frozen=True)
class KoladaClient:
    """A small client for Kolada's v3 data API: timeouts, a few retries with backoff, pagination."""

    base_url: str
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 0.5

    def population(self, codes: Sequence[str], year: int) -> dict[str, int]:
        """Total population (gender T) on 31 December of ``year``, by municipality or region code."""
        found: dict[str, int] = {}
        with httpx.Client(timeout=httpx.Timeout(self.timeout), follow_redirects=True) as client:
            for start in range(0, len(codes), CODES_PER_REQUEST):
                chunk = ",".join(codes[start:start + CODES_PER_REQUEST])
                url = f"{self.base_url.rstrip('/')}/data/kpi/{POPULATION_KPI}/municipality/{chunk}/year/{year}"
                for value in self._values(client, url):
                    found.update(_total(value, year))
        if not found:
            raise KoladaError("sweden.kolada_no_data", year=str(year))
        return found

    def _values(self, client: httpx.Client, url: str) -> Iterator[Any]:
        """Every value of every page, following ``next_page``."""
        params: dict[str, int] | None = {"per_page": PAGE_SIZE}
        next_url: str | None = url
        while next_url:
            page = self._get(client, next_url, params)
            values, following = page.get("values"), page.get("next_page")
            if not isinstance(values, list) or not (following is None or isinstance(following, str)):
                raise KoladaError("sweden.kolada_malformed")
            yield from values
            next_url, params = following or None, None

    def _get(self, client: httpx.Client, url: str, params: dict[str, int] | None) -> dict[str, Any]:
        """One page as JSON; timeouts, lost connections and 5xx/429 answers are tried again."""
        failure = KoladaError("sweden.kolada_unreachable")
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = client.get(url, params=params)
            except httpx.TimeoutException:
                failure = KoladaError("sweden.kolada_timeout", seconds=self.timeout)
                continue
            except httpx.HTTPError:
                failure = KoladaError("sweden.kolada_unreachable")
                continue
            if response.status_code >= 500 or response.status_code == 429:
                failure = KoladaError("sweden.kolada_http_error", status=response.status_code)
                continue
            if response.status_code >= 400:
                raise KoladaError("sweden.kolada_http_error", status=response.status_code)
            return _json(response)
        raise failure


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        page = response.json()
    except ValueError as error:
        raise KoladaError("sweden.kolada_malformed") from error
    if not isinstance(page, dict):
        raise KoladaError("sweden.kolada_malformed")
    return page


def _total(value: Any, year: int) -> dict[str, int]:
    """``{code: population}`` from one Kolada value, or nothing when it has no total for the year."""
    try:
        code, period, by_gender = value["municipality"], int(value["period"]), value["values"]
        totals = [entry["value"] for entry in by_gender if entry["gender"] == "T"]
    except (KeyError, TypeError, ValueError) as error:
        raise KoladaError("sweden.kolada_malformed") from error
    if not isinstance(code, str) or period != year or not totals or totals[0] is None:
        return {}
    if not isinstance(totals[0], int | float) or isinstance(totals[0], bool) or totals[0] < 0:
        raise KoladaError("sweden.kolada_malformed")
    return {code: round(totals[0])}


@dataclass(frozen=True)
class PopulationUpdate:
    year: int
    changed: int
    unchanged: int
    missing: tuple[str, ...]


def population_codes(*, session: Session, actor: Actor) -> list[str]:
    """The codes to ask Kolada for (administrators only): the register's municipalities and
    regions present here, in code order."""
    actor.require_admin()
    known = {entry.code for entry in reference_entries()}
    rows = session.scalars(select(Organisation).where(Organisation.kind.in_(REGISTER_KINDS)))
    return sorted({register_code(row.code) for row in rows} & known)


def set_population(*, session: Session, actor: Actor, year: int, population: dict[str, int]) -> PopulationUpdate:
    """Store Kolada's population with its year and source (administrators only); audited per organisation."""
    actor.require_admin()
    known = {entry.code for entry in reference_entries()}
    changed = unchanged = 0
    missing = []
    for row in session.scalars(select(Organisation).where(Organisation.kind.in_(REGISTER_KINDS))):
        code = register_code(row.code)
        if code not in known:
            continue
        if code not in population:
            missing.append(code)
            continue
        after = (population[code], year, SOURCE)
        before = (row.population, row.population_year, row.population_source)
        if before == after:
            unchanged += 1
            continue
        row.population, row.population_year, row.population_source = after
        record_event(session=session, actor=actor, action="organisation.population", organisation_id=row.id,
                     detail={"before": before[0], "after": after[0], "year": year, "source": SOURCE})
        changed += 1
    bump_data_version(session)
    return PopulationUpdate(year, changed, unchanged, tuple(sorted(missing)))


def refresh_population(url: str | None, *, actor: Actor, year: int, client: KoladaClient) -> PopulationUpdate:
    """Ask Kolada for the register's population in ``year`` and store it: the permission is checked
    (and a refusal audited) before any request, the fetch holds no transaction open."""
    with writing(url) as session:
        codes = population_codes(session=session, actor=actor)
    if not codes:
        raise KoladaError("sweden.kolada_no_register")
    population = client.population(codes, year)
    with writing(url) as session:
        return set_population(session=session, actor=actor, year=year, population=population)
