"""Fuzz the importer's readers: ``python bench/fuzz_import.py --seconds N [--format csv|xlsx]``.

Feeds CSV bytes, and XLSX files (a real workbook whose sheet XML is the fuzzed bytes, or the fuzzed
bytes as the whole file) to :func:`data.importing.planning.plan_import` on a demo database. The only
acceptable outcome is the importer's own: an :class:`ImportPlan`, either valid or with problems
that have a translated message, never more than the listed limit. Anything else is a finding: an
exception, an untranslated problem key, a problem list past the limit, or memory growing past
``--memory-mb`` (the peak RSS is checked after every input). Each finding's input is saved.

Runs under atheris (coverage-guided, libFuzzer) when it is installed, else under a small mutation
loop of its own. Prints the executions run and the findings; exits 1 if there were findings.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import resource
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

try:
    import atheris
except ImportError:  # the fallback loop below
    atheris = None

HEADER = "organisation,metric,period,value,status,comment\n"
CSV_SEEDS = [
    HEADER + "demo-ekbacka,customer_satisfaction,2025-Q1,70,,\n",
    HEADER + 'demo-ekbacka,ideas_delivered,2024 K3,"1 234,5",preliminär,"två\nrader"\n',
    "sep=;\norganisation;metric;period;value\ndemo-ekbacka;customer_satisfaction;Q1 2024;70,5\n",
    "organisation,metric,name,unit,2025-Q1,2025-Q2\ndemo-ekbacka,ideas_delivered,Idéer,st,4,5\n",
    "organisation\tmetric\tperiod\tvalue\ndemo-ekbacka\tcustomer_satisfaction\t2025Q2\t'=1+1\n",
]
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLSX_SEEDS = [
    f'<worksheet xmlns="{MAIN_NS}"><dimension ref="A1:D2"/><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>organisation</t></is></c><c r="B1" t="inlineStr"><is><t>metric'
    '</t></is></c><c r="C1" t="inlineStr"><is><t>period</t></is></c><c r="D1" t="inlineStr"><is><t>value</t>'
    '</is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>demo-ekbacka</t></is></c><c r="B2" '
    't="inlineStr"><is><t>customer_satisfaction</t></is></c><c r="C2" t="inlineStr"><is><t>2025-Q1</t></is>'
    '</c><c r="D2"><v>70</v></c></row></sheetData></worksheet>',
    f'<worksheet xmlns="{MAIN_NS}"><sheetData><row><c t="s"><v>0</v></c><c><f>1+1</f><v>2</v></c></row>'
    '<row r="9"><c r="C9"><v>45000</v></c></row></sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells>'
    "</worksheet>",
]


class Target:
    """One importer on a demo database, and what counts as a finding."""

    def __init__(self, kind: str, memory_mb: int, findings_dir: Path) -> None:
        from data.bootstrap import prepare_database
        from data.importing.limits import ImportLimits

        self.kind = kind
        self.folder = tempfile.mkdtemp(prefix="effekt-fuzz-")
        self.url = f"sqlite:///{self.folder}/fuzz.db"
        prepare_database(self.url, demo_if_empty=True)
        self.limits = ImportLimits()
        self.workbook = _seed_workbook()
        self.executions = 0
        self.findings: list[str] = []
        self.findings_dir = findings_dir
        self.memory_kib = memory_mb * 1024
        self.baseline_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def content(self, data: bytes) -> bytes:
        if self.kind == "csv":
            return data
        if data[:1] and data[0] % 4 == 3:  # now and then the bytes are the whole file
            return data[1:]
        return _with_sheet(self.workbook, data[1:] if data[:1] else data)

    def run(self, data: bytes) -> None:
        from data.db import reading
        from data.importing.planning import ImportPlan, plan_import
        from presentation.i18n import describe_problem

        self.executions += 1
        content = self.content(data)
        name = "fuzz.xlsx" if self.kind == "xlsx" else "fuzz.csv"
        try:
            with reading(self.url) as session:
                plan = plan_import(session=session, content=content, file_name=name, limits=self.limits)
            assert isinstance(plan, ImportPlan)
            assert len(plan.problems) <= self.limits.max_problems + 1, len(plan.problems)
            assert plan.ok or not plan.figures
            for problem in (*plan.problems[:50], *plan.notices[:50]):
                describe_problem(problem, "en")  # a key without a translation raises
        except Exception:  # noqa: BLE001 - anything but the importer's own refusal is the finding
            self.found(content, traceback.format_exc(limit=-3))
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - self.baseline_kib
        if grown > self.memory_kib:
            self.found(content, f"memory: peak RSS grew by {grown // 1024} MB")
            self.baseline_kib += grown

    def found(self, content: bytes, what: str) -> None:
        digest = hashlib.sha256(content).hexdigest()[:16]
        self.findings.append(what)
        self.findings_dir.mkdir(parents=True, exist_ok=True)
        (self.findings_dir / f"{self.kind}-{digest}.bin").write_bytes(content)
        (self.findings_dir / f"{self.kind}-{digest}.txt").write_text(what)
        print(f"FINDING {self.kind}-{digest}: {what.strip().splitlines()[-1]}", flush=True)

    def summary(self, seconds: float, engine: str) -> str:
        return (f"{self.kind}: {self.executions} executions in {seconds:.0f} s ({engine}); "
                f"findings: {len(self.findings)}")


def _seed_workbook() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_sheet(workbook: bytes, sheet_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item))
    return out.getvalue()


def seeds(kind: str) -> list[bytes]:
    if kind == "csv":
        return [seed.encode("utf-8") for seed in CSV_SEEDS] + [CSV_SEEDS[0].encode("cp1252")]
    return [b"\x00" + seed.encode() for seed in XLSX_SEEDS]


_TOKENS = [b",", b";", b'"', b"\n", b"\r", b"\x00", b"\x0b", b"'=", b"\xef\xbb\xbf", b"\xff", b"1e400", b"-0",
           b"2025-Q1", b"<row>", b"<c>", b'<c r="XFD1">', b"</row>", b"<v>1</v>", b'r="99999999"', b"&amp;",
           b"<f>SUM(A1)</f>", b'<dimension ref="A1:XFD1048576"/>', b'<is><t>x</t></is>', b"\xc2\x85"]


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """A few random edits: flip, insert a token, delete, duplicate a slice, or splice another input."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        choice = rng.random()
        at = rng.randint(0, len(buffer))
        if choice < 0.25 and buffer:
            buffer[min(at, len(buffer) - 1)] = rng.randrange(256)
        elif choice < 0.55:
            buffer[at:at] = rng.choice(_TOKENS)
        elif choice < 0.7 and buffer:
            del buffer[at:at + rng.randint(1, 16)]
        elif choice < 0.9 and buffer:
            piece = bytes(buffer[at:at + rng.randint(1, 64)])
            buffer[at:at] = piece * rng.randint(1, 50)
        else:
            other = rng.choice(pool)
            buffer[at:] = other[rng.randint(0, len(other)):]
    return bytes(buffer[:200_000])


