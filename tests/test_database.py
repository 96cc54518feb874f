"""Migrations, catalogue sync and the schema state, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import inspect, select, text, update

from data.actors import SYSTEM
from data.bootstrap import prepare_database
from data.catalogue_store import list_metrics, sync_builtin_catalogue
from data.db import get_engine, reading, writing
from data.migrate import SchemaState, UnknownSchemaError, head_revision, schema_state, upgrade
from data.models import Metric
from data.versioning import read_data_version


def test_migrations_take_an_empty_database_to_head(db_url):
    assert schema_state(db_url) is SchemaState.EMPTY
    upgrade(db_url)
    assert schema_state(db_url) is SchemaState.CURRENT
    tables = set(inspect(get_engine(db_url)).get_table_names())
    assert {"organisation", "metric", "measurement", "measurement_revision", "audit_event", "data_version"} <= tables
    with get_engine(db_url).connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()


def test_an_unknown_revision_is_refused(db_url):
    upgrade(db_url)
    with get_engine(db_url).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    assert schema_state(db_url) is SchemaState.UNKNOWN
    with pytest.raises(UnknownSchemaError):
        upgrade(db_url)


def test_a_foreign_database_with_tables_but_no_revision_is_refused(db_url):
    with get_engine(db_url).begin() as connection:
        connection.execute(text("CREATE TABLE something_else (id INTEGER PRIMARY KEY)"))
    with pytest.raises(UnknownSchemaError):
        upgrade(db_url)


def test_init_loads_18_metrics_and_rerunning_changes_nothing(db_url):
    first = prepare_database(db_url).catalogue
    assert len(first.added) == 18
    with reading(db_url) as session:
        version = read_data_version(session)
    second = prepare_database(db_url).catalogue
    assert (second.added, second.updated, second.kept_admin_wording) == ((), (), ())
    with reading(db_url) as session:
        assert read_data_version(session) == version
        assert len(list_metrics(session=session)) == 18


def test_an_administrators_wording_survives_a_catalogue_update(db_url):
    prepare_database(db_url)
    with writing(db_url) as session:
        # The admin rewords one metric; a release changes another's wording (simulated by
        # making its stored hash stale, as an older catalogue would have left it).
        session.execute(update(Metric).where(Metric.code == "ideas_delivered").values(name_sv="Genomförda idéer"))
        session.execute(update(Metric).where(Metric.code == "ideas_delivered").values(catalogue_hash="old"))
        session.execute(update(Metric).where(Metric.code == "media_stories").values(name_en="Old wording"))
        stale = session.scalar(select(Metric).where(Metric.code == "media_stories"))
        from data.catalogue_store import _definition_of  # the hash of the now-stored wording
        stale.catalogue_hash = _definition_of(stale).catalogue_hash()
    with writing(db_url) as session:
        result = sync_builtin_catalogue(session=session, actor=SYSTEM)
    assert result.kept_admin_wording == ("ideas_delivered",)
    assert "media_stories" in result.updated
    with reading(db_url) as session:
        names = {m.code: m for m in list_metrics(session=session)}
    assert names["ideas_delivered"].name_sv == "Genomförda idéer"
    assert names["media_stories"].name_en == "Stories about us"


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with get_engine(url).connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
