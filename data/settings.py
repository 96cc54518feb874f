"""One settings object: where the database is and the thresholds the app runs with.

Read from the environment so the app, the CLI, the benchmark and the tests agree on them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from metrics.disclosure import Rule

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_DIR / 'effekt.db'}"
# Kolada's open API (RKA), version 3: population for municipalities and regions.
DEFAULT_KOLADA_URL = "https://api.kolada.se/v3"


@dataclass(frozen=True)
class Settings:
    database_url: str
    demo_on_empty: bool
    peer_minimum: int
    peer_excludes_estimated: bool
    # Minutes without interaction after which a sign-in ends.
    idle_minutes: int = 30
    kolada_url: str = DEFAULT_KOLADA_URL
    # Reporting rounds (data/deadlines.py, data/reminders.py, reports/digest.py).
    deadline_days: int = 30
    reminder_interval_days: int = 7
    # Off by default: during a round few quarters are signed off yet, so counting only those would
    # hide the peer statistics (below the disclosure minimum) until most peers have signed off.
    peer_signed_off_only: bool = False
    digest_attach_pdf: bool = False
    # Where people reach this deployment (EFFEKT_BASE_URL): links in e-mail ("" leaves them out),
    # the open-data catalogue's IRIs and the API document's server (there: loopback when unset).
    base_url: str = ""
    # The HTTP side (web/): the sign-in cookie's Secure flag (None: on unless served on loopback),
    # the API's requests per token and minute, the open-data licence and publisher.
    cookie_secure: bool | None = None
    api_rate_per_minute: int = 60
    open_data_licence: str = "CC0-1.0"
    open_data_publisher: str = "Effekt"

    # What the importer reads at most (data/importing/limits.py): rows, columns, characters a cell,
    # and problems listed one by one (the rest are counted).
    import_max_rows: int = 200_000
    import_max_columns: int = 50
    import_max_cell_chars: int = 10_000
    import_max_problems: int = 1_000
    # The accessibility statement (ui/statement.py): where people report a problem, and the date of
    # the last assessment when it differs from the one the release was checked on ("" for that).
    accessibility_contact_email: str = ""
    accessibility_contact_phone: str = ""
    accessibility_assessed: str = ""

    @property
    def public_base_url(self) -> str:
        """The base URL for absolute addresses that must exist (open data, the API document)."""
        return self.base_url or "http://127.0.0.1:8501"

    @property
    def disclosure_rule(self) -> Rule:
        """The disclosure rule's settings, handed to :mod:`metrics.disclosure` by every output."""
        return Rule(minimum=self.peer_minimum, exclude_estimated=self.peer_excludes_estimated)


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
        peer_minimum=int(os.environ.get("EFFEKT_PEER_MINIMUM", str(Rule.minimum))),
        peer_excludes_estimated=_flag("EFFEKT_PEER_EXCLUDES_ESTIMATED", Rule.exclude_estimated),
        idle_minutes=int(os.environ.get("EFFEKT_IDLE_MINUTES", "30")),
        kolada_url=os.environ.get("EFFEKT_KOLADA_URL") or DEFAULT_KOLADA_URL,
        deadline_days=int(os.environ.get("EFFEKT_DEADLINE_DAYS", "30")),
        reminder_interval_days=int(os.environ.get("EFFEKT_REMINDER_INTERVAL_DAYS", "7")),
        peer_signed_off_only=_flag("EFFEKT_PEER_SIGNED_OFF_ONLY", False),
        digest_attach_pdf=_flag("EFFEKT_DIGEST_ATTACH_PDF", False),
        base_url=os.environ.get("EFFEKT_BASE_URL", "").rstrip("/"),
        cookie_secure=_flag("EFFEKT_COOKIE_SECURE", False) if "EFFEKT_COOKIE_SECURE" in os.environ else None,
        api_rate_per_minute=int(os.environ.get("EFFEKT_API_RATE_PER_MINUTE", "60")),
        open_data_licence=os.environ.get("EFFEKT_OPEN_DATA_LICENCE", "CC0-1.0"),
        open_data_publisher=os.environ.get("EFFEKT_OPEN_DATA_PUBLISHER") or "Effekt",
        import_max_rows=int(os.environ.get("EFFEKT_IMPORT_MAX_ROWS", "200000")),
        import_max_columns=int(os.environ.get("EFFEKT_IMPORT_MAX_COLUMNS", "50")),
        import_max_cell_chars=int(os.environ.get("EFFEKT_IMPORT_MAX_CELL_CHARS", "10000")),
        import_max_problems=int(os.environ.get("EFFEKT_IMPORT_MAX_PROBLEMS", "1000")),
        accessibility_contact_email=os.environ.get("EFFEKT_ACCESSIBILITY_CONTACT_EMAIL", "").strip(),
        accessibility_contact_phone=os.environ.get("EFFEKT_ACCESSIBILITY_CONTACT_PHONE", "").strip(),
        accessibility_assessed=os.environ.get("EFFEKT_ACCESSIBILITY_ASSESSED", "").strip(),
    )