def run_fallback(target: Target, seconds: float, seed: int) -> None:
    rng = random.Random(seed)
    pool = seeds(target.kind)
    deadline = time.monotonic() + seconds
    for data in pool:
        target.run(data)
    while time.monotonic() < deadline:
        data = mutate(rng.choice(pool), rng, pool)
        target.run(data)
        if len(pool) < 500 and rng.random() < 0.05:
            pool.append(data)


def run_atheris(target: Target, seconds: float) -> None:
    """libFuzzer never returns from Fuzz(): the input after the deadline prints and exits."""
    started = time.monotonic()
    corpus = Path(tempfile.mkdtemp(prefix="effekt-fuzz-corpus-"))
    for index, data in enumerate(seeds(target.kind)):
        (corpus / f"seed-{index}").write_bytes(data)

    def one_input(data: bytes) -> None:
        target.run(data)
        if time.monotonic() - started >= seconds:
            finish(target, time.monotonic() - started, "atheris")

    atheris.Setup([sys.argv[0], f"-max_total_time={int(seconds) + 60}", "-rss_limit_mb=4096", "-timeout=60",
                   "-max_len=200000", "-print_final_stats=0", str(corpus)], one_input)
    atheris.Fuzz()


def finish(target: Target, seconds: float, engine: str) -> None:
    print(target.summary(seconds, engine), flush=True)
    sys.stdout.flush()
    os._exit(1 if target.findings else 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--engine", choices=("auto", "atheris", "mutate"), default="auto")
    parser.add_argument("--memory-mb", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--findings", type=Path, default=Path(tempfile.gettempdir()) / "effekt-fuzz-findings")
    args = parser.parse_args(argv)
    engine = "atheris" if args.engine == "auto" and atheris is not None else args.engine
    if engine == "atheris":
        if atheris is None:
            print("atheris is not installed (pip install -r requirements-dev.txt)", file=sys.stderr)
            return 2
        with atheris.instrument_imports(include=["data"]):
            import data.importing.planning
            import data.importing.xlsx_stream  # noqa: F401
        target = Target(args.format, args.memory_mb, args.findings)
        run_atheris(target, args.seconds)
    target = Target(args.format, args.memory_mb, args.findings)
    started = time.monotonic()
    run_fallback(target, args.seconds, args.seed)
    finish(target, time.monotonic() - started, "mutate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
