"""The house rules that a reviewer cannot see at a glance, measured so they cannot regress:
short functions (at most 40 lines, decorators not counted, the docstring counted) and short pages
(a page file under 150 lines: pages are layout, the work lives below them). The benchmark, the tests
and the Alembic migrations are outside the rule."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = {"bench", "tests", "migrations", ".venv", ".git", "node_modules"}
LONGEST_FUNCTION = 40
LONGEST_PAGE = 149
# Temporary, for the merge only: issue 12's split of data/importer.py shortens this one; remove it then.


def _sources() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if not OUTSIDE & set(p.relative_to(ROOT).parts))


def function_lengths() -> dict[str, int]:
    """Every function and method of the project (nested ones too) by ``path:name``, in lines."""
    lengths: dict[str, int] = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                where = f"{path.relative_to(ROOT).as_posix()}:{node.name}"
                lengths[where] = max(lengths.get(where, 0), node.end_lineno - node.lineno + 1)
    return lengths


def test_the_walk_sees_the_whole_project_and_skips_what_is_outside_the_rule():
    lengths = function_lengths()
    assert {"cli.py:_parser", "data/figures.py:_write", "ui/charts.py:detail_figure"} <= set(lengths)
    assert [w for w in lengths if w.startswith(("bench/", "tests/")) or "/migrations/" in w] == []

def test_no_function_is_longer_than_forty_lines():
    too_long = {w: n for w, n in function_lengths().items() if n > LONGEST_FUNCTION}
    assert too_long == {}


def test_every_page_file_stays_under_one_hundred_and_fifty_lines():
    pages = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "app_pages").glob("*.py")}
    assert len(pages) >= 10
    assert {name: n for name, n in pages.items() if n > LONGEST_PAGE} == {}
