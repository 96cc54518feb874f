"""The measurements of the benchmark, each against its floor: what the work costs at the bare minimum.

Every function takes a prepared database URL and returns plain numbers (seconds, MB), so
``bench/run.py`` can print and store them and the test can check that none is missing.
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from data.actors import SYSTEM
from data.bulk import _BIG_CACHE_KIB
from data.db import get_engine, reading, writing
from data.figures import figures_frame
from data.importing.committing import commit_import, import_file
from data.importing.limits import ImportLimits
from data.importing.planning import plan_import
from data.organisations import OrganisationInfo
from metrics.catalogue import MetricDefinition
from metrics.periods import Quarter
from presentation.palette import organisation_colour
from ui.charts import Series, ranking_figure, trend_figure

# The national file (520 000 rows) is past the page's default row limit: the bench loads it as an
# administrator would on the command line with EFFEKT_IMPORT_MAX_ROWS raised.
NATIONAL_LIMITS = ImportLimits(max_rows=2_000_000)

MEASUREMENT_COLUMNS = (
    "organisation_id", "metric_id", "period", "value", "status", "comment", "version", "updated_at", "updated_by",
)


@dataclass(frozen=True)
class Timing:
    """Median of several runs, with every run kept for the record."""

    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def timed(work: Callable[[], object], runs: int, before: Callable[[], object] | None = None) -> Timing:
    """Run ``work`` ``runs`` times (``before`` untimed each time) and keep the wall-clock seconds."""
    seconds = []
    for _ in range(runs):
        if before is not None:
            before()
        gc.collect()
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return Timing(tuple(seconds))


def peak_memory_mb(work: Callable[[], object]) -> float:
    """Peak Python allocation of one run of ``work`` (tracemalloc; run apart from the timed runs)."""
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def clear_figures(url: str) -> None:
    """Empty the figures and their revisions, so every import run starts from the same state."""
    with writing(url) as session:
        session.execute(text("DELETE FROM measurement_revision"))
        session.execute(text("DELETE FROM measurement"))


def import_once(url: str, content: bytes) -> int:
    """The national CSV through the real importer as the CLI runs it (``import_file``): read,
    validate, plan and commit with revisions in one transaction."""
    with writing(url) as session:
        plan, result = import_file(session=session, actor=SYSTEM, content=content, file_name="national.csv",
                                   limits=NATIONAL_LIMITS)
        if result is None:
            raise RuntimeError(f"benchmark file rejected: {plan.problems[:3]}")
        return result.written


def floor_rows(url: str, content: bytes, organisations: list[OrganisationInfo],
               metrics: list[MetricDefinition]) -> list[tuple[Any, ...]]:
    """The same figures as ready-made tuples for the driver (made outside the timed floor)."""
    by_code = {o.code: o.id for o in organisations}
    metric_ids = {m.code: m.id for m in metrics}
    now: dt.datetime | str = dt.datetime(2026, 1, 1, 12, 0, 0)
    if get_engine(url).dialect.name == "sqlite":
        now = str(now)  # the best case for sqlite3: no per-row datetime adapter
    statuses = {"uppmätt": "measured", "uppskattad": "estimated", "preliminär": "preliminary", "": "measured"}
    rows = []
    for line in content.decode("utf-8").splitlines()[1:]:
        organisation, metric, period, value, status, comment = line.split(";")
        rows.append((by_code[organisation], metric_ids[metric], Quarter.parse(period).index,
                     float(value.replace(",", ".")), statuses[status], comment, 1, now, "floor"))
    return rows


def floor_insert(url: str, rows: list[tuple[Any, ...]]) -> None:
    """The bare driver into the same table: sqlite3 ``executemany`` or psycopg ``COPY``, one commit."""
    _driver_insert(url, [("measurement", MEASUREMENT_COLUMNS, rows)])


REVISION_COLUMNS = (
    "organisation_id", "metric_id", "period", "new_value", "new_status", "new_comment", "version", "changed_at",
    "changed_by", "via", "file_name",
)


def revision_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The revision the import writes beside each figure (made outside the timed floor)."""
    return [(*row[:8], "floor", "import", "national.csv") for row in rows]


