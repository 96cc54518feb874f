"""Shared fixtures: real databases (a temporary SQLite file; PostgreSQL in its own schema)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from data.actors import SYSTEM
from data.bootstrap import prepare_database
from data.catalogue_store import list_metrics
from data.db import dispose_engine, writing
from data.organisations import NewOrganisation, add_organisations
from metrics.clock import fixed_today

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


class Templates:
    """Databases made once per test session and copied for each test: migrating and loading the
    demo takes seconds, a copy milliseconds (SQLite: the file; PostgreSQL: CREATE DATABASE …
    TEMPLATE). Each test still gets a database of its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[tuple[str, str], str] = {}
        self.session_id = uuid.uuid4().hex[:8]

    def template(self, kind: str, content: str) -> str:
        """The template's SQLite path or PostgreSQL database name, made on first use."""
        if (kind, content) not in self.made:
            name = f"tpl_{content}_{self.session_id}"
            url = f"sqlite:///{self.folder / (name + '.db')}" if kind == "sqlite" else _with_database(name, create=True)
            with fixed_today(TODAY):
                prepare_database(url, demo_if_empty=content == "demo", today=TODAY)
            dispose_engine(url)
            self.made[(kind, content)] = str(self.folder / f"{name}.db") if kind == "sqlite" else name
        return self.made[(kind, content)]

    @contextmanager
    def copy(self, db_url: str, content: str) -> Iterator[str]:
        """A database holding the template's content, for one test."""
        if db_url.startswith("sqlite"):  # beside the test's empty database, a file per content
            path = Path(db_url.removeprefix("sqlite:///")).with_name(f"{content}.db")
            _copy_sqlite(Path(self.template("sqlite", content)), path)
            yield f"sqlite:///{path}"
            dispose_engine(f"sqlite:///{path}")
            return
        name = f"t_{uuid.uuid4().hex[:12]}"
        url = _with_database(name, create=True, template=self.template("postgresql", content))
        try:
            yield url
        finally:
            dispose_engine(url)
            _drop_database(name)

    def drop(self) -> None:
        for (kind, _), name in self.made.items():
            if kind == "postgresql":
                _drop_database(name)


def _with_database(name: str, *, create: bool, template: str | None = None) -> str:
    """TEST_DATABASE_URL pointing at database ``name`` (created first, from ``template`` if given)."""
    if create:
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "")))
        finally:
            admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_database(name: str) -> None:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    made.drop()


@pytest.fixture
def ready_url(db_url: str, templates: Templates) -> Iterator[str]:
    """Migrated, with the built-in catalogue, no organisations."""
    with templates.copy(db_url, "ready") as url:
        yield url


@pytest.fixture
def demo_url(db_url: str, templates: Templates) -> Iterator[str]:
    """Migrated with the catalogue and the demo data as of :data:`TODAY`."""
    with templates.copy(db_url, "demo") as url:
        yield url


@pytest.fixture
def org(ready_url: str) -> tuple[str, list[int], dict[str, int]]:
    """Two organisations (codes ``a``, a municipality, and ``b``, an agency) and the metric ids by code."""
    with writing(ready_url) as session:
        ids = add_organisations(session=session, actor=SYSTEM, organisations=[
            NewOrganisation("a", "Organisation A", "kommun"), NewOrganisation("b", "Organisation B", "myndighet"),
        ])
        metrics = {m.code: m.id for m in list_metrics(session=session)}
    return ready_url, ids, metrics


@pytest.fixture(scope="session")
def demo_template(templates: Templates) -> Path:
    """The SQLite file with the demo data as of :data:`TODAY`, built once per run."""
    return Path(templates.template("sqlite", "demo"))


@contextmanager
def copy_of_demo(template: Path, folder: Path) -> Iterator[str]:
    """A SQLite database in ``folder`` holding what ``template`` holds, disposed of afterwards."""
    url = f"sqlite:///{folder / 'app.db'}"
    _copy_sqlite(template, folder / "app.db")
    yield url
    dispose_engine(url)


def _copy_sqlite(template: Path, path: Path) -> None:
    """Copy with SQLite's backup API (safe with WAL)."""
    with sqlite3.connect(template) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    source.close()
    copy.close()


@pytest.fixture
def app_db(demo_template: Path, tmp_path: Path) -> Iterator[str]:
    """A SQLite database of this test's own with the demo data as of :data:`TODAY`: nothing one
    test saves is seen by another."""
    with copy_of_demo(demo_template, tmp_path) as url:
        yield url


@pytest.fixture(autouse=True)
def _page_tests_see_the_demo_day(request: pytest.FixtureRequest) -> Iterator[None]:
    """In a module of page tests (every AppTest opens through ``tests.apptest_support.open_app``)
    "today" is :data:`TODAY`, the demo's day: the sidebar's quarter, the entry form's open quarters
    and every deadline read the same on any date the suite runs."""
    if not hasattr(request.module, "open_app"):
        yield
        return
    with fixed_today(TODAY):
        yield
