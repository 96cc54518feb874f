"""Engine and sessions from ``DATABASE_URL``: SQLite by default, PostgreSQL in production.

The engine is made lazily and kept per URL, never at import time, so the tests, the CLI and
several apps in one process each get the database they asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from data.actors import Actor, PermissionDenied
from data.settings import get_settings

_engines: dict[str, Engine] = {}
_lock = threading.Lock()
_WRITE = "effekt_write"


def get_engine(url: str | None = None) -> Engine:
    """The engine for a URL (default: the settings' ``DATABASE_URL``), made once per URL."""
    url = url or get_settings().database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _make_engine(url)
            _engines[url] = engine
        return engine


def dispose_engine(url: str) -> None:
    """Close and forget an engine: tests and the restore command use it."""
    with _lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, and ``BEGIN IMMEDIATE`` for writes.

    pysqlite's own transaction handling starts transactions lazily, so two writers can both read
    and then one fails on upgrade to a write lock. We take over BEGIN: writes lock at once and a
    second writer waits (busy timeout) instead of failing; reads stay deferred and never block.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = "IMMEDIATE" if connection.get_execution_options().get(_WRITE) else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def writing(url: str | None = None) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back everything on any error.

    A refused permission check rolls the change back like any error, and is then recorded in the
    audit log in a transaction of its own, so refusals stay traceable although nothing changed.
    """
    engine = get_engine(url).execution_options(**{_WRITE: True})
    try:
        with sessionmaker(engine, expire_on_commit=False).begin() as session:
            yield session
    except PermissionDenied as error:
        _record_refusal(engine, error)
        raise


def _record_refusal(engine: Engine, error: PermissionDenied) -> None:
    from data.audit import record_event  # audit imports the models; keep this module light
    from data.models import Organisation

    actor = error.actor or Actor(username="?", role="unknown")
    with sessionmaker(engine).begin() as session:
        known = error.organisation_id is not None and session.get(Organisation, error.organisation_id) is not None
        record_event(session=session, actor=actor, action="permission.denied",
                     organisation_id=error.organisation_id if known else None,
                     detail={"key": error.key, "role": actor.role, "organisation_id": error.organisation_id})


@contextmanager
def reading(url: str | None = None) -> Iterator[Session]:
    """A read-only session; nothing it does is committed."""
    with Session(get_engine(url)) as session:
        yield session
        session.rollback()
