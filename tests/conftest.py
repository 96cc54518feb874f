"""Shared fixtures: real databases (a temporary SQLite file; PostgreSQL in its own schema)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from data.bootstrap import prepare_database
from data.db import dispose_engine

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
REQUIRE_POSTGRES = os.environ.get("EFFEKT_REQUIRE_POSTGRES") == "1"
# A fixed day keeps demo data and "last completed quarter" stable in data-layer tests.
TODAY = dt.date(2025, 11, 15)


def pytest_report_header() -> str:
    if POSTGRES_URL:
        return f"PostgreSQL tests: on ({POSTGRES_URL})"
    return "PostgreSQL tests: SKIPPED (set TEST_DATABASE_URL to run them)"


DATABASE_KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """An empty database of a kind: a SQLite file in ``folder``, or a PostgreSQL schema of its own
    (dropped afterwards). Without PostgreSQL the test is skipped — or fails when it is required."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'effekt.db'}"
        yield url
        dispose_engine(url)
        return
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("EFFEKT_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("PostgreSQL not configured (TEST_DATABASE_URL)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as error:  # noqa: BLE001 - report any connection failure plainly
        admin.dispose()
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL required but not reachable: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    yield url
    dispose_engine(url)
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=DATABASE_KINDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind, for one test."""
    with database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def ready_url(db_url: str) -> str:
    """Migrated, with the built-in catalogue, no organisations."""
    prepare_database(db_url)
    return db_url


@pytest.fixture
def demo_url(db_url: str) -> str:
    """Migrated with the catalogue and the demo data as of :data:`TODAY`."""
    prepare_database(db_url, demo_if_empty=True, today=TODAY)
    return db_url
