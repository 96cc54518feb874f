"""Load test: ``python bench/load.py [--scale national|small] [--sessions 20] [--seconds 120]``.

Starts ``streamlit run`` on 127.0.0.1 with the benchmark dataset, then drives concurrent Playwright
browser contexts (one Chromium) through Översikt → metric detail (when the page exists) → Jämför
→ Kvartalsdata by the sidebar links, as people do; two of them save a figure on every visit to
Kvartalsdata. Every loop is bounded by the deadline and a maximum number of rounds, so it stops by
itself. Measures page-ready times (click → script finished and every chart drawn), errors, saves
(succeeded / conflict shown to the person / anything else), and the server's memory. A save that
succeeded but is missing from the revisions, or a write the person was not told about, counts as
an error. Results go into bench/results.json under "load".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.capacity import conflict_prefix  # noqa: E402 - after the repository is on sys.path (run as a script)
from bench.dataset import SCALES  # noqa: E402 - after the repository is on sys.path (run as a script)
from bench.run import RESULTS, _database, _machine, prepare_dataset  # noqa: E402 - after the repository is on sys.path (run as a script)

CYCLE = ("overview", "metric_detail", "compare", "entry")  # by page script name, in the order visited
SAVED_METRIC = "customer_satisfaction"
MAX_ROUNDS = 500
TARGETS = {"errors": 0, "p95_ready_s": 3.0, "rss_growth_mb": 100.0}

# Counts script runs in the page: Streamlit flips stApp's data-test-script-state to "running".
RUN_COUNTER = """
window.__effektRuns = 0;
new MutationObserver(changes => {
  for (const change of changes) {
    if (change.target.getAttribute && change.target.getAttribute('data-test-script-state') === 'running') {
      window.__effektRuns += 1;
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""
STATE = """
() => [window.__effektRuns, location.pathname,
       document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state'),
       document.querySelector('h1')?.innerText]
"""
RUN_DONE = """
before => window.__effektRuns > before
  && document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'
"""
# Ready by Streamlit's own status: the script idle, nothing stale from the run before, the heading
# and every chart drawn, after the click's run has started (counted) or the address and the heading
# have changed (a run too quick for the counter).
READY = """
([before, href, heading]) => (window.__effektRuns > before
    || (location.pathname === new URL(href, location.href).pathname && document.querySelector('h1')?.innerText !== heading))
  && document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'
  && document.querySelectorAll('[data-stale="true"]').length === 0
  && document.querySelector('h1') !== null
  && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'))
"""
# A save is answered when its message shows: the success or the conflict a person reads (the page
# had no message before the save: it was just opened).
ANSWERED = """
texts => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'
  && [...document.querySelectorAll('[data-testid="stAlert"]')].some(a => texts.some(t => a.innerText.includes(t)))
"""


@dataclass
class Tally:
    ready: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    saved: list[tuple[float, float]] = field(default_factory=list)  # (when, value) of successful saves
    conflicts: int = 0
    rounds: int = 0


def cycle_pages() -> list[tuple[str, str]]:
    """(script name, navigation title key) of the cycle's pages that exist in dashboard.py's navigation."""
    found = dict(re.findall(r'st\.Page\("app_pages/(\w+)\.py", title=t\("([\w.]+)"\)', (ROOT / "dashboard.py").read_text()))
    return [(name, found[name]) for name in CYCLE if name in found]


async def _session(browser: Any, base: str, number: int, saver: bool, seconds: float, tally: Tally) -> None:
    from presentation.i18n import translate

    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda error: tally.errors.append(f"session {number}: page error {error}"))
    await page.add_init_script(RUN_COUNTER)
    links = [translate(key, "sv") for _, key in cycle_pages()]
    try:
        await page.goto(base)
        await _sign_in(page)
        await _settle(page, links)
        deadline = time.monotonic() + seconds  # every session gets the full time after settling
        for round_number in range(MAX_ROUNDS):
            if time.monotonic() > deadline:
                break
            for link in links:
                if time.monotonic() > deadline:
                    break
                await _navigate(page, link, tally, number)
                if saver and link == links[-1]:
                    await _save(page, number, round_number, tally, translate)
            tally.rounds += 1
    except Exception as error:  # noqa: BLE001 - every failure is a counted error, not a crash
        tally.errors.append(f"session {number}: {type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        await context.close()


async def _wait(page: Any, condition: str, before: Any, what: str, timeout: float = 60_000) -> None:
    """Wait for a page condition; on timeout say what was awaited and what the page showed."""
    try:
        await page.wait_for_function(condition, arg=before, timeout=timeout)
    except Exception as error:
        state = await page.evaluate(STATE)
        raise RuntimeError(f"{what}: not ready in {timeout / 1000:.0f} s; page state {state}") from error


async def _sign_in(page: Any) -> None:
    """Every session signs in through the form first (not measured), as a person does."""
    from bench.pages import BENCH_PASSWORD, BENCH_USER

    # The app's sign-in screen links to the /signin page (its form sets the sign-in cookie), as in
    # tools/live_server.sign_in; a deployment without the cookie route shows the form in the app.
    link = page.get_by_test_id("effekt-signin-link")
    await link.or_(page.get_by_label("Användarnamn")).first.wait_for(timeout=120_000)
    if await link.count():
        await link.click()
        await page.wait_for_url("**/signin**", timeout=60_000)
    await page.get_by_label("Användarnamn").first.fill(BENCH_USER)
    await page.get_by_label("Lösenord").first.fill(BENCH_PASSWORD)
    await page.get_by_role("button", name="Logga in").first.click()
    await page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=120_000)


async def _settle(page: Any, links: list[str]) -> None:
    """Click through the pages until navigation works twice in a row (not measured), so every
    session starts measuring from a page that has been drawn. (It once also papered over a bug in
    the language control, since fixed in ui/page.py.)"""
    working = 0
    for attempt in range(10):
        before = await page.evaluate("window.__effektRuns")
        await page.locator('[data-testid="stSidebarNav"]').get_by_role(
            "link", name=links[(attempt + 1) % len(links)], exact=True).click(timeout=60_000)
        try:
            await page.wait_for_function(RUN_DONE, arg=before, timeout=30_000)
        except Exception:  # noqa: BLE001 - the click started no run: an empty page, try the next link
            working = 0
            continue
        working = working + 1 if await page.locator("h1").count() else 0
        if working == 2:
            return
    raise RuntimeError("navigation never worked twice in a row")


async def _navigate(page: Any, link: str, tally: Tally, number: int) -> None:
    anchor = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=link, exact=True)
    href = await anchor.get_attribute("href") or "/"
    heading = await page.locator("h1").first.inner_text()  # the page before: its heading must go
    before = await page.evaluate("window.__effektRuns")
    start = time.perf_counter()
    await anchor.click(timeout=60_000)
    await _wait(page, READY, [before, href, heading], f"page {link}")
    tally.ready.append(time.perf_counter() - start)
    if await page.locator('[data-testid="stException"]').count():
        tally.errors.append(f"session {number}: exception on {link}")


async def _save(page: Any, number: int, round_number: int, tally: Tally, translate: Any) -> None:
    """Change one figure on Kvartalsdata and submit: success or a conflict message, nothing else."""
    value = round(40 + (number * 7 + round_number * 3) % 50 + 0.1 * (round_number % 9 + 1), 1)
    field_input = page.locator(f".st-key-entry_value_{SAVED_METRIC} input")
    await field_input.fill(str(value))
    await page.get_by_role("button", name=translate("entry.save", "sv")).click(timeout=60_000)
    await _wait(page, ANSWERED, [translate("entry.saved", "sv", count=1), conflict_prefix("sv")], "save")
    alerts = " ".join(await page.locator('[data-testid="stAlert"]').all_inner_texts())
    if translate("entry.saved", "sv", count=1) in alerts:
        tally.saved.append((time.time(), value))
    elif conflict_prefix("sv") in alerts:
        tally.conflicts += 1
    else:
        tally.errors.append(f"session {number}: save gave neither success nor conflict: {alerts[:200]!r}")


def _sample_rss(server: Any, samples: list[float], stop: threading.Event) -> None:
    while not stop.wait(1.0):
        try:
            samples.append(server.rss_mb())
        except (OSError, RuntimeError):
            return


async def _drive(base: str, sessions: int, savers: int, seconds: float, tally: Tally) -> None:
    from playwright.async_api import async_playwright

    from tools.live_server import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        await asyncio.gather(*(
            _session(browser, base, number, number < savers, seconds, tally) for number in range(sessions)
        ))
        await browser.close()


def _warm_up(base: str) -> None:
    """One visit to every page of the cycle, so the memory baseline is a server that has served them."""
    tally = Tally()
    asyncio.run(_drive(base, 1, 0, 1.0, tally))
    if tally.errors:
        raise RuntimeError(f"warm-up failed: {tally.errors}")


def run_load(url: str, sessions: int, savers: int, seconds: float) -> dict[str, Any]:
    from bench.pages import ensure_bench_admin
    from data.db import reading
    from data.figures import revisions_frame
    from tools.live_server import running_server

    ensure_bench_admin(url)
    tally = Tally()
    samples: list[float] = []
    with running_server(url, {"EFFEKT_DEMO_ON_EMPTY": "0"}) as server:
        _warm_up(server.base)
        rss_start = server.rss_mb()
        stop = threading.Event()
        sampler = threading.Thread(target=_sample_rss, args=(server, samples, stop), daemon=True)
        sampler.start()
        started = time.perf_counter()
        asyncio.run(_drive(server.base, sessions, savers, seconds, tally))
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join()
        rss_end = server.rss_mb()
    with reading(url) as session:
        from data.organisations import list_organisations

        first = list_organisations(session=session)[0]
        revisions = revisions_frame(session=session, organisation_id=first.id)
    form_revisions = int((revisions["via"] == "form").sum()) if len(revisions) else 0
    if form_revisions != len(tally.saved):
        tally.errors.append(f"{len(tally.saved)} saves reported as successful but {form_revisions} revisions stored")
    ready = sorted(tally.ready)
    p95 = ready[max(0, round(0.95 * len(ready)) - 1)] if ready else float("nan")
    result = {
        "sessions": sessions, "savers": savers, "seconds": elapsed, "pages": [name for name, _ in cycle_pages()],
        "page_views": len(ready), "rounds": tally.rounds,
        "ready_median_s": statistics.median(ready) if ready else None, "ready_p95_s": p95,
        "ready_max_s": ready[-1] if ready else None,
        "errors": len(tally.errors), "error_examples": tally.errors[:10],
        "saves_succeeded": len(tally.saved), "saves_conflict_shown": tally.conflicts,
        "form_revisions_stored": form_revisions,
        "server_rss_start_mb": rss_start, "server_rss_end_mb": rss_end,
        "server_rss_max_mb": max([*samples, rss_end]), "server_rss_growth_mb": max([*samples, rss_end]) - rss_start,
    }
    result["targets"] = {
        "errors": result["errors"] == TARGETS["errors"],
        "p95_ready_s": bool(ready) and p95 <= TARGETS["p95_ready_s"],
        "rss_growth_mb": result["server_rss_growth_mb"] <= TARGETS["rss_growth_mb"],
    }
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--database", help="a database URL (PostgreSQL: a fresh schema is made in it)")
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--savers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    from bench.measure import NATIONAL_LIMITS
    from data.actors import SYSTEM
    from data.db import writing
    from data.importing.committing import commit_import
    from data.importing.planning import plan_import

    with _database(args.database) as url:
        _, _, content, _ = prepare_dataset(url, SCALES[args.scale])
        with writing(url) as session:
            commit_import(session=session, actor=SYSTEM,
                          plan=plan_import(session=session, content=content, file_name="national.csv",
                                                   limits=NATIONAL_LIMITS))
        print(f"dataset loaded; {args.sessions} sessions for {args.seconds:.0f} s", flush=True)
        result = run_load(url, args.sessions, args.savers, args.seconds)
    result.update({"scale": args.scale, "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                   "machine": _machine()})
    stored = json.loads(args.output.read_text()) if args.output.exists() else {}
    stored["load"] = result
    args.output.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
