"""Run the second accessibility checker (pa11y: HTML_CodeSniffer's WCAG 2 AA rules) on the live app.

The Node side is tests/e2e/pa11y/run.mjs (installed by ``make install``: ``npm ci`` in
tests/e2e/pa11y with PUPPETEER_SKIP_DOWNLOAD=true, so Debian's Chromium is driven and nothing is
downloaded). This module writes its job file, runs it with a timeout and reads its JSON answer.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from data.demo_accounts import DEMO_PASSWORD
from tools.live_server import CHROMIUM, CHROMIUM_ARGS
from tools.tour import targets

PA11Y_DIR = Path(__file__).resolve().parent / "pa11y"
# One pa11y run on a drawn page takes 2-6 s here; a step (click, redraw) far less than this.
STEP_TIMEOUT_MS = 60_000
RUN_TIMEOUT_S = 900


def pa11y_missing() -> str | None:
    """Why pa11y cannot run here (no Node, or ``npm ci`` not run), or None when it can."""
    if shutil.which("node") is None:
        return "Node.js is not installed (pa11y needs node >= 20 and npm)"
    if not (PA11Y_DIR / "node_modules" / "pa11y").is_dir():
        return "pa11y is not installed (make install runs npm ci in tests/e2e/pa11y)"
    return None


def run_pa11y(base_url: str, language: str, username: str) -> dict[str, Any]:
    """pa11y's errors on the sign-in page and on every target, by target id, in one language."""
    job = {"base": base_url, "username": username, "password": DEMO_PASSWORD, "language": language,
           "targets": [target.as_job() for target in targets()], "chromium": CHROMIUM, "chromiumArgs": CHROMIUM_ARGS,
           "stepTimeoutMs": STEP_TIMEOUT_MS, "pa11yTimeoutMs": STEP_TIMEOUT_MS}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(job, file)
    try:
        done = subprocess.run(["node", str(PA11Y_DIR / "run.mjs"), file.name], cwd=PA11Y_DIR,
                              capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False)
    finally:
        Path(file.name).unlink()
    if done.returncode != 0:
        raise RuntimeError(f"pa11y exited with {done.returncode}:\n{done.stderr[-4000:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return report
