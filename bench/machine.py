"""What machine a measurement ran on, measured rather than described: CPU model, cores, load, and speed.

Figures from two machines differ by more than most changes do (the same import took 2.5 s on one
development machine and 7.4 s on another with the same code), so every result carries a
calibration: the time of one fixed, pure-Python workload. A result is compared across machines by
that ratio, never by its seconds alone.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Any

CALIBRATION_ROUNDS = 3


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what the platform says."""
    info = Path("/proc/cpuinfo")
    if info.exists():
        for line in info.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def calibration_s() -> float:
    """The best of three runs of a fixed workload (dicts, strings and integers, as the app's Python
    code does): about 0.1-0.3 s on a current server core."""
    best = float("inf")
    for _ in range(CALIBRATION_ROUNDS):
        started = time.perf_counter()
        table: dict[str, int] = {}
        for number in range(300_000):
            key = f"k{number % 5000}"
            table[key] = table.get(key, 0) + number * number % 7
        best = min(best, time.perf_counter() - started)
    return best


def describe() -> dict[str, Any]:
    """Cores, CPU model, the load average now and the calibration time."""
    one, five, fifteen = os.getloadavg()
    return {"cpus": os.cpu_count(), "cpu_model": cpu_model(), "calibration_s": round(calibration_s(), 4),
            "load_average": {"1min": one, "5min": five, "15min": fifteen}}
