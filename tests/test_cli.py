"""The command line: exit codes 0 / 1 / 2, messages, and nothing written on errors."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, url):
    return subprocess.run([sys.executable, "cli.py", "--database", url, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def cli_url(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_init_demo_export_import_round_trip(cli_url, tmp_path):
    first = cli("init", url=cli_url)
    assert first.returncode == 0
    assert "18 nya" in first.stdout
    assert "0 nya, 0 uppdaterade" in cli("init", url=cli_url).stdout
    demo = cli("--language", "en", "demo", url=cli_url)
    assert demo.returncode == 0
    assert "12 organisations" in demo.stdout
    out = tmp_path / "all.csv"
    assert cli("export", str(out), url=cli_url).returncode == 0
    assert out.read_text().startswith("organisation,metric,period,value,status,comment\n")
    again = cli("--language", "en", "import", str(out), url=cli_url)
    assert again.returncode == 0
    assert " 0 new, 0 changed" in again.stdout


def test_data_errors_exit_1_list_every_row_and_write_nothing(cli_url, tmp_path):
    cli("demo", url=cli_url)
    bad = tmp_path / "bad.csv"
    bad.write_text("organisation,metric,period,value\n"
                   "demo-ekbacka,customer_satisfaction,2024-Q1,55\n"
                   "demo-ekbacka,customer_satisfaction,2024Q5,55\n"
                   "demo-ekbacka,ideas_delivered,2024-Q1,ca 40\n")
    result = cli("--language", "en", "import", str(bad), url=cli_url)
    assert result.returncode == 1
    assert "Row 3, column period, «2024Q5»: Not a quarter." in result.stderr
    assert "Row 4, column value, «ca 40»: Not a number." in result.stderr
    export = tmp_path / "after.csv"
    cli("export", str(export), url=cli_url)
    assert "demo-ekbacka,customer_satisfaction,2024-Q1,55," not in export.read_text()


def test_usage_errors_exit_2(cli_url, tmp_path):
    assert cli("import", str(tmp_path / "missing.csv"), url=cli_url).returncode == 2
    assert cli("import", "--bogus", url=cli_url).returncode == 2
    assert cli("export", str(tmp_path / "x.txt"), url=cli_url).returncode == 2


def test_dry_run_writes_nothing(cli_url, tmp_path):
    cli("demo", url=cli_url)
    good = tmp_path / "good.csv"
    good.write_text("organisation,metric,period,value\ndemo-ekbacka,ideas_delivered,2019-Q1,7\n")
    dry = cli("--language", "en", "import", str(good), "--dry-run", url=cli_url)
    assert dry.returncode == 0
    assert "Dry run" in dry.stdout
    assert "1 new" in dry.stdout
    real = cli("--language", "en", "import", str(good), url=cli_url)
    assert "1 new" in real.stdout
    assert "0 new, 0 changed, 1 unchanged" in cli("--language", "en", "import", str(good), url=cli_url).stdout


def cli_input(*args, url, stdin):
    return subprocess.run([sys.executable, "cli.py", "--database", url, *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_user_commands_add_list_passwd_deactivate(cli_url):
    assert cli("init", url=cli_url).returncode == 0
    cli("demo", url=cli_url)
    added = cli_input("--language", "en", "user", "add", "Eva", "--role", "editor", "--organisation", "demo-ekbacka",
                      "--password-stdin", url=cli_url, stdin="a-long-enough-password\n")
    assert added.returncode == 0, added.stderr
    assert "Account eva created (editor)" in added.stdout
    listing = cli("user", "list", url=cli_url).stdout
    assert "eva\teditor\tdemo-ekbacka\tJa" in listing
    short = cli_input("user", "passwd", "eva", "--password-stdin", url=cli_url, stdin="kort\n")
    assert short.returncode == 1
    assert "minst 10 tecken" in short.stderr
    assert cli_input("user", "passwd", "eva", "--password-stdin", url=cli_url, stdin="another-long-one\n").returncode == 0
    assert cli("user", "deactivate", "eva", url=cli_url).returncode == 0
    assert "eva\teditor\tdemo-ekbacka\tNej" in cli("user", "list", url=cli_url).stdout


def test_as_acts_with_the_accounts_permissions(cli_url, tmp_path):
    cli("demo", url=cli_url)
    sheet = tmp_path / "one.csv"
    sheet.write_text("organisation,metric,period,value\ndemo-granlunda,ideas_delivered,2020-Q1,3\n")
    # The demo editor edits only Ekbacka: importing Granlunda's figure is refused and writes nothing.
    refused = cli("import", str(sheet), "--as", "demo-editor", url=cli_url)
    assert refused.returncode == 1
    assert "behörighet" in refused.stderr
    assert cli("demo", "--remove", "--as", "demo-viewer", url=cli_url).returncode == 1
    assert cli("user", "list", "--as", "demo-viewer", url=cli_url).returncode == 1
    assert cli("import", str(sheet), "--as", "demo-admin", url=cli_url).returncode == 0
    unknown = cli("import", str(sheet), "--as", "nobody", url=cli_url)
    assert unknown.returncode == 1
    assert "nobody" in unknown.stderr
