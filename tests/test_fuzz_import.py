"""The importer's fuzz target runs for a few seconds per format and finds nothing (issue 11): every
input ends in the importer's own plan or refusal, within the memory bound."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_five_seconds_of_fuzzing_find_nothing(kind, tmp_path):
    result = subprocess.run([sys.executable, "bench/fuzz_import.py", "--seconds", "5", "--format", kind,
                             "--findings", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=240)
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"{kind}: "), result.stdout[-2000:]
    assert summary.endswith("findings: 0"), result.stdout[-2000:]
    assert int(summary.split()[1]) > 10  # it did run inputs
    assert result.returncode == 0
    assert list(tmp_path.iterdir()) == []
