"""Backups of a SQLite database while the app runs, and putting one back.

SQLite's online backup API copies the database page by page under its own locking, so the copy is
consistent even while the app writes (a write during the copy makes it restart from there).
PostgreSQL has its own tools for this (``pg_dump`` / ``pg_restore``); these functions refuse it.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy.engine import make_url

from data.db import dispose_engine
from data.migrate import known_revisions, upgrade_to
from metrics.errors import EffektError

_PAGES_PER_STEP = 1024
# SQLite's own bookkeeping tables (ANALYZE statistics, AUTOINCREMENT counters): not part of the schema.
_SQLITE_INTERNAL = re.compile(r"sqlite_(stat\d|sequence)")

# One schema object as sqlite_master describes it: (type, name, table, definition).
SchemaObject = tuple[str, str, str, str]


class BackupError(EffektError, ValueError):
    """A backup or restore that cannot be done; ``key`` and ``params`` make the message."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    figures: int
    revisions: int


def sqlite_path(url: str) -> Path:
    """The database file behind a SQLite URL; refuses other databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise BackupError("backup.not_sqlite")
    return Path(parsed.database)


def backup_database(url: str, target: Path) -> BackupInfo:
    """Copy the live database to ``target`` (a new file) with the online backup API."""
    source_path = sqlite_path(url)
    if not source_path.is_file():
        raise BackupError("backup.no_database", path=str(source_path))
    if target.exists():
        raise BackupError("backup.target_exists", path=str(target))
    source = sqlite3.connect(source_path, timeout=30)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination, pages=_PAGES_PER_STEP)
    finally:
        destination.close()
        source.close()
    return describe_backup(target)


def describe_backup(path: Path) -> BackupInfo:
    """Check that a file is an intact Effekt database with exactly Effekt's schema; say what it holds.

    The schema (tables, columns, indexes, and no trigger or view) must be the one this code's
    migrations create for the backup's revision: a crafted file could otherwise bring triggers that
    fire during or after the restore, or views in place of tables, into the live database.
    """
    if not path.is_file():
        raise BackupError("backup.no_file", path=str(path))
    return _inspect(path, path)


def _inspect(path: Path, shown: Path) -> BackupInfo:
    """The checks of :func:`describe_backup` on ``path``, naming ``shown`` in every message."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (check,) = connection.execute("PRAGMA quick_check").fetchone()
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            schema = _schema_of(connection)
            _require_expected_schema(shown, revision[0] if revision else None, schema)
            figures = connection.execute("SELECT count(*) FROM measurement").fetchone()[0]
            revisions = connection.execute("SELECT count(*) FROM measurement_revision").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError("backup.not_a_backup", path=str(shown)) from error
    if check != "ok":
        raise BackupError("backup.not_a_backup", path=str(shown))
    return BackupInfo(shown, path.stat().st_size, int(figures), int(revisions))


def _schema_of(connection: sqlite3.Connection) -> frozenset[SchemaObject]:
    """Every table, index, view and trigger, with its definition in a canonical form."""
    rows = connection.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master").fetchall()
    return frozenset(
        (kind, name, table, _canonical(kind, sql))
        for kind, name, table, sql in rows if not _SQLITE_INTERNAL.fullmatch(name)
    )


def _canonical(kind: str, sql: str) -> str:
    """Whitespace collapsed; for a table, its columns and constraints in sorted order and the name
    unquoted. A migration that rebuilds a table (Alembic's batch mode on SQLite) may write the
    same constraints in another order, which is the same schema."""
    text = " ".join(sql.split())
    if kind != "table" or "(" not in text:
        return text
    head, body = text.split("(", 1)
    items, depth, current = [], 0, ""
    for character in body.rsplit(")", 1)[0]:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if character == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += character
    items.append(current.strip())
    return f"{head.replace(chr(34), '').strip()} ({', '.join(sorted(items))})"


@lru_cache(maxsize=8)
def expected_schema(revision: str) -> frozenset[SchemaObject]:
    """The schema the migrations create up to ``revision``, read from a freshly migrated temporary database."""
    with tempfile.TemporaryDirectory(prefix="effekt-schema-") as folder:
        url = f"sqlite:///{Path(folder) / 'expected.db'}"
        try:
            upgrade_to(url, revision)
            connection = sqlite3.connect(Path(folder) / "expected.db")
            try:
                return _schema_of(connection)
            finally:
                connection.close()
        finally:
            dispose_engine(url)


def _require_expected_schema(path: Path, revision: str | None, schema: frozenset[SchemaObject]) -> None:
    """Refuse a backup whose schema differs in any object from the expected one, naming the objects."""
    if revision is None or revision not in known_revisions():
        raise BackupError("security.backup_revision", path=str(path), revision=revision or "-")
    expected = expected_schema(revision)
    if schema == expected:
        return
    found = {(kind, name): definition for kind, name, _, definition in schema}
    wanted = {(kind, name): definition for kind, name, _, definition in expected}
    raise BackupError(
        "security.backup_schema", path=str(path),
        extra=_named(found.keys() - wanted.keys()), missing=_named(wanted.keys() - found.keys()),
        changed=_named({k for k in found.keys() & wanted.keys() if found[k] != wanted[k]}),
    )


def _named(objects: set[tuple[str, str]]) -> str:
    return ", ".join(f"{kind} {name}" for kind, name in sorted(objects)) or "–"


def restore_database(url: str, source: Path) -> BackupInfo:
    """Replace the live database's contents with a backup's, through the same backup API (so
    other connections see either the old or the restored database, never a mix).

    The data version is then set above anything either database has seen, so no cached read made
    before the restore can be taken for the restored data."""
    target_path = sqlite_path(url)
    if not source.is_file():
        raise BackupError("backup.no_file", path=str(source))
    # The check and the restore read one private copy, so the file cannot be swapped in between.
    with tempfile.TemporaryDirectory(prefix="effekt-restore-", dir=target_path.parent) as folder:
        checked = Path(folder) / "checked.db"
        _private_copy(source, checked)
        info = _inspect(checked, source)
        _replace_contents(url, target_path, checked)
    return info


def _private_copy(source: Path, copy: Path) -> None:
    try:
        original = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        destination = sqlite3.connect(copy)
        try:
            original.backup(destination)
        finally:
            destination.close()
            original.close()
    except sqlite3.DatabaseError as error:
        raise BackupError("backup.not_a_backup", path=str(source)) from error


def _replace_contents(url: str, target_path: Path, source: Path) -> None:
    """Copy a checked backup over the live database and move the data version past both."""
    before = _data_version(target_path) if target_path.is_file() else 0
    dispose_engine(url)
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    live = sqlite3.connect(target_path, timeout=30)
    try:
        backup.backup(live)
        restored = _data_version_of(live)
        live.execute("UPDATE data_version SET version = ? WHERE id = 1", (max(before, restored) + 1,))
        live.commit()
    finally:
        live.close()
        backup.close()
    dispose_engine(url)


def _data_version(path: Path) -> int:
    connection = sqlite3.connect(path, timeout=30)
    try:
        return _data_version_of(connection)
    except sqlite3.DatabaseError:
        return 0
    finally:
        connection.close()


def _data_version_of(connection: sqlite3.Connection) -> int:
    row = connection.execute("SELECT version FROM data_version WHERE id = 1").fetchone()
    return int(row[0]) if row else 0
