"""One settings object: where the database is and the thresholds the app runs with.

Read from the environment so the app, the CLI, the benchmark and the tests agree on them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_DIR / 'effekt.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    demo_on_empty: bool
    peer_minimum: int
    peer_excludes_estimated: bool
    # Minutes without interaction after which a sign-in ends.
    idle_minutes: int = 30
    # What the importer reads at most (data/import_limits.py): rows, columns, characters a cell,
    # and problems listed one by one (the rest are counted).
    import_max_rows: int = 200_000
    import_max_columns: int = 50
    import_max_cell_chars: int = 10_000
    import_max_problems: int = 1_000


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def get_settings() -> Settings:
    """Read the settings now (not at import), so tests and replicas can point elsewhere."""
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        demo_on_empty=_flag("EFFEKT_DEMO_ON_EMPTY", True),
        peer_minimum=int(os.environ.get("EFFEKT_PEER_MINIMUM", "5")),
        peer_excludes_estimated=_flag("EFFEKT_PEER_EXCLUDES_ESTIMATED", True),
        idle_minutes=int(os.environ.get("EFFEKT_IDLE_MINUTES", "30")),
        import_max_rows=int(os.environ.get("EFFEKT_IMPORT_MAX_ROWS", "200000")),
        import_max_columns=int(os.environ.get("EFFEKT_IMPORT_MAX_COLUMNS", "50")),
        import_max_cell_chars=int(os.environ.get("EFFEKT_IMPORT_MAX_CELL_CHARS", "10000")),
        import_max_problems=int(os.environ.get("EFFEKT_IMPORT_MAX_PROBLEMS", "1000")),
    )
