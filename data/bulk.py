"""Bulk inserts at driver speed, inside the caller's transaction.

A national import writes half a million figures and as many revisions. SQLAlchemy's per-row
parameter handling costs 3–7× the driver's own ``executemany`` (sqlite3) or ``COPY`` (psycopg),
measured in docs/RECIPES.md, so large writes go straight to the driver on the same connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

_COPY_THRESHOLD = 1000
# A large SQLite insert maintains three B-trees per table (rows, the unique cell, an index); with
# the default 2 MB page cache they spill to the WAL long before the commit. For the duration of a
# big insert the connection gets a larger cache, then its own back.
_BIG_INSERT = 20_000
_BIG_CACHE_KIB = 131_072


def driver_timestamp(session: Session, moment: dt.datetime) -> dt.datetime | str:
    """A timestamp as the driver stores it, converted once instead of once per row.

    sqlite3 turns a datetime into ``isoformat(" ")`` through a (deprecated) adapter on every row;
    the same text, made once, is what SQLAlchemy reads back. psycopg takes the datetime itself.
    """
    if session.connection().dialect.name == "sqlite":
        return moment.isoformat(" ")
    return moment


def insert_rows(session: Session, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows (tuples in the order of ``columns``) into ``table`` in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect.name
    column_list = ", ".join(columns)
    if dialect == "postgresql" and len(rows) >= _COPY_THRESHOLD:
        driver = _driver(connection)
        with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marker = _marker(session)
    placeholders = ", ".join([marker] * len(columns))
    with _page_cache(connection, len(rows)):
        connection.exec_driver_sql(
            f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})",
            rows if isinstance(rows, list) else list(rows),
        )


def update_rows(
    session: Session, table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Update ``columns`` of rows found by ``key``; each row is the new values followed by the key."""
    if not rows:
        return
    marker = _marker(session)
    assignments = ", ".join(f"{column} = {marker}" for column in columns)
    session.connection().exec_driver_sql(
        f"UPDATE {table} SET {assignments} WHERE {key} = {marker}", list(rows)
    )


def delete_rows(session: Session, table: str, key: str, keys: Sequence[Any]) -> None:
    """Delete the rows whose ``key`` column is one of ``keys``."""
    if not keys:
        return
    marker = _marker(session)
    session.connection().exec_driver_sql(
        f"DELETE FROM {table} WHERE {key} = {marker}", [(k,) for k in keys]
    )


def _marker(session: Session) -> str:
    """The driver's positional placeholder: sqlite3 takes ``?``, psycopg ``%s``."""
    return "?" if session.connection().dialect.paramstyle == "qmark" else "%s"


@contextmanager
def _page_cache(connection: Connection, rows: int) -> Iterator[None]:
    """A larger SQLite page cache while a big insert runs; nothing for small ones or PostgreSQL."""
    if connection.dialect.name != "sqlite" or rows < _BIG_INSERT:
        yield
        return
    driver = _driver(connection)
    before = driver.execute("PRAGMA cache_size").fetchone()[0]
    driver.execute(f"PRAGMA cache_size=-{_BIG_CACHE_KIB}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size={int(before)}")


def _driver(connection: Connection) -> Any:
    """The DB-API connection under SQLAlchemy's (psycopg's for COPY, sqlite3's for PRAGMA): ``Any``, as it
    depends on the driver; None only for a connection already given back, which is a programming error."""
    driver = connection.connection.driver_connection
    if driver is None:
        raise RuntimeError("the database connection was already returned to the pool")
    return driver
