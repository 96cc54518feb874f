"""The layers between the packages (pyproject.toml, ``[tool.importlinter]``) hold, and break on a wrong arrow.

``lint-imports`` checks the packages; the command line and ``dashboard.py`` are single modules it
cannot take as roots, so their imports are read here. And what the contracts promise is what a run
does: loading the board pack, the data layer and the command line loads no Streamlit.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("app_pages", "web", "ui", "reports", "data", "presentation", "metrics")
PROJECT = {*PACKAGES, "cli", "cli_rounds", "cli_sweden", "cli_events", "dashboard", "bench", "tools", "tests"}


def lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` over the project in ``folder``, with a time limit: a hang is a failure."""
    assert LINT_IMPORTS.exists(), f"{LINT_IMPORTS} missing: pip install -r requirements-dev.txt"
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=folder, capture_output=True, text=True, timeout=120)


def test_the_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def copy_of_the_project(target: Path) -> Path:
    """The packages and the contract, without caches or data, so a test can add a wrong arrow."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__", "*.toml", "fonts"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("reports/model.py", "import ui.charts", "reports is not allowed to import ui"),
    ("presentation/palette.py", "import data.db", "presentation is not allowed to import data"),
    ("data/audit.py", "from presentation.i18n import translate", "data is not allowed to import presentation"),
    ("metrics/periods.py", "import presentation.formatting", "metrics is not allowed to import presentation"),
    ("app_pages/board.py", "import web.api", "app_pages is not allowed to import web"),
    ("data/figures.py", "import streamlit", "data is not allowed to import streamlit"),
    ("presentation/wording.py", "import streamlit", "presentation is not allowed to import streamlit"),
])
def test_a_wrong_arrow_breaks_a_contract(tmp_path, module, line, broken):
    folder = copy_of_the_project(tmp_path)
    with (folder / module).open("a", encoding="utf-8") as handle:
        handle.write(f"\n{line}\n")
    result = lint_imports(folder)
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout


def project_imports(path: Path) -> set[str]:
    """The project's top-level packages and modules a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & (PROJECT | {"streamlit"})


@pytest.mark.parametrize(("module", "allowed"), [
    ("cli.py", {"cli_rounds", "cli_sweden", "cli_events", "reports", "data", "presentation", "metrics"}),
    ("cli_rounds.py", {"reports", "data", "presentation", "metrics"}),
    ("cli_sweden.py", {"reports", "data", "presentation", "metrics"}),
    ("cli_events.py", {"reports", "data", "presentation", "metrics"}),
    ("dashboard.py", {"streamlit", "ui", "presentation", "data", "metrics"}),
])
def test_the_single_modules_keep_to_their_layer(module, allowed):
    assert project_imports(ROOT / module) - allowed == set()


FRESH_IMPORT = """
import importlib, pkgutil, sys
loaded = []
for package in ("metrics", "presentation", "data", "reports"):
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        if not info.name.startswith("data.migrations"):
            importlib.import_module(info.name)
            loaded.append(info.name)
        if "streamlit" in sys.modules:
            raise SystemExit("streamlit loaded by " + info.name)
for module in ("cli_rounds", "cli_sweden", "cli_events", "cli"):
    importlib.import_module(module)
    if "streamlit" in sys.modules:
        raise SystemExit("streamlit loaded by " + module)
print(len(loaded), "modules")
"""


def test_the_board_pack_the_data_layer_and_the_cli_load_no_streamlit():
    result = subprocess.run([sys.executable, "-c", FRESH_IMPORT], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert int(result.stdout.split()[0]) > 50
