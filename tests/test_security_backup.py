"""Issue 11 finding 9, as the attack: crafted backups (a trigger that makes demo-viewer an
administrator during the restore, a view in place of failed_sign_in that swallows the lock-out,
an extra table) are refused with the differences named, and the live database stays as it was."""

from __future__ import annotations

import sqlite3

import pytest

from data.backup import BackupError, backup_database, describe_backup, restore_database
from data.bootstrap import prepare_database
from data.db import dispose_engine
from tests.conftest import TODAY
from ui.i18n import translate

PROMOTE_VIEWER = """
CREATE TRIGGER promote_viewer AFTER UPDATE ON data_version BEGIN
    UPDATE account SET role = 'admin' WHERE username = 'demo-viewer';
END;
"""
SWALLOW_FAILURES = """
DROP TABLE failed_sign_in;
CREATE VIEW failed_sign_in AS SELECT 1 AS id, 'x' AS username, NULL AS at, '' AS origin WHERE 0;
CREATE TRIGGER swallow INSTEAD OF INSERT ON failed_sign_in BEGIN SELECT 1; END;
"""
EXTRA_TABLE = "CREATE TABLE stash (secret TEXT);"


@pytest.fixture
def live(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    prepare_database(url, demo_if_empty=True, today=TODAY)
    yield url
    dispose_engine(url)


def _crafted(live: str, tmp_path, script: str):
    path = tmp_path / "crafted.db"
    backup_database(live, path)
    connection = sqlite3.connect(path)
    connection.executescript(script)
    connection.close()
    return path


def _state(tmp_path) -> tuple:
    """What a restore would change: the schema, every account's role, the data version."""
    connection = sqlite3.connect(tmp_path / "live.db")
    try:
        return (
            sorted(connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()),
            connection.execute("SELECT username, role FROM account ORDER BY username").fetchall(),
            connection.execute("SELECT version FROM data_version").fetchall(),
        )
    finally:
        connection.close()


CASES = [
    (PROMOTE_VIEWER, "crafted.db återställs inte: databasschemat skiljer sig från Effekts. "
                     "Okända: trigger promote_viewer. Saknas: –. Ändrade: –."),
    (SWALLOW_FAILURES, "crafted.db återställs inte: databasschemat skiljer sig från Effekts. "
                       "Okända: trigger swallow, view failed_sign_in. "
                       "Saknas: index ix_failed_sign_in_username_at, table failed_sign_in. Ändrade: –."),
    (EXTRA_TABLE, "crafted.db återställs inte: databasschemat skiljer sig från Effekts. "
                  "Okända: table stash. Saknas: –. Ändrade: –."),
]


@pytest.mark.parametrize("script, message", CASES)
def test_a_crafted_backup_is_refused_and_the_live_database_is_unchanged(live, tmp_path, script, message):
    crafted = _crafted(live, tmp_path, script)
    before = _state(tmp_path)
    with pytest.raises(BackupError) as described:
        describe_backup(crafted)
    with pytest.raises(BackupError) as restored:
        restore_database(live, crafted)
    for error in (described.value, restored.value):
        shown = translate(error.key, "sv", **error.params).replace(str(tmp_path) + "/", "")
        assert shown == message
    assert _state(tmp_path) == before
    assert ("demo-viewer", "viewer") in before[1]


def test_a_changed_column_is_named(live, tmp_path):
    crafted = _crafted(live, tmp_path, "ALTER TABLE account ADD COLUMN backdoor TEXT;")
    with pytest.raises(BackupError) as error:
        describe_backup(crafted)
    assert translate(error.value.key, "en", **error.value.params).replace(str(tmp_path) + "/", "") == (
        "crafted.db is not restored: its database schema differs from Effekt's. "
        "Unknown: –. Missing: –. Changed: table account.")


def test_an_untouched_backup_still_restores(live, tmp_path):
    path = tmp_path / "plain.db"
    backup_database(live, path)
    assert restore_database(live, path).figures > 2000


def test_cli_restore_of_the_trigger_backup_is_refused(live, tmp_path, capsys):
    import cli

    crafted = _crafted(live, tmp_path, PROMOTE_VIEWER)
    before = _state(tmp_path)
    assert cli.main(["--database", live, "--language", "en", "restore", str(crafted), "--yes"]) == 2
    assert "Unknown: trigger promote_viewer." in capsys.readouterr().err
    assert _state(tmp_path) == before
