"""The command line's export options, backup and restore."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, url, stdin=None):
    return subprocess.run([sys.executable, "cli.py", "--database", url, *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    assert cli("demo", url=url).returncode == 0
    return url


def test_export_one_organisation_and_a_span_of_quarters(demo, tmp_path):
    out = tmp_path / "ekbacka.csv"
    result = cli("--language", "en", "export", str(out), "--organisation", "demo-ekbacka", "--from", "2025-Q1",
                 "--to", "2025 K2", url=demo)
    assert result.returncode == 0, result.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == "organisation,metric,period,value,status,comment"
    assert {line.split(",")[0] for line in lines[1:]} == {"demo-ekbacka"}
    assert {line.split(",")[2] for line in lines[1:]} <= {"2025-Q1", "2025-Q2"}
    assert 30 <= len(lines) - 1 <= 36
    assert f"{len(lines) - 1} figures exported" in result.stdout


def test_export_usage_errors(demo, tmp_path):
    bad = cli("--language", "en", "export", str(tmp_path / "x.csv"), "--from", "2025-Q5", url=demo)
    assert bad.returncode == 2
    assert "2025-Q5 is not a quarter" in bad.stderr
    unknown = cli("--language", "en", "export", str(tmp_path / "x.csv"), "--organisation", "nowhere", url=demo)
    assert unknown.returncode == 2
    assert "nowhere does not exist" in unknown.stderr
    assert not (tmp_path / "x.csv").exists()


def test_backup_then_restore_needs_confirmation(demo, tmp_path):
    copy = tmp_path / "copy.db"
    made = cli("--language", "en", "backup", str(copy), url=demo)
    assert made.returncode == 0
    assert "Backup saved to" in made.stdout
    assert copy.is_file()
    again = cli("--language", "en", "backup", str(copy), url=demo)
    assert again.returncode == 2
    assert "already exists" in again.stderr
    refused = cli("--language", "en", "restore", str(copy), url=demo, stdin="")
    assert refused.returncode == 2
    assert "cancelled" in refused.stderr
    done = cli("--language", "en", "restore", str(copy), "--yes", url=demo)
    assert done.returncode == 0
    assert "The database is restored from" in done.stdout
    out = tmp_path / "after.csv"
    assert cli("export", str(out), url=demo).returncode == 0
    assert len(out.read_text().splitlines()) > 2000


def test_backup_of_postgresql_names_pg_dump(tmp_path):
    result = cli("--language", "en", "backup", str(tmp_path / "x.db"), url="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    assert result.returncode == 2
    assert "pg_dump and pg_restore" in result.stderr