def same_work_floor_insert(url: str, rows: list[tuple[Any, ...]], revisions: list[tuple[Any, ...]]) -> None:
    """The floor of the import's real work: each figure AND its revision by the bare driver, one commit."""
    _driver_insert(url, [("measurement", MEASUREMENT_COLUMNS, rows),
                         ("measurement_revision", REVISION_COLUMNS, revisions)])


def _driver_insert(url: str, tables: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]) -> None:
    """Rows into tables by the bare driver in one transaction: psycopg ``COPY``, or sqlite3
    ``executemany`` with the page cache the app's bulk insert gives itself (data/bulk.py)."""
    raw = get_engine(url).raw_connection()
    try:
        driver = raw.driver_connection
        if get_engine(url).dialect.name == "postgresql":
            with driver.cursor() as cursor:  # type: ignore[union-attr]  # driver_connection is None only after close
                for table, columns, data in tables:
                    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in data:
                            copy.write_row(row)
            driver.commit()  # type: ignore[union-attr]  # driver_connection is None only after close
            return
        cursor = driver.cursor()  # type: ignore[union-attr]  # driver_connection is None only after close
        cursor.execute(f"PRAGMA cache_size=-{_BIG_CACHE_KIB}")
        cursor.execute("BEGIN")
        for table, columns, data in tables:
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", data)
        cursor.execute("COMMIT")
        cursor.execute("PRAGMA cache_size=-2000")
    finally:
        raw.close()


