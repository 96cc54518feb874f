"""Bulk inserts at driver speed, inside the caller's transaction.

A national import writes half a million figures and as many revisions. SQLAlchemy's per-row
parameter handling costs 3–7× the driver's own ``executemany`` (sqlite3) or ``COPY`` (psycopg),
measured in ../shared/RECIPES.md, so large writes go straight to the driver on the same connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

_COPY_THRESHOLD = 1000


def insert_rows(session: Session, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows (tuples in the order of ``columns``) into ``table`` in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect.name
    column_list = ", ".join(columns)
    if dialect == "postgresql" and len(rows) >= _COPY_THRESHOLD:
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    marker = _marker(session)
    placeholders = ", ".join([marker] * len(columns))
    connection.exec_driver_sql(
        f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", list(rows)
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
