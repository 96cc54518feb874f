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
    # The HTTP side (web/): the sign-in cookie's Secure flag (None: on unless served on loopback),
    # the API's requests per token and minute, the open-data licence and the public base URL.
    cookie_secure: bool | None = None
    api_rate_per_minute: int = 60
    open_data_licence: str = "CC0-1.0"
    base_url: str = "http://127.0.0.1:8501"
    open_data_publisher: str = "Effekt"


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
        cookie_secure=_flag("EFFEKT_COOKIE_SECURE", False) if "EFFEKT_COOKIE_SECURE" in os.environ else None,
        api_rate_per_minute=int(os.environ.get("EFFEKT_API_RATE_PER_MINUTE", "60")),
        open_data_licence=os.environ.get("EFFEKT_OPEN_DATA_LICENCE", "CC0-1.0"),
        base_url=(os.environ.get("EFFEKT_BASE_URL") or "http://127.0.0.1:8501").rstrip("/"),
        open_data_publisher=os.environ.get("EFFEKT_OPEN_DATA_PUBLISHER") or "Effekt",
    )