def _fetch(url: str, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """A bare query through the driver (qmark on SQLite, %s on PostgreSQL)."""
    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        sql = sql.replace("?", "%s")
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        cursor.close()
        return rows
    finally:
        raw.close()


def overview_floor(url: str, organisation: OrganisationInfo, metric: MetricDefinition, quarter: Quarter) -> None:
    """Översikt at the bare minimum: one organisation's figures, the trend figure, its JSON."""
    rows = _fetch(url, "SELECT metric_id, period, value, status, comment, version FROM measurement "
                       "WHERE organisation_id = ?", (organisation.id,))
    by_period = {period: value for metric_id, period, value, *_ in rows if metric_id == metric.id}
    quarters = [quarter - offset for offset in reversed(range(12))]
    line = Series(organisation.name, [q.label("sv") for q in quarters], [by_period.get(q.index) for q in quarters],
                  organisation_colour(organisation.id))
    figure = trend_figure(metric=metric, series=[line], language="sv")
    figure.to_json()


def compare_floor(url: str, organisations: list[OrganisationInfo], metric: MetricDefinition, quarter: Quarter) -> None:
    """Jämför at the bare minimum: one metric's figures in a quarter, ranked, the bar figure, its JSON."""
    rows = _fetch(url, "SELECT organisation_id, value, status FROM measurement WHERE metric_id = ? AND period = ?",
                  (metric.id, quarter.index))
    names = {o.id: o.name for o in organisations}
    ranked = sorted(rows, key=lambda r: r[1], reverse=metric.higher_is_better)
    values = [r[1] for r in ranked if r[2] != "estimated"]
    median = statistics.median(values) if len(values) >= 5 else None
    figure = ranking_figure(metric=metric, names=[names[r[0]] for r in ranked], values=[r[1] for r in ranked],
                            highlight=[r[0] == organisations[0].id for r in ranked], language="sv", median=median,
                            median_label="Median")
    figure.to_json()


def quarter_figures(url: str, organisation_id: int, quarter: Quarter) -> Any:
    with reading(url) as session:
        return figures_frame(session=session, organisation_ids=[organisation_id], first=quarter, last=quarter)


def import_phases(url: str, content: bytes) -> dict[str, float]:
    """One import split into the importer's read-and-validate-and-plan and the commit (the write)."""
    with writing(url) as session:
        start = time.perf_counter()
        plan = plan_import(session=session, content=content, file_name="national.csv", limits=NATIONAL_LIMITS)
        planned = time.perf_counter()
        commit_import(session=session, actor=SYSTEM, plan=plan)
        committed = time.perf_counter()
    return {"plan_import": planned - start, "commit_import": committed - planned,
            "transaction_commit": time.perf_counter() - committed}


def save_quarter_timings(url: str, organisation: OrganisationInfo, metrics: list[MetricDefinition],
                         quarter: Quarter, runs: int) -> list[float]:
    """Seconds to save one quarter (every metric) through the entry form's write path, each run a change."""
    from data.figures import save_figures
    from ui.entry import changed_figures, entry_figures, value_key
    from ui.page import PageContext

    context = PageContext(url=url, version=0, language="sv", actor=SYSTEM, organisation=organisation,
                          quarter=quarter, metrics=metrics, organisations=[organisation])
    seconds = []
    for run in range(runs + 1):
        current, _ = entry_figures(quarter_figures(url, organisation.id, quarter), quarter)
        inputs: dict[str, float | None] = {}
        for metric in metrics:
            low = metric.min_value or 0.0
            inputs[value_key(metric)] = low + (run % 2) + 1.0
        gc.collect()
        start = time.perf_counter()
        with writing(url) as session:  # what the form's save does: the changed inputs, one transaction
            result = save_figures(session=session, actor=SYSTEM, via="form",
                                  figures=changed_figures(context, inputs, current))
        elapsed = time.perf_counter() - start
        if result.written != len(metrics):
            raise RuntimeError(f"saved {result.written} of {len(metrics)} figures")
        if run:  # the first save warms up the write path
            seconds.append(elapsed)
    return seconds


PACK_TIMEOUT_S = 120  # a pack takes seconds; one that takes minutes is a failure, not a wait


def board_pack_timings(url: str, organisation: OrganisationInfo, quarter: Quarter, runs: int) -> dict[str, Any]:
    """One organisation's board pack, PDF and PPTX, each in a new process (bench/pack.py): cold and warm,
    against the floor of the same slides without charts, also cold in its own process.

    ``process_s`` is the whole new process as the parent sees it (interpreter start included), what
    ``cli.py report`` costs a person; ``cold_s`` the first pack from the script's top (imports included).
    """
    result: dict[str, Any] = {}
    for file_format in ("pdf", "pptx"):
        started = time.perf_counter()
        pack = pack_process(url, organisation.code, quarter, file_format, runs, floor=False)
        process = time.perf_counter() - started
        floor = pack_process(url, organisation.code, quarter, file_format, runs, floor=True)
        warm, floor_warm = statistics.median(pack["warm_runs_s"]), statistics.median(floor["warm_runs_s"])
        result.update({key: pack[key] for key in ("metrics", "slides", "charts")})
        result[file_format] = {
            "process_s": process, "cold_s": pack["cold_s"], "cold_cpu_s": pack["cold_cpu_s"],
            "floor_cold_cpu_s": floor["cold_cpu_s"], "warm_s": warm, "warm_runs_s": pack["warm_runs_s"],
            "floor_cold_s": floor["cold_s"], "floor_warm_s": floor_warm, "warm_floor_ratio": warm / floor_warm,
            "bytes": pack["bytes"], "floor_bytes": floor["bytes"],
        }
    return result


def pack_process(url: str, code: str, quarter: Quarter, file_format: str, runs: int, *, floor: bool) -> dict[str, Any]:
    """Run bench/pack.py in a new interpreter, with a timeout; its JSON result."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent / "pack.py"
    command = [sys.executable, str(script), "--database", url, "--organisation", code, "--quarter", str(quarter),
               "--format", file_format, "--runs", str(runs)] + (["--floor"] if floor else [])
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PACK_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(f"the {file_format} board pack took more than {PACK_TIMEOUT_S} s") from error
    if done.returncode != 0:
        raise RuntimeError(f"the {file_format} board pack failed ({done.returncode}): {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))
