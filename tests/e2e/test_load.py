"""The browser load test (bench/load.py) runs small in the suite, so it cannot rot: it once did,
when signing in moved from a form in the app to the /signin page, and nothing noticed."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench import load
from tests.e2e.conftest import _browser_missing, _unavailable

pytestmark = pytest.mark.e2e


def test_two_chromium_sessions_sign_in_move_through_the_pages_and_save_without_errors(tmp_path):
    reason = _browser_missing()
    if reason:
        _unavailable(reason)
    output = tmp_path / "results.json"
    # In a thread of its own: the suite's Playwright fixtures keep an event loop running on this one,
    # and bench/load.py starts its own with asyncio.run.
    args = ["--scale", "small", "--database", f"sqlite:///{tmp_path / 'load.db'}", "--sessions", "2",
                        "--savers", "1", "--seconds", "20", "--output", str(output)]
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(load.main, args).result(timeout=600)
    assert result["errors"] == 0, result["error_examples"]
    assert result["sessions"] == 2
    assert result["page_views"] >= 2 * len(result["pages"])  # each person went round the pages at least once
    assert result["saves_succeeded"] >= 1
    assert result["saves_conflict_shown"] == 0  # one saver: nobody to conflict with
    assert json.loads(output.read_text())["load"]["sessions"] == 2
