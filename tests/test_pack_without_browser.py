"""The board pack on a machine without a browser: ``cli.py report`` and the bench's pack measurement
finish and write their files, in a process from which every browser is hidden.

The process gets a PATH without Chromium, BROWSER_PATH and PLAYWRIGHT_BROWSERS_PATH pointing
nowhere, and a ``sitecustomize`` that refuses to import a browser driver (kaleido, choreographer,
playwright) and to start any program whose name says Chrome or Chromium. Debian's /usr/bin/chromium
itself stays where it is (other test runs share this machine); docs/RECIPES.md says how to move
it away for a whole ``make test``. Every run has a timeout: a hang fails the test instead of the suite.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pypdf
import pytest
from pptx import Presentation

from data.bootstrap import prepare_database
from metrics.periods import Quarter
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]
QUARTER = Quarter.last_completed(TODAY)
TIMEOUT_S = 120
GUARD = '''
import builtins, subprocess, sys

BLOCKED = ("kaleido", "choreographer", "playwright", "pyppeteer", "selenium")
_import = builtins.__import__

def guarded_import(name, *args, **kwargs):
    if name.split(".")[0] in BLOCKED:
        raise ImportError(f"no browser here: {name}")
    return _import(name, *args, **kwargs)

builtins.__import__ = guarded_import
_popen = subprocess.Popen.__init__

def guarded_popen(self, args, *rest, **kwargs):
    program = str(args if isinstance(args, (str, bytes)) else args[0]).lower()
    if "chrom" in program:
        raise FileNotFoundError(f"no browser here: {program}")
    _popen(self, args, *rest, **kwargs)

subprocess.Popen.__init__ = guarded_popen
'''


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('nobrowser') / 'effekt.db'}"
    prepare_database(url, demo_if_empty=True, today=TODAY)
    return url


@pytest.fixture(scope="module")
def no_browser_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("nobrowser-env")
    (folder / "bin").mkdir()
    (folder / "guard").mkdir()
    (folder / "guard" / "sitecustomize.py").write_text(textwrap.dedent(GUARD))
    return {"PATH": str(folder / "bin"), "PYTHONPATH": str(folder / "guard"), "HOME": str(folder),
            "BROWSER_PATH": str(folder / "no-such-browser"), "PLAYWRIGHT_BROWSERS_PATH": str(folder / "none"),
            "EFFEKT_TODAY": TODAY.isoformat(), "LANG": "C.UTF-8"}


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)


def test_the_guard_really_hides_every_browser(no_browser_env):
    imported = run([sys.executable, "-c", "import playwright"], no_browser_env)
    assert imported.returncode == 1
    assert "ImportError: no browser here: playwright" in imported.stderr
    started = run([sys.executable, "-c", "import subprocess; subprocess.run(['/usr/bin/chromium', '--version'])"],
                  no_browser_env)
    assert started.returncode == 1
    assert "no browser here: /usr/bin/chromium" in started.stderr
    assert run([sys.executable, "-c", "import shutil; print(shutil.which('chromium'))"],
               no_browser_env).stdout == "None\n"


@pytest.mark.parametrize("file_format", ["pdf", "pptx"])
def test_cli_report_finishes_and_writes_the_pack_without_a_browser(demo_database, no_browser_env, tmp_path,
                                                                    file_format):
    out = tmp_path / f"pack.{file_format}"
    done = run([sys.executable, "cli.py", "--database", demo_database, "report", "--organisation", "demo-ekbacka",
                "--quarter", str(QUARTER), "--format", file_format, "--out", str(out)], no_browser_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Styrelseunderlaget (8 bilder) är skrivet till {out}.\n"
    assert done.stderr == ""
    if file_format == "pdf":
        pages = pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages
        assert len(pages) == 8
        assert "Kvartal" in pages[1].extract_text()
    else:
        slides = Presentation(str(out)).slides
        assert len(slides) == 8
        assert sum(1 for s in slides for shape in s.shapes if shape.has_chart) == 3


@pytest.mark.parametrize("file_format", ["pdf", "pptx"])
def test_the_bench_pack_measurement_finishes_without_a_browser(demo_database, no_browser_env, tmp_path, file_format):
    out = tmp_path / f"bench.{file_format}"
    done = run([sys.executable, "bench/pack.py", "--database", demo_database, "--organisation", "demo-ekbacka",
                "--quarter", str(QUARTER), "--format", file_format, "--runs", "1", "--out", str(out)], no_browser_env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["metrics"], result["slides"], result["charts"]) == (18, 8, 3)
    assert result["cold_s"] > 0
    assert len(result["warm_runs_s"]) == 1
    assert out.stat().st_size == result["bytes"] > 10_000
