"""Schema migrations through Alembic, run programmatically (no alembic.ini to keep in step).

The app and ``cli.py init`` upgrade an empty or older database to head; a database stamped with a
revision this code does not know (a newer release, or something else entirely) is refused.
"""

from __future__ import annotations

import enum
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from data.db import get_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class SchemaState(enum.Enum):
    EMPTY = "empty"
    OUTDATED = "outdated"
    CURRENT = "current"
    UNKNOWN = "unknown"


class UnknownSchemaError(RuntimeError):
    """The database carries a schema revision this version of Effekt does not know."""


def _config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config("")).get_current_head()
    assert head is not None
    return head


def schema_state(url: str | None = None) -> SchemaState:
    """Where this database stands against the code's migrations."""
    engine = get_engine(url)
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        has_tables = bool(inspect(connection).get_table_names())
    if current is None:
        return SchemaState.UNKNOWN if has_tables else SchemaState.EMPTY
    script = ScriptDirectory.from_config(_config(""))
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        return SchemaState.UNKNOWN
    return SchemaState.CURRENT if current == script.get_current_head() else SchemaState.OUTDATED


def upgrade(url: str | None = None) -> None:
    """Bring the database to head; refuse one whose revision we do not know."""
    url = url or get_engine().url.render_as_string(hide_password=False)
    if schema_state(url) is SchemaState.UNKNOWN:
        raise UnknownSchemaError(
            "The database has tables or a schema revision this version of Effekt does not know; "
            "refusing to touch it."
        )
    engine = get_engine(url)
    config = _config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def known_revisions() -> frozenset[str]:
    """Every schema revision this code's migrations know."""
    return frozenset(rev.revision for rev in ScriptDirectory.from_config(_config("")).walk_revisions())


def upgrade_to(url: str, revision: str) -> None:
    """Migrate an empty database to one known ``revision`` (the backup check's reference schema)."""
    config = _config(url)
    with get_engine(url).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
