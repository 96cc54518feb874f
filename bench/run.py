"""The national-scale benchmark: ``python bench/run.py [--scale small|national] [--database URL]``.

Makes the dataset (bench/dataset.py), loads it through the real importer, and measures import,
page run times (AppTest, cold and warm), saving one quarter, and the Jämför chart drawn in headless
Chromium, each against its floor, and one organisation's board pack (PDF and PPTX, a new process each,
cold and warm, against the same slides without charts) against 2 s.
Prints a table and writes the figures into bench/results.json
under "<scale>/<database kind>", keeping the other entries (the PostgreSQL run, the load test).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import machine, measure, pages  # noqa: E402 - after the repository is on sys.path (run as a script)
from bench.dataset import SCALES, Scale, figures_csv, organisations  # noqa: E402 - after the repository is on sys.path (run as a script)

RESULTS = ROOT / "bench" / "results.json"
TARGETS = {
    "import_rows_per_s": 150_000, "import_rows_per_s_postgresql": 100_000, "import_floor_ratio": 5,
    "import_same_work_floor_ratio": 2,
    "overview_warm_ms": 150, "overview_cold_ms": 600, "metric_detail_warm_ms": 150, "metric_detail_cold_ms": 600,
    "compare_warm_ms": 300, "compare_cold_ms": 900, "warm_floor_ratio": 2, "save_quarter_ms": 100,
    "compare_drawn_s": 3, "server_rss_mb": 400, "board_pack_s": 2,
}
VERSIONS = ("streamlit", "plotly", "pandas", "SQLAlchemy", "psycopg", "playwright")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--database", help="a database URL (PostgreSQL: a fresh schema is made in it)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the results (JSON)")
    parser.add_argument("--runs", type=int, help="runs per measurement (default: 5 national, 3 small)")
    parser.add_argument("--import-runs", type=int, help="timed import runs (default: as --runs)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurement")
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    runs = args.runs or scale.runs
    import_runs = args.import_runs or args.runs or scale.import_runs
    with _database(args.database) as url:
        result = run(url, scale, runs, import_runs, browser=not args.no_browser)
    _store(args.output, f"{scale.name}/{result['database']}", result)
    print(table(result))
    print(f"\nwritten to {args.output}")
    return result


def run(url: str, scale: Scale, runs: int, import_runs: int, *, browser: bool) -> dict[str, Any]:
    """Every measurement on one prepared database; the dataset stays loaded at the end."""
    from data.db import get_engine

    started = time.perf_counter()
    orgs, metrics, content, last = prepare_dataset(url, scale)
    rows = content.count(b"\n") - 1
    dialect = get_engine(url).dialect.name
    print(f"{scale.name}: {len(orgs)} organisations × {len(metrics)} metrics × {scale.quarters} quarters "
          f"= {rows} rows on {dialect}", flush=True)

    driver_rows = measure.floor_rows(url, content, orgs, metrics)
    floor = measure.timed(lambda: measure.floor_insert(url, driver_rows), runs,
                          before=lambda: measure.clear_figures(url))
    revisions = measure.revision_rows(driver_rows)
    same_work = measure.timed(lambda: measure.same_work_floor_insert(url, driver_rows, revisions), runs,
                              before=lambda: measure.clear_figures(url))
    driver_rows.clear()
    revisions.clear()
    # The floor's memory: the same CSV made into the driver's tuples and inserted (sqlite3 and psycopg
    # allocate in C, which tracemalloc does not see; the Python tuples are most of it).
    floor_memory = measure.peak_memory_mb(
        lambda: measure.floor_insert(url, measure.floor_rows(url, content, orgs, metrics))
    ) if _cleared(url) else 0.0
    print(f"  floor insert: {floor.median:.2f} s; figures and revisions: {same_work.median:.2f} s", flush=True)
    imported = measure.timed(lambda: measure.import_once(url, content), import_runs,
                             before=lambda: measure.clear_figures(url))
    print(f"  import: {imported.median:.2f} s", flush=True)
    memory = measure.peak_memory_mb(lambda: measure.import_once(url, content)) if _cleared(url) else 0.0
    phases = measure.import_phases(url, content) if _cleared(url) else {}
    # The last import leaves the dataset loaded for the page measurements.
    result: dict[str, Any] = {
        "database": dialect, "scale": scale.name, "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "dataset": {"organisations": len(orgs), "metrics": len(metrics), "quarters": scale.quarters, "rows": rows,
                    "last_quarter": str(last)},
        "runs": runs,
        "import": {
            "runs": import_runs, "seconds": imported.median, "rows_per_s": rows / imported.median,
            "floor_seconds": floor.median, "floor_rows_per_s": rows / floor.median,
            "floor_ratio": imported.median / floor.median,
            # The same work at the bare minimum: every figure and its revision by the driver.
            "same_work_floor_seconds": same_work.median, "same_work_floor_rows_per_s": rows / same_work.median,
            "same_work_floor_ratio": imported.median / same_work.median,
            "peak_memory_mb": memory, "floor_peak_memory_mb": floor_memory,
            "memory_ratio": memory / floor_memory if floor_memory else None,
            "phases_seconds": phases, "all_runs": imported.runs, "floor_runs": floor.runs,
        },
        "pages": {},
    }
    own = orgs[0]
    by_name = {
        "overview": lambda: measure.overview_floor(url, own, metrics[0], last),
        "compare": lambda: measure.compare_floor(url, orgs, metrics[0], last),
    }
    for page in pages.PAGES:
        if page not in pages.available_pages():
            result["pages"][page.name] = {"skipped": f"{page.script} does not exist in this checkout"}
            continue
        cold, warm = pages.apptest_timings(url, page, runs)
        page_floor = measure.timed(by_name[page.floor], runs)
        result["pages"][page.name] = {
            "cold_ms": 1000 * statistics.median(cold), "warm_ms": 1000 * statistics.median(warm),
            "floor_ms": 1000 * page_floor.median,
            "warm_floor_ratio": statistics.median(warm) / page_floor.median,
            "cold_floor_ratio": statistics.median(cold) / page_floor.median,
        }
        print(f"  {page.name}: cold {1000 * statistics.median(cold):.0f} ms, warm "
              f"{1000 * statistics.median(warm):.0f} ms", flush=True)
    saved = measure.save_quarter_timings(url, own, metrics, last, runs)
    result["save_quarter"] = {"figures": len(metrics), "ms": 1000 * statistics.median(saved),
                              "all_runs_ms": [1000 * s for s in saved]}
    pack_runs = 2 if scale.name == "small" else runs
    result["board_pack"] = {"runs": pack_runs, **measure.board_pack_timings(url, own, last, pack_runs)}
    for kind in ("pdf", "pptx"):
        made = result["board_pack"][kind]
        print(f"  board pack {kind}: new process {made['process_s']:.2f} s, cold {made['cold_s']:.2f} s, warm "
              f"{made['warm_s']:.2f} s (floor {made['floor_cold_s']:.2f} / {made['floor_warm_s']:.2f} s)", flush=True)
    if browser:
        from tools.live_server import chromium_available

        if chromium_available():
            drawn = pages.browser_timings(url, runs)
            result["browser"] = {
                "compare_drawn_s": statistics.median(drawn["drawn"]), "compare_drawn_first_s": drawn["drawn"][0],
                "all_runs_s": drawn["drawn"], "server_rss_start_mb": drawn["rss_start_mb"],
                "server_rss_after_all_pages_mb": drawn["rss_after_all_pages_mb"], "pages_visited": drawn["visited"],
            }
        else:
            result["browser"] = {"skipped": "Chromium or playwright not available"}
    result["total_seconds"] = time.perf_counter() - started
    result["machine"]["load_average_end"] = dict(zip(("1min", "5min", "15min"), os.getloadavg(), strict=True))
    result["targets"] = _verdicts(result)
    return result


def prepare_dataset(url: str, scale: Scale) -> tuple[list[Any], list[Any], bytes, Any]:
    """Migrate, create the organisations through the data layer, and make the CSV (not imported yet)."""
    from data.actors import SYSTEM
    from data.bootstrap import prepare_database
    from data.catalogue_store import list_metrics
    from data.db import writing
    from data.organisations import add_organisations, list_organisations
    from metrics.periods import Quarter

    prepare_database(url)
    with writing(url) as session:
        add_organisations(session=session, actor=SYSTEM, organisations=organisations(scale))
    with writing(url) as session:
        metrics = list_metrics(session=session)
        orgs = list_organisations(session=session)
    last = Quarter.last_completed()
    return orgs, metrics, figures_csv(sorted(o.code for o in orgs), metrics, last, scale.quarters), last


def _cleared(url: str) -> bool:
    measure.clear_figures(url)
    return True


def _verdicts(result: dict[str, Any]) -> dict[str, bool | None]:
    """Which targets this run met (None: not measured)."""
    verdicts: dict[str, bool | None] = {}
    rate_target = TARGETS["import_rows_per_s_postgresql" if result["database"] == "postgresql" else "import_rows_per_s"]
    verdicts["import_rows_per_s"] = result["import"]["rows_per_s"] >= rate_target
    verdicts["import_floor_ratio"] = result["import"]["floor_ratio"] <= TARGETS["import_floor_ratio"]
    verdicts["import_same_work_floor_ratio"] = (
        result["import"]["same_work_floor_ratio"] <= TARGETS["import_same_work_floor_ratio"])
    for name, page in result["pages"].items():
        if "skipped" in page:
            continue
        verdicts[f"{name}_warm_ms"] = page["warm_ms"] <= TARGETS[f"{name}_warm_ms"]
        verdicts[f"{name}_cold_ms"] = page["cold_ms"] <= TARGETS[f"{name}_cold_ms"]
        verdicts[f"{name}_warm_floor_ratio"] = page["warm_floor_ratio"] <= TARGETS["warm_floor_ratio"]
    verdicts["save_quarter_ms"] = result["save_quarter"]["ms"] <= TARGETS["save_quarter_ms"]
    pack = result.get("board_pack", {})
    for kind in ("pdf", "pptx"):
        if kind in pack:  # the person waits for the whole new process
            verdicts[f"board_pack_{kind}_s"] = pack[kind]["process_s"] <= TARGETS["board_pack_s"]
    browser = result.get("browser", {})
    if "compare_drawn_s" in browser:
        verdicts["compare_drawn_s"] = browser["compare_drawn_s"] <= TARGETS["compare_drawn_s"]
        verdicts["server_rss_mb"] = browser["server_rss_after_all_pages_mb"] <= TARGETS["server_rss_mb"]
    return verdicts


def table(result: dict[str, Any]) -> str:
    """The results as a plain table for the terminal."""
    imp = result["import"]
    lines = [
        f"Effekt benchmark — {result['scale']} on {result['database']}, {result['date']}, "
        f"{result['machine']['cpus']} CPUs, {result['dataset']['rows']} rows",
        f"{'measurement':<34}{'value':>14}{'floor':>14}{'ratio':>8}",
        f"{'import rows/s':<34}{imp['rows_per_s']:>14,.0f}{imp['floor_rows_per_s']:>14,.0f}{imp['floor_ratio']:>8.1f}",
        f"{'import vs same work (+revisions)':<34}{imp['rows_per_s']:>14,.0f}"
        f"{imp['same_work_floor_rows_per_s']:>14,.0f}{imp['same_work_floor_ratio']:>8.1f}",
        f"{'import peak memory MB':<34}{imp['peak_memory_mb']:>14.0f}{imp['floor_peak_memory_mb']:>14.0f}"
        f"{(imp['memory_ratio'] or 0):>8.1f}",
    ]
    for name, page in result["pages"].items():
        if "skipped" in page:
            lines.append(f"{name:<34}{'skipped':>14}")
            continue
        lines.append(f"{name + ' cold ms':<34}{page['cold_ms']:>14.0f}{page['floor_ms']:>14.0f}{page['cold_floor_ratio']:>8.1f}")
        lines.append(f"{name + ' warm ms':<34}{page['warm_ms']:>14.0f}{page['floor_ms']:>14.0f}{page['warm_floor_ratio']:>8.1f}")
    lines.append(f"{'save a quarter ms':<34}{result['save_quarter']['ms']:>14.0f}")
    pack = result.get("board_pack", {})
    for kind in ("pdf", "pptx"):
        if kind in pack:
            made = pack[kind]
            label = f"board pack {kind.upper()} s, new process / cold / warm (floor)"
            lines.append(f"{label:<34}{made['process_s']:>8.2f} / {made['cold_s']:.2f} / {made['warm_s']:.2f} "
                         f"({made['floor_cold_s']:.2f} / {made['floor_warm_s']:.2f})")
    browser = result.get("browser", {})
    if "compare_drawn_s" in browser:
        lines.append(f"{'Jämför drawn in Chromium s':<34}{browser['compare_drawn_s']:>14.2f}")
        lines.append(f"{'server RSS after every page MB':<34}{browser['server_rss_after_all_pages_mb']:>14.0f}")
    else:
        lines.append(f"{'browser':<34}{browser.get('skipped', 'not run'):>14}")
    missed = [name for name, ok in result["targets"].items() if ok is False]
    lines.append(f"targets missed: {', '.join(missed) if missed else 'none'}; total {result['total_seconds']:.0f} s")
    return "\n".join(lines)


def _machine() -> dict[str, Any]:
    versions = {}
    for name in VERSIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    versions["sqlite"] = __import__("sqlite3").sqlite_version
    # Measured, not described: the CPU, how busy the machine was when the run started, and its speed.
    return {**machine.describe(), "platform": platform.platform(), "python": platform.python_version(),
            "versions": versions}


def _store(path: Path, key: str, result: dict[str, Any]) -> None:
    """Merge one run into the results file, keeping the other runs and the load test."""
    stored = json.loads(path.read_text()) if path.exists() else {}
    stored.setdefault("runs", {})[key] = result
    path.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")


@contextmanager
def _database(url: str | None) -> Iterator[str]:
    """A temporary SQLite file by default; on PostgreSQL a fresh schema, dropped afterwards."""
    from data.db import dispose_engine

    if not url:
        with tempfile.TemporaryDirectory() as folder:
            temporary = f"sqlite:///{folder}/bench.db"
            try:
                yield temporary
            finally:
                dispose_engine(temporary)
        return
    if not url.startswith("postgresql"):
        yield url
        return
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    scoped = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    try:
        yield scoped
    finally:
        dispose_engine(scoped)
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
