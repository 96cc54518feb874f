"""The real app (``python cli.py serve``: the ASGI app under uvicorn) on a free loopback port.

Used by the end-to-end tests, the screenshot script and the load test, so they all start the
app the same way: its own database, headless, no file watcher; ready when ``/_stcore/health``
answers; its output shown if it dies.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from metrics import clock

ROOT = Path(__file__).resolve().parents[1]
# Debian's Chromium; EFFEKT_CHROMIUM points elsewhere (another Chromium or Chrome binary).
CHROMIUM = os.environ.get("EFFEKT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class RunningServer:
    """A started dashboard: where to reach it, and its process (the benchmark reads its memory)."""

    base: str
    pid: int
    log: Path

    def output(self) -> str:
        """What the server printed so far (errors the browser only shows redacted)."""
        return self.log.read_text(errors="replace")

    def rss_mb(self) -> float:
        """The server's resident memory now, in MB (Linux ``/proc``)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no VmRSS for process {self.pid}")


def chromium_available() -> bool:
    """Whether the browser tests and measurements can run here."""
    if not Path(CHROMIUM).exists():
        return False
    try:
        import playwright.sync_api  # noqa: F401 - only whether it imports
    except ImportError:
        return False
    return True


@contextmanager
def live_server(
    database_url: str | None = None, extra_env: dict[str, str] | None = None, log_path: Path | None = None
) -> Iterator[str]:
    """Start the dashboard and yield its base URL; stop it afterwards."""
    with running_server(database_url, extra_env, log_path) as server:
        yield server.base


@contextmanager
def running_server(
    database_url: str | None = None, extra_env: dict[str, str] | None = None, log_path: Path | None = None
) -> Iterator[RunningServer]:
    """Start the dashboard and yield its address, process id and log; stop it afterwards.

    The server's output goes to ``log_path`` (default: a temporary file), so a test that sees
    "This app has encountered an error" can show the traceback behind it. The server's "today"
    (``EFFEKT_TODAY``) is the caller's :func:`metrics.clock.today`, so a test that fixed its day
    and prepared the database on it reads the same quarters in the browser.
    """
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": database_url or f"sqlite:///{folder}/effekt.db",
               "EFFEKT_TODAY": clock.today().isoformat(), **(extra_env or {})}
        log = log_path or Path(folder) / "server.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "cli.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
                cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                wait_for_health(base, process, log)
                yield RunningServer(base, process.pid, log)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


def wait_for_health(base: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    """Poll ``/_stcore/health`` at ``base`` until it answers ok; say what ``log`` holds if the
    process dies or the time runs out (the app's own server, or nginx in front of it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            shown = log.read_text() if log.exists() else ""
            raise RuntimeError(f"the server exited with {process.returncode}:\n{shown}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not become healthy in {timeout} s:\n{log.read_text()}")


# Streamlit marks its root with the script state: "notRunning" once a run has drawn everything.
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def wait_until_drawn(page: Any, timeout_ms: float = 30_000) -> None:
    """Wait until a Playwright page shows the finished run: the script idle, nothing stale (greyed
    out from the run before), no loading placeholder showing (tables and charts load lazily, after
    the run), every plotly chart drawn, and the web fonts loaded.
    Better than a fixed sleep: as fast as the page, and never a half-drawn screenshot or check."""
    page.wait_for_timeout(150)  # let a just-triggered rerun start before waiting for it to end
    page.locator(APP_IDLE).wait_for(timeout=timeout_ms)
    page.wait_for_function(
        """() => document.querySelectorAll('[data-stale="true"]').length === 0
              && ![...document.querySelectorAll('[data-testid="stSkeleton"]')].some(s => s.getClientRects().length)
              && [...document.querySelectorAll('.js-plotly-plot')].every(
                   plot => plot.querySelector('.main-svg') && plot._fullLayout)""",
        timeout=timeout_ms,
    )
    page.evaluate("() => document.fonts.ready.then(() => true)")


def sign_in(page: Any, username: str, password: str) -> None:
    """Sign in as a person does: from the app's sign-in screen to the /signin page and its form,
    which sets the sign-in cookie and returns to the page asked for (later tabs and reloads of
    the same browser context stay signed in)."""
    link = page.get_by_test_id("effekt-signin-link")
    # Wait for the sign-in screen (the app's link, or a form already on screen) before choosing.
    link.or_(page.get_by_label("Användarnamn")).or_(page.get_by_label("User name")).first.wait_for(timeout=60_000)
    if link.count():
        link.click()
        page.wait_for_url("**/signin**", timeout=30_000)
    page.get_by_label("Användarnamn").or_(page.get_by_label("User name")).first.fill(username)
    page.get_by_label("Lösenord").or_(page.get_by_label("Password")).first.fill(password)
    page.get_by_role("button", name="Logga in").or_(page.get_by_role("button", name="Sign in")).first.click()
    page.get_by_test_id("stSidebarNav").wait_for(timeout=60_000)
    wait_until_drawn(page)
