"""Backups while the app writes, and restoring one: consistent copies, nothing half-restored, and
(issue 11 finding 9, as the attack) crafted backups refused with the differences named."""

from __future__ import annotations

import sqlite3
import threading

import pytest

import cli
from data.actors import SYSTEM
from data.backup import BackupError, backup_database, describe_backup, restore_database
from data.bootstrap import prepare_database
from data.catalogue_store import list_metrics
from data.db import dispose_engine, reading, writing
from data.figures import Figure, figures_frame, save_figures
from data.organisations import list_organisations
from data.versioning import read_data_version
from metrics.periods import Quarter
from presentation.i18n import translate
from tests.conftest import TODAY


@pytest.fixture
def live(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    prepare_database(url, demo_if_empty=True, today=TODAY)
    yield url
    dispose_engine(url)


def consistent(path):
    """Every figure has its revisions: the newest revision of each cell is the figure itself."""
    connection = sqlite3.connect(path)
    try:
        mismatches = connection.execute("""
            SELECT count(*) FROM measurement m
            JOIN measurement_revision r ON r.organisation_id = m.organisation_id AND r.metric_id = m.metric_id
                AND r.period = m.period AND r.version = m.version
            WHERE r.new_value IS NOT m.value
        """).fetchone()[0]
        missing = connection.execute("""
            SELECT count(*) FROM measurement m WHERE NOT EXISTS (
                SELECT 1 FROM measurement_revision r WHERE r.organisation_id = m.organisation_id
                AND r.metric_id = m.metric_id AND r.period = m.period AND r.version = m.version)
        """).fetchone()[0]
    finally:
        connection.close()
    return mismatches == 0 and missing == 0


def test_a_backup_taken_during_writes_is_consistent_and_restores(live, tmp_path):
    with reading(live) as session:
        organisation = list_organisations(session=session)[0].id
        metric = {m.code: m.id for m in list_metrics(session=session)}["ideas_delivered"]
    stop = threading.Event()
    written = []

    def writer():
        value = 1000
        while not stop.is_set():
            with writing(live) as session:
                save_figures(session=session, actor=SYSTEM, via="form", today=TODAY,
                             figures=[Figure(organisation, metric, Quarter(2019, 1 + value % 4), float(value))])
            written.append(value)
            value += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        info = backup_database(live, tmp_path / "copy.db")
        during = len(written)
        while len(written) < during + 5:
            stop.wait(0.01)
    finally:
        stop.set()
        thread.join()
    assert describe_backup(info.path) == info
    assert info.figures > 2000
    assert consistent(info.path)
    copy_url = f"sqlite:///{info.path}"
    with reading(copy_url) as session:
        saved = figures_frame(session=session).sort_values(["organisation_id", "metric_id", "period"]).reset_index(drop=True)
    dispose_engine(copy_url)
    with reading(live) as session:
        version_before = read_data_version(session)
        assert len(figures_frame(session=session, first=Quarter(2019, 1), last=Quarter(2019, 4))) == 4
    restore_database(live, info.path)
    with reading(live) as session:
        restored = figures_frame(session=session).sort_values(["organisation_id", "metric_id", "period"]).reset_index(drop=True)
        assert read_data_version(session) > version_before  # no cached read can pass for the restored data
    assert restored.equals(saved)
    assert consistent(tmp_path / "live.db")


def test_a_backup_never_overwrites_a_file_and_restore_refuses_a_non_database(live, tmp_path):
    existing = tmp_path / "existing.db"
    existing.write_text("keep me")
    with pytest.raises(BackupError) as error:
        backup_database(live, existing)
    assert error.value.key == "backup.target_exists"
    assert existing.read_text() == "keep me"
    with pytest.raises(BackupError) as error:
        restore_database(live, existing)
    assert error.value.key == "backup.not_a_backup"
    with reading(live) as session:
        assert len(figures_frame(session=session)) > 2000


def test_postgresql_is_pointed_at_pg_dump():
    with pytest.raises(BackupError) as error:
        backup_database("postgresql+psycopg://postgres@127.0.0.1:5432/test", __import__("pathlib").Path("x.db"))
    assert error.value.key == "backup.not_sqlite"


# --- crafted backups (issue 11, finding 9) ----------------------------------------------------

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


@pytest.mark.parametrize(("script", "message"), CASES)
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
    crafted = _crafted(live, tmp_path, PROMOTE_VIEWER)
    before = _state(tmp_path)
    assert cli.main(["--database", live, "--language", "en", "restore", str(crafted), "--yes"]) == 2
    assert "Unknown: trigger promote_viewer." in capsys.readouterr().err
    assert _state(tmp_path) == before
