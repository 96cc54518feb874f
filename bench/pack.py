"""One organisation's board pack in a fresh process, as ``cli.py report`` or a first download makes it.

``python bench/pack.py --database URL --organisation CODE --quarter 2025-Q4 --format pdf [--runs 3] [--floor]``
prints JSON: ``cold_s`` is the first pack from the top of this script (imports, database read, slides,
charts, file), ``cold_cpu_s`` the CPU time until then (interpreter start included), ``warm_runs_s``
the next packs in the same process. With ``--floor`` every pack is the same slides with their
charts left out, the floor a chart costs against. ``bench/measure.py`` starts
this with a timeout, so a pack that hangs fails the benchmark instead of stopping it.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before any heavy import: a cold pack pays for them

import argparse  # noqa: E402 - after the clock starts
import dataclasses  # noqa: E402 - after the clock starts
import json  # noqa: E402 - after the clock starts
import sys  # noqa: E402 - after the clock starts
from pathlib import Path  # noqa: E402 - after the clock starts

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def make_pack(url: str, code: str, quarter_text: str, file_format: str, floor: bool) -> tuple[bytes, int, int, int]:
    """The file's bytes, with the number of metrics, slides and charts it holds."""
    from data.db import reading
    from metrics.periods import Quarter
    from reports.export import render_pack
    from reports.gather import board_inputs, find_organisation
    from reports.model import build_board_pack

    with reading(url) as session:
        organisation = find_organisation(session=session, code=code)
        inputs = board_inputs(session=session, organisation=organisation, quarter=Quarter.parse(quarter_text),
                              language="sv")
    pack = build_board_pack(inputs)
    if floor:
        pack = dataclasses.replace(pack, slides=tuple(dataclasses.replace(s, chart=None) for s in pack.slides))
    charts = sum(1 for slide in pack.slides if slide.chart is not None)
    return render_pack(pack, file_format), len(inputs.metrics), len(pack.slides), charts


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--organisation", required=True)
    parser.add_argument("--quarter", required=True)
    parser.add_argument("--format", choices=("pdf", "pptx"), required=True, dest="file_format")
    parser.add_argument("--runs", type=int, default=3, help="warm packs after the cold one")
    parser.add_argument("--floor", action="store_true", help="the same slides without charts")
    parser.add_argument("--out", type=Path, help="write the cold pack's file here")
    args = parser.parse_args(argv)
    content, metrics, slides, charts = make_pack(args.database, args.organisation, args.quarter, args.file_format,
                                                 args.floor)
    cold = time.perf_counter() - STARTED
    cold_cpu = time.process_time()  # CPU seconds since the interpreter started: what a busy machine cannot inflate
    if args.out:
        args.out.write_bytes(content)
    warm = []
    for _ in range(args.runs):
        start = time.perf_counter()
        make_pack(args.database, args.organisation, args.quarter, args.file_format, args.floor)
        warm.append(time.perf_counter() - start)
    result = {"cold_s": cold, "cold_cpu_s": cold_cpu, "warm_runs_s": warm, "bytes": len(content),
              "metrics": metrics, "slides": slides, "charts": charts}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
