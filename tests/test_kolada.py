"""Population from Kolada: the real client against a Kolada-shaped HTTP server on 127.0.0.1.

The server answers in Kolada v3's shape (``values``, ``count``, ``next_page``) and can be told to
fail: a 500 first, a slow answer, malformed JSON. Every failure must change nothing.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

import cli
from data.actors import SYSTEM, Actor, PermissionDenied
from data.db import reading, writing
from data.kolada import KoladaClient, KoladaError, refresh_population
from data.models import AuditEvent
from data.organisations import list_organisations
from data.register import load_register
from tests.kolada_support import Kolada, kolada_server, send  # noqa: F401 - the fixture ``kolada``


def client(fake: Kolada, **options: float) -> KoladaClient:
    return KoladaClient(f"{fake.url}/v3", **{"timeout": 2.0, "retries": 2, "backoff": 0.0, **options})


def populations(url: str) -> dict[str, tuple[int | None, int | None, str | None]]:
    with reading(url) as session:
        return {o.code: (o.population, o.population_year, o.population_source)
                for o in list_organisations(session=session, include_inactive=True)}


@pytest.fixture
def register_url(ready_url: str) -> str:
    with writing(ready_url) as session:
        load_register(session=session, actor=SYSTEM, kinds=("region",))
    return ready_url


def test_the_client_follows_next_page_and_asks_for_5000_a_page(kolada):
    kolada.population[2024] = {"0180": 988943.0, "1480": 607882.0, "0980": 61535.0}
    kolada.page_size = 2
    found = client(kolada).population(["0180", "0980", "1480"], 2024)
    assert found == {"0180": 988943, "1480": 607882, "0980": 61535}
    assert kolada.requests == [
        "/v3/data/kpi/N01951/municipality/0180,0980,1480/year/2024?per_page=5000",
        "/v3/data/kpi/N01951/municipality/0180,0980,1480/year/2024?page=2&per_page=2",
    ]


def test_a_500_is_tried_again_and_then_succeeds(kolada):
    kolada.population[2024] = {"0180": 988943.0}
    kolada.failures = [lambda h: send(h, 500, b"{}")]
    assert client(kolada).population(["0180"], 2024) == {"0180": 988943}
    assert len(kolada.requests) == 2


def test_fetching_sets_population_with_year_and_source_audited_and_a_second_run_changes_nothing(kolada, register_url):
    kolada.population[2024] = {"0001": 2_454_821.0, "0009": 61_535.0, "0014": 1_774_505.0}
    result = refresh_population(register_url, actor=SYSTEM, year=2024, client=client(kolada))
    assert (result.changed, result.unchanged, len(result.missing)) == (3, 0, 18)
    rows = populations(register_url)
    assert rows["0001"] == (2_454_821, 2024, "Kolada")
    assert rows["0009"] == (61_535, 2024, "Kolada")
    assert rows["0003"] == (None, None, None)
    with reading(register_url) as session:
        events = session.scalar(select(func.count()).where(AuditEvent.action == "organisation.population"))
    assert events == 3
    again = refresh_population(register_url, actor=SYSTEM, year=2024, client=client(kolada))
    assert (again.changed, again.unchanged) == (0, 3)


@pytest.mark.parametrize(("failure", "key"), [
    (lambda h: (time.sleep(1.0), send(h, 200, b'{"values": [], "count": 0, "next_page": null}')), "sweden.kolada_timeout"),
    (lambda h: send(h, 200, b'{"values": [{"kpi": "N01951", "municipality": '), "sweden.kolada_malformed"),
    (lambda h: send(h, 200, b'{"values": [{"kpi": "N01951"}], "count": 1}'), "sweden.kolada_malformed"),
    (lambda h: send(h, 404, b"not found"), "sweden.kolada_http_error"),
])
def test_failures_are_clear_and_change_nothing(kolada, register_url, failure, key):
    kolada.population[2024] = {"0001": 2_454_821.0}
    kolada.failures = [failure] * 3
    before = populations(register_url)
    with pytest.raises(KoladaError) as error:
        refresh_population(register_url, actor=SYSTEM, year=2024, client=client(kolada, timeout=0.3, retries=1))
    assert error.value.key == key
    assert populations(register_url) == before


def test_a_year_without_data_and_no_network_are_clear(kolada, register_url):
    with pytest.raises(KoladaError) as no_data:
        refresh_population(register_url, actor=SYSTEM, year=2031, client=client(kolada))
    assert (no_data.value.key, no_data.value.params) == ("sweden.kolada_no_data", {"year": "2031"})
    closed = KoladaClient("http://127.0.0.1:9/v3", timeout=0.5, retries=1, backoff=0.0)
    with pytest.raises(KoladaError) as unreachable:
        refresh_population(register_url, actor=SYSTEM, year=2024, client=closed)
    assert unreachable.value.key == "sweden.kolada_unreachable"
    assert all(p == (None, None, None) for p in populations(register_url).values())


def test_a_viewer_is_refused_before_any_request(kolada, register_url):
    with pytest.raises(PermissionDenied):
        refresh_population(register_url, actor=Actor("vic", "viewer"), year=2024, client=client(kolada))
    assert kolada.requests == []


def test_the_cli_fetches_population_and_says_so(kolada, register_url, capsys, monkeypatch):
    monkeypatch.setenv("EFFEKT_KOLADA_URL", f"{kolada.url}/v3")
    kolada.population[2024] = {"0001": 2_454_821.0}
    code = cli.main(["--database", register_url, "--language", "en", "kolada", "population", "--year", "2024"])
    out = capsys.readouterr()
    assert code == 0
    assert out.out.strip() == "Population 2024 from Kolada: 1 organisations changed, 0 unchanged."
    assert out.err.startswith("Kolada has no population for 2024 for: 0003, 0004,")
    code = cli.main(["--database", register_url, "--language", "en", "kolada", "population", "--year", "2030"])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "Kolada has no population for 2030 yet. Nothing was changed; choose an earlier year.")
