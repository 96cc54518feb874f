"""The benchmark runs at small scale in the test suite, so it cannot rot: every measurement present."""

from __future__ import annotations

import json
import os

import pytest

from bench import run
from tools.live_server import chromium_available

REQUIRE_BROWSER = os.environ.get("EFFEKT_REQUIRE_BROWSER") == "1"


@pytest.mark.timeout(600)  # the whole benchmark at small scale: about 3 minutes on 2 busy cores
def test_small_benchmark_measures_everything_against_its_floor(tmp_path):
    browser = chromium_available()
    if not browser and REQUIRE_BROWSER:
        pytest.fail("EFFEKT_REQUIRE_BROWSER=1 but Chromium or playwright is missing")
    output = tmp_path / "results.json"
    arguments = ["--scale", "small", "--output", str(output), "--database", f"sqlite:///{tmp_path / 'bench.db'}"]
    run.main(arguments + ([] if browser else ["--no-browser"]))

    stored = json.loads(output.read_text())["runs"]["small/sqlite"]
    assert stored["machine"]["cpus"] >= 1
    assert stored["machine"]["versions"]["streamlit"]
    assert set(stored["machine"]["load_average"]) == {"1min", "5min", "15min"} == set(stored["machine"]["load_average_end"])
    assert "note" not in stored["machine"]
    assert stored["dataset"] == {"organisations": 25, "metrics": 18, "quarters": 8, "rows": 25 * 18 * 8,
                                 "last_quarter": stored["dataset"]["last_quarter"]}
    imported = stored["import"]
    assert imported["rows_per_s"] > 0
    assert imported["floor_rows_per_s"] > imported["rows_per_s"] / 100
    assert imported["floor_ratio"] == pytest.approx(imported["seconds"] / imported["floor_seconds"])
    assert imported["same_work_floor_ratio"] == pytest.approx(imported["seconds"] / imported["same_work_floor_seconds"])
    assert imported["same_work_floor_seconds"] > imported["floor_seconds"] / 2
    assert imported["peak_memory_mb"] > 0
    assert imported["floor_peak_memory_mb"] > 0
    assert set(imported["phases_seconds"]) == {"plan_import", "commit_import", "transaction_commit"}
    for name in ("overview", "compare"):
        page = stored["pages"][name]
        assert page["cold_ms"] > 0
        assert page["warm_ms"] > 0
        assert page["floor_ms"] > 0
        assert page["warm_floor_ratio"] == pytest.approx(page["warm_ms"] / page["floor_ms"])
    assert stored["save_quarter"]["figures"] == 18
    assert stored["save_quarter"]["ms"] > 0
    pack = stored["board_pack"]  # each format in a new process (bench/pack.py), with a timeout: no hang
    assert pack["metrics"] == 18
    assert pack["slides"] >= 8
    assert pack["charts"] >= 1
    for kind in ("pdf", "pptx"):
        made = pack[kind]
        assert made["process_s"] > made["cold_s"] > 0
        assert made["floor_cold_s"] > 0
        assert len(made["warm_runs_s"]) == pack["runs"] == 2
        assert made["warm_floor_ratio"] == pytest.approx(made["warm_s"] / made["floor_warm_s"])
        assert made["bytes"] > made["floor_bytes"] > 10_000  # the floor is the same slides without charts
    assert {"board_pack_pdf_s", "board_pack_pptx_s"} <= set(stored["targets"])
    if browser:
        assert 0 < stored["browser"]["compare_drawn_s"] < 60
        assert stored["browser"]["server_rss_after_all_pages_mb"] > 50
        assert "jamfor" in stored["browser"]["pages_visited"]
    assert set(stored["targets"]) >= {"import_rows_per_s", "save_quarter_ms", "compare_warm_ms"}


def test_the_capacity_table_lists_every_step_and_the_number_people_ask_for():
    from bench.summary import capacity_markdown

    step = {"sessions": 5, "p50_s": 0.5, "p95_s": 0.994, "errors": 0, "server_cpu_share": 0.281,
            "rss_start_mb": 259.4, "rss_growth_mb": 62.2}
    table = capacity_markdown({"capacity": {"one_process_sqlite": {"capacity_sessions": 5, "steps": [step]}}})
    assert table.splitlines()[2:] == ["| one process sqlite | 5 | 0.50 s | 0.99 s | 0 | 0.28 | 259 MB → +62 MB |",
                                      "| **one process sqlite: capacity** | **5** | | | | | |"]
