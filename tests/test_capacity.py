"""The protocol-level capacity measurement runs at small scale in the suite, so it cannot rot."""

from __future__ import annotations

import json

from bench import capacity


def test_two_protocol_sessions_sign_in_move_through_the_pages_and_save_without_errors(tmp_path):
    output = tmp_path / "capacity.json"
    capacity.main(["--scale", "small", "--database", f"sqlite:///{tmp_path / 'bench.db'}", "--sessions", "2",
                   "--savers", "1", "--seconds", "120", "--rounds", "1", "--warm-up", "2", "--output", str(output)])

    result = json.loads(output.read_text())
    assert result["errors"] == 0, result["error_examples"]
    assert result["sessions"] == 2
    assert result["cpus"] >= 1
    # Two people, one round each: four pages each, and the saver's one save (nobody else saves).
    assert result["rounds"] == 2
    assert result["interactions"] == 2 * 4 + 1
    assert (result["saves"], result["conflicts"]) == (1, 0)
    counts = {page: timing["count"] for page, timing in result["pages"].items()}
    assert counts == {"oversikt": 2, "matetal": 2, "jamfor": 2, "kvartalsdata": 2, "save": 1}
    assert all(0 < timing["p50_s"] <= timing["p95_s"] for timing in result["pages"].values())
    assert 0 < result["p50_s"] <= result["p95_s"] <= result["p99_s"] < 30
    assert 50 < result["rss_start_mb"] <= result["rss_max_mb"]
    assert result["rss_growth_mb"] == result["rss_max_mb"] - result["rss_start_mb"]
    assert result["server_cpu_s"] > 0
    assert set(result["load_average"]) == {"before", "during_max", "during_mean"}
    assert set(result["machine"]) == {"cpus", "cpu_model", "calibration_s", "load_average"}
    assert 0 < result["machine"]["calibration_s"] < 30
