"""The reporting round on the command line, for the demo, on SQLite and PostgreSQL: remind
--dry-run names the editors, remind sends once, signoff locks the quarter against an import,
reopen opens it again; with the usual exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from data.db import reading
from data.models import Measurement, Metric, Organisation
from tests.smtp_support import mail_environment, smtp_server

ROOT = Path(__file__).resolve().parents[1]
LOCKED = "2025 K3 är klarmarkerad för Ekbacka kommun — be en administratör att öppna kvartalet igen."


def cli(*args: str, url: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "EFFEKT_TODAY": "2025-11-15", **(env or {})}
    return subprocess.run([sys.executable, "cli.py", "--database", url, *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=300)


def _ideas_q3(url: str) -> float:
    with reading(url) as session:
        return float(session.scalar(
            select(Measurement.value).join(Organisation, Organisation.id == Measurement.organisation_id)
            .join(Metric, Metric.id == Measurement.metric_id)
            .where(Organisation.code == "demo-ekbacka", Metric.code == "ideas_delivered", Measurement.period == 2025 * 4 + 2)))


def test_the_demo_round_remind_signoff_import_reopen(demo_url, tmp_path):
    with smtp_server() as (port, sink):
        env = mail_environment(port)
        dry = cli("remind", "--quarter", "2025-Q3", "--dry-run", url=demo_url, env=env)
        assert (dry.returncode, dry.stdout.splitlines()[0]) == (
            0, "Skulle skicka till demo-editor <demo-editor@ekbacka.example>: Ekbacka kommun (1 av 18 mätetal saknas)")
        assert sink.received == []
        sent = cli("remind", "--quarter", "2025-Q3", url=demo_url, env=env)
        assert (sent.returncode, sent.stdout.splitlines()[0]) == (0, "Skickat till demo-editor <demo-editor@ekbacka.example>")
        again = cli("remind", "--quarter", "2025-Q3", url=demo_url, env=env)
        assert again.returncode == 0
        assert "0 skickade, 0 misslyckade, 0 utan e-postadress, 1 redan skickade." in again.stdout
    assert len(sink.received) == 1

    bare = cli("signoff", "--organisation", "demo-ekbacka", "--quarter", "2025-Q3", "--as", "demo-editor", url=demo_url)
    assert bare.returncode == 1
    assert "1 mätetal saknar värde." in bare.stderr
    signed = cli("signoff", "--organisation", "demo-ekbacka", "--quarter", "2025-Q3", "--note", "Mentorskap från 2026",
                 "--as", "demo-editor", url=demo_url)
    assert (signed.returncode, signed.stdout.strip()) == (0, "2025 K3 är klarmarkerad för demo-ekbacka (1 mätetal saknas).")

    before = _ideas_q3(demo_url)
    changed = tmp_path / "q3.csv"
    changed.write_text(f"organisation,metric,period,value\ndemo-ekbacka,ideas_delivered,2025-Q3,{before + 5}\n")
    refused = cli("import", str(changed), url=demo_url)
    assert (refused.returncode, refused.stderr.strip()) == (1, LOCKED)
    assert _ideas_q3(demo_url) == before

    assert cli("reopen", "--organisation", "demo-ekbacka", "--quarter", "2025-Q3", "--reason", "Rättelse",
               "--as", "demo-editor", url=demo_url).returncode == 1  # editors may not reopen
    no_reason = cli("reopen", "--organisation", "demo-ekbacka", "--quarter", "2025-Q3", "--reason", " ", url=demo_url)
    assert (no_reason.returncode, no_reason.stderr.strip()) == (1, "Ange varför kvartalet öppnas igen.")
    opened = cli("reopen", "--organisation", "demo-ekbacka", "--quarter", "2025-Q3", "--reason", "Rättelse", url=demo_url)
    assert (opened.returncode, opened.stdout.strip()) == (0, "2025 K3 är öppnad igen för demo-ekbacka.")
    assert cli("import", str(changed), url=demo_url).returncode == 0
    assert _ideas_q3(demo_url) == before + 5


def test_usage_and_data_errors_of_the_round_commands(demo_url):
    assert cli("signoff", "--organisation", "demo-ekbacka", "--quarter", "K9", url=demo_url).returncode == 2
    assert cli("signoff", "--organisation", "nope", "--quarter", "2025-Q3", url=demo_url).returncode == 2
    future = cli("--language", "en", "signoff", "--organisation", "demo-ekbacka", "--quarter", "2026-Q1", url=demo_url)
    assert (future.returncode, future.stderr.strip()) == (1, "2026 Q1 has not ended yet.")
    other = cli("signoff", "--organisation", "demo-granlunda", "--quarter", "2025-Q3", "--note", "x",
                "--as", "demo-editor", url=demo_url)
    assert other.returncode == 1
    nomail = cli("--language", "en", "remind", "--quarter", "2025-Q3", url=demo_url, env={"EFFEKT_SMTP_HOST": ""})
    assert (nomail.returncode, nomail.stderr.strip()) == (
        1, "Mail is not set up (EFFEKT_SMTP_HOST and EFFEKT_MAIL_FROM are missing); nothing was sent.")
    deadline = cli("--language", "en", "deadline", "--quarter", "2025-Q3", "--date", "2025-11-30", url=demo_url)
    assert (deadline.returncode, deadline.stdout.strip()) == (0, "Deadline for 2025 Q3: 2025-11-30 (set by system).")
    assert cli("deadline", "--quarter", "2025-Q3", "--date", "2025-11-31", url=demo_url).returncode == 2
    assert cli("deadline", "--quarter", "2025-Q3", "--date", "2025-12-01", "--as", "demo-editor",
               url=demo_url).returncode == 1
    prefs = cli("--language", "en", "mail-preferences", "demo-editor", "--mail-language", "en", "--digest", "on",
                url=demo_url)
    assert (prefs.returncode, prefs.stdout.strip()) == (0, "Mail for demo-editor: language en, digest Yes.")
    digest = cli("digest", "--quarter", "2025-Q3", "--dry-run", url=demo_url)
    assert digest.returncode == 1
    assert "sista inrapporteringsdag (2025-11-30)" in digest.stderr
