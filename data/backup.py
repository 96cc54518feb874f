"""Backups of a SQLite database while the app runs, and putting one back.

SQLite's online backup API copies the database page by page under its own locking, so the copy is
consistent even while the app writes (a write during the copy makes it restart from there).
PostgreSQL has its own tools for this (``pg_dump`` / ``pg_restore``); these functions refuse it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from data.db import dispose_engine

_PAGES_PER_STEP = 1024


class BackupError(ValueError):
    """A backup or restore that cannot be done; ``key`` and ``params`` make the message."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)


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
    """Check that a file is an intact Effekt database and say what it holds."""
    if not path.is_file():
        raise BackupError("backup.no_file", path=str(path))
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (check,) = connection.execute("PRAGMA quick_check").fetchone()
            figures = connection.execute("SELECT count(*) FROM measurement").fetchone()[0]
            revisions = connection.execute("SELECT count(*) FROM measurement_revision").fetchone()[0]
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError("backup.not_a_backup", path=str(path)) from error
    if check != "ok":
        raise BackupError("backup.not_a_backup", path=str(path))
    return BackupInfo(path, path.stat().st_size, int(figures), int(revisions))


def restore_database(url: str, source: Path) -> BackupInfo:
    """Replace the live database's contents with a backup's, through the same backup API (so
    other connections see either the old or the restored database, never a mix).

    The data version is then set above anything either database has seen, so no cached read made
    before the restore can be taken for the restored data."""
    info = describe_backup(source)
    target_path = sqlite_path(url)
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
    return info


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
