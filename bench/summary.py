"""Print bench/results.json as the Markdown table the README's "Performance and scaling" shows."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results.json"


def _n(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} ms".replace(",", " ")


def markdown(stored: dict[str, Any]) -> str:
    lines = ["| measurement | result | floor | target |", "|---|---|---|---|"]
    for key, run in sorted(stored.get("runs", {}).items()):
        if not key.startswith("national/"):
            continue
        db = run["database"]
        imp = run["import"]
        target = "≥ 150 000 rows/s, ≤ 5× floor" if db == "sqlite" else "≥ 100 000 rows/s"
        lines.append(f"| import, {db} ({imp['runs']} runs) | {_n(imp['rows_per_s'])} rows/s, peak "
                     f"{imp['peak_memory_mb']:.0f} MB | {_n(imp['floor_rows_per_s'])} rows/s "
                     f"(ratio {imp['floor_ratio']:.1f}) | {target} |")
        if "same_work_floor_rows_per_s" in imp:
            lines.append(f"| import against the same work (figures and revisions by the bare driver), {db} | "
                         f"{_n(imp['rows_per_s'])} rows/s | {_n(imp['same_work_floor_rows_per_s'])} rows/s "
                         f"(ratio {imp['same_work_floor_ratio']:.1f}) | ratio ≤ 2 (aim) |")
        for name, page in run["pages"].items():
            if "skipped" in page:
                continue
            limits = {"compare": "warm ≤ 300 ms, cold ≤ 900 ms"}.get(name, "warm ≤ 150 ms, cold ≤ 600 ms")
            lines.append(f"| {name}, {db}: cold / warm | {_ms(page['cold_ms'])} / {_ms(page['warm_ms'])} | "
                         f"{_ms(page['floor_ms'])} (warm ratio {page['warm_floor_ratio']:.1f}) | {limits}, ratio ≤ 2 |")
        lines.append(f"| save a quarter (18 figures), {db} | {_ms(run['save_quarter']['ms'])} | | ≤ 100 ms |")
        browser = run.get("browser", {})
        if "compare_drawn_s" in browser:
            lines.append(f"| Jämför drawn in Chromium, {db} | {browser['compare_drawn_s']:.1f} s (first "
                         f"{browser['compare_drawn_first_s']:.1f} s) | | ≤ 3 s |")
            lines.append(f"| server RSS after every page, {db} | {browser['server_rss_after_all_pages_mb']:.0f} MB | "
                         f"| ≤ 400 MB |")
    load = stored.get("load")
    if load:
        lines.append(f"| load: {load['sessions']} sessions, {load['seconds']:.0f} s, {load['page_views']} page views | "
                     f"p95 {load['ready_p95_s']:.1f} s, {load['errors']} errors, RSS +{load['server_rss_growth_mb']:.0f} MB, "
                     f"{load['saves_succeeded']} saves ({load['saves_conflict_shown']} conflicts shown) | | "
                     f"0 errors, p95 ≤ 3 s, ≤ +100 MB |")
    return "\n".join(lines)


def capacity_markdown(stored: dict[str, Any]) -> str:
    """The capacity runs (bench/capacity.py --ramp) as one table: every step of every set-up."""
    lines = ["| set-up | sessions | p50 | p95 | errors | server CPU share | server RSS at start → growth |",
             "|---|---|---|---|---|---|---|"]
    for name, run in sorted(stored.get("capacity", {}).items()):
        for step in run["steps"]:
            lines.append(f"| {name.replace('_', ' ')} | {step['sessions']} | {step['p50_s']:.2f} s | "
                         f"{step['p95_s']:.2f} s | {step['errors']} | {step['server_cpu_share']:.2f} | "
                         f"{step['rss_start_mb']:.0f} MB → +{step['rss_growth_mb']:.0f} MB |")
        lines.append(f"| **{name.replace('_', ' ')}: capacity** | **{run['capacity_sessions']}** | | | | | |")
    return "\n".join(lines)


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS
    stored = json.loads(path.read_text())
    print(markdown(stored))
    if stored.get("capacity"):
        print()
        print(capacity_markdown(stored))
