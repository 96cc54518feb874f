"""Capacity: ``python bench/capacity.py --sessions 50 --seconds 60 [--url URL] --output FILE``.

Each simulated person is a websocket client that speaks Streamlit's own protocol (the protobuf
``BackMsg``/``ForwardMsg`` of ``streamlit.proto``), as the browser does, without a browser: it
signs in on the /signin page (or the in-app form), then moves through Översikt → Mätetal i detalj → Jämför →
Kvartalsdata, and the first ``--savers`` of them save a figure on every visit to Kvartalsdata. An
interaction is timed from the request to the script's "finished" message. So the measurement is
the server's cost alone, not a browser's on the same two cores.

Counted separately: errors (an exception element, a disconnect, a timeout, a save that gave
neither success nor a conflict), conflicts (the conflict message a person would see), and the
server's memory and CPU time (``/proc``) with the machine's load average before and during the run.
Without ``--url`` it starts the app itself on a dataset of ``--scale``; with ``--url`` give
``--server-pid`` (repeatable: one per replica) to have the servers' memory and CPU measured.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The pages visited, by their address in the navigation ("" is the default page, Översikt).
CYCLE = ("", "matetal", "jamfor", "kvartalsdata")
SAVED_METRIC = "customer_satisfaction"
REPLY_TIMEOUT_S = 60.0
MAX_ROUNDS = 10_000
FINISHED_EARLY_FOR_RERUN = 2  # ScriptFinishedStatus: the run was replaced by a rerun (st.rerun)


@dataclass
class Tally:
    """What every simulated session saw, added up."""

    times: list[float] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    saves: int = 0
    rounds: int = 0


@dataclass(frozen=True)
class Run:
    """One finished script run as the client saw it: the elements drawn and the navigation."""

    elements: list[tuple[str, str, Any]]
    pages: dict[str, str]
    seconds: float

    def widget(self, key: str) -> tuple[str, str] | None:
        """(element type, widget id) of the widget whose user key is ``key``."""
        for kind, widget_id, _ in self.elements:
            if widget_id.endswith(f"-{key}"):
                return kind, widget_id
        return None

    def shown(self, key: str) -> str:
        """What the field with user key ``key`` shows (the value set on it, else its default), as text."""
        for _, widget_id, element in self.elements:
            if widget_id.endswith(f"-{key}"):
                return str(element.value if element.set_value else element.default)
        return ""

    def texts(self, kind: str) -> list[str]:
        return [getattr(element, "body", "") for found, _, element in self.elements if found == kind]


class Session:
    """One person: a websocket to ``/_stcore/stream`` and the last navigation it was sent."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.pages: dict[str, str] = {}

    async def run(self, widgets: list[Any] | None = None, page: str = "") -> Run:
        """Ask for a rerun (with widget states, on a page) and read until the script has finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_script_hash = self.pages.get(page, "")
        message.rerun_script.widget_states.widgets.extend(widgets or [])
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        elements = await self._until_finished()
        return Run(elements, dict(self.pages), time.perf_counter() - started)

    async def _until_finished(self) -> list[tuple[str, str, Any]]:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        elements: list[tuple[str, str, Any]] = []
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(await asyncio.wait_for(self.socket.recv(), REPLY_TIMEOUT_S))
            kind = reply.WhichOneof("type")
            if kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element_kind = reply.delta.new_element.WhichOneof("type")
                element = getattr(reply.delta.new_element, element_kind)
                elements.append((element_kind, getattr(element, "id", ""), element))
            elif kind == "navigation":
                self.pages = {page.url_pathname: page.page_script_hash for page in reply.navigation.app_pages}
            elif kind == "script_finished":
                if reply.script_finished != FINISHED_EARLY_FOR_RERUN:
                    return elements
                elements = []  # st.rerun: what counts is the run that follows


def _state(widget_id: str, **value: Any) -> Any:
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    return WidgetState(id=widget_id, **value)


def _submitter(run: Run, form: str) -> str:
    for kind, widget_id, _ in run.elements:
        if kind == "button" and f"FormSubmitter:{form}-" in widget_id:
            return widget_id
    raise RuntimeError(f"no submit button of form {form!r} on the page")


async def open_app(session: Session, username: str, password: str) -> Run:
    """The first run: signed in by the cookie already, or through the in-app sign-in form (not measured)."""
    first = await session.run()
    if "kvartalsdata" in first.pages:
        return first
    user, secret = first.widget("signin_username"), first.widget("signin_password")
    if user is None or secret is None:
        raise RuntimeError("neither signed in by the cookie nor shown the sign-in form")
    run = await session.run([
        _state(user[1], string_value=username), _state(secret[1], string_value=password),
        _state(_submitter(first, "signin_form"), trigger_value=True),
    ])
    if "kvartalsdata" not in run.pages:
        raise RuntimeError("sign-in did not open the app's pages")
    return run


def browser_cookies(url: str, account: tuple[str, str]) -> str:
    """The cookies a browser holds after opening the app and signing in on its /signin page: the
    sign-in cookie and, behind nginx, the sticky-session cookie (every later request of this
    person, the websocket included, then reaches the same process). Without a /signin page (the
    dashboard run by ``streamlit run``) only the sticky cookie, and the sign-in form is used."""
    import httpx

    with httpx.Client(base_url=url, timeout=REPLY_TIMEOUT_S, follow_redirects=False) as client:
        client.get("/")
        form = client.get("/signin")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text) if form.status_code == 200 else None
        if token is not None:
            answer = client.post("/signin", headers={"Origin": url.rstrip("/")}, data={
                "username": account[0], "password": account[1], "csrf": html.unescape(token.group(1))})
            if answer.status_code != 303:
                raise RuntimeError(f"/signin refused the benchmark's account ({answer.status_code})")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def _figure_text(value: float, widget_kind: str) -> dict[str, Any]:
    """The value as the entry field takes it: a number field takes a double, a text field the
    Swedish way of writing it."""
    if widget_kind == "number_input":
        return {"double_value": value}
    return {"string_value": f"{value:.1f}".replace(".", ",")}


async def save_figure(session: Session, page: Run, value: float, tally: Tally, number: int) -> None:
    """Change one figure on Kvartalsdata and submit: a success or a conflict, anything else an error."""
    from presentation.i18n import translate

    field_widget = page.widget(f"entry_value_{SAVED_METRIC}")
    if field_widget is None:
        tally.errors.append(f"session {number}: no field for {SAVED_METRIC} on Kvartalsdata")
        return
    if page.shown(f"entry_value_{SAVED_METRIC}") in (str(value), f"{value:.1f}".replace(".", ",")):
        value = round(value + 0.1, 1)  # a change, as a person saving makes one (an earlier step may have saved this)
    run = await session.run([
        _state(field_widget[1], **_figure_text(value, field_widget[0])),
        _state(_submitter(page, "entry_form"), trigger_value=True),
    ], page="kvartalsdata")
    tally.times.append(run.seconds)
    tally.by_page.setdefault("save", []).append(run.seconds)
    alerts = " ".join(run.texts("alert"))
    if translate("entry.saved", "sv", count=1) in alerts:
        tally.saves += 1
    elif conflict_prefix("sv") in alerts:
        tally.conflicts += 1
    else:
        tally.errors.append(f"session {number}: save gave neither success nor conflict: {alerts[:160]!r}")


def conflict_prefix(language: str) -> str:
    """The conflict message up to its first placeholder: what every conflict shown begins with."""
    from presentation.i18n import catalogue

    return catalogue()["entry.conflict"][language].split("{", 1)[0]


def _check(run: Run, tally: Tally, number: int, page: str) -> None:
    for kind, _, element in run.elements:
        if kind == "exception":
            tally.errors.append(f"session {number}: exception on page {page or 'oversikt'!r}: "
                                f"{element.type}: {element.message[:200]}")


async def person(url: str, number: int, saver: bool, until: tuple[float, int], tally: Tally,
                 account: tuple[str, str]) -> None:
    """One simulated person for the length of the run; every failure is a counted error."""
    import websockets

    address = url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/") + "/_stcore/stream"
    try:
        cookie = await asyncio.to_thread(browser_cookies, url, account)
        async with websockets.connect(address, subprotocols=["streamlit"], max_size=None,  # type: ignore[list-item]  # websockets types subprotocols as its Subprotocol NewType
                                      open_timeout=REPLY_TIMEOUT_S, origin=url.rstrip("/"),
                                      additional_headers={"Cookie": cookie} if cookie else None) as socket:
            session = Session(socket)
            await open_app(session, *account)
            deadline, rounds, think = until
            for round_number in range(rounds):
                if time.monotonic() > deadline:
                    break
                await _one_round(session, number, saver, (round_number, think), deadline, tally)
                tally.rounds += 1
    except Exception as error:  # noqa: BLE001 - a disconnect or timeout is a counted error, not a crash
        tally.errors.append(f"session {number}: {type(error).__name__}: {str(error)[:160]}")


async def _one_round(session: Session, number: int, saver: bool, turn: tuple[int, float], deadline: float,
                     tally: Tally) -> None:
    """Översikt → Mätetal i detalj → Jämför → Kvartalsdata once, reading each page ``turn[1]``
    seconds (a person's think time, not measured) before the next click."""
    round_number, think = turn
    for page in CYCLE:
        if time.monotonic() > deadline:
            return
        if think:
            await asyncio.sleep(think)
        run = await session.run(page=page)
        tally.times.append(run.seconds)
        tally.by_page.setdefault(page or "oversikt", []).append(run.seconds)
        _check(run, tally, number, page)
        if saver and page == "kvartalsdata":
            value = round(40 + (number * 7 + round_number * 3) % 50 + 0.1 * (round_number % 9 + 1), 1)
            await save_figure(session, run, value, tally, number)


class ServerProbe:
    """Memory and CPU time of the server processes, read from ``/proc`` (Linux)."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.rss: list[float] = []

    def rss_mb(self) -> float:
        total = 0.0
        for pid in self.pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        return total

    def cpu_seconds(self) -> float:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in self.pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    async def sample(self, stop: asyncio.Event) -> list[float]:
        """The load average every second until ``stop``; RSS too when the servers are known."""
        loads: list[float] = []
        while not stop.is_set():
            loads.append(os.getloadavg()[0])
            if self.pids:
                self.rss.append(self.rss_mb())
            with contextlib.suppress(TimeoutError):  # a second passed: sample again
                await asyncio.wait_for(stop.wait(), 1.0)
        return loads


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def _drive(url: str, sessions: int, savers: int, seconds: float, probe: ServerProbe,
                 pace: tuple[int, float] = (MAX_ROUNDS, 0.0)) -> dict[str, Any]:
    from bench.pages import BENCH_PASSWORD, BENCH_USER

    tally = Tally()
    load_before = os.getloadavg()[0]
    rss_start = probe.rss_mb() if probe.pids else None
    cpu_start = probe.cpu_seconds() if probe.pids else None
    stop = asyncio.Event()
    sampler = asyncio.create_task(probe.sample(stop))
    started = time.perf_counter()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(person(url, number, number < savers, (deadline, *pace), tally, (BENCH_USER, BENCH_PASSWORD))
                           for number in range(sessions)))
    elapsed = time.perf_counter() - started
    stop.set()
    loads = await sampler
    return _summary(tally, sessions, elapsed, probe, (rss_start, cpu_start), (load_before, loads))


def _summary(tally: Tally, sessions: int, elapsed: float, probe: ServerProbe,
             start: tuple[float | None, float | None], load: tuple[float, list[float]]) -> dict[str, Any]:
    rss_start, cpu_start = start
    rss_max = max(probe.rss) if probe.rss else None
    cpu = probe.cpu_seconds() - cpu_start if probe.pids and cpu_start is not None else None
    return {
        "sessions": sessions, "seconds": round(elapsed, 1), "interactions": len(tally.times),
        "rounds": tally.rounds, "errors": len(tally.errors), "error_examples": tally.errors[:10],
        "conflicts": tally.conflicts, "saves": tally.saves,
        "p50_s": statistics.median(tally.times) if tally.times else None,
        "p95_s": _percentile(tally.times, 0.95), "p99_s": _percentile(tally.times, 0.99),
        # Where the time goes: each page's (and the save's) median and p95 in seconds.
        "pages": {page: {"count": len(times), "p50_s": statistics.median(times), "p95_s": _percentile(times, 0.95)}
                  for page, times in sorted(tally.by_page.items())},
        "rss_start_mb": rss_start, "rss_max_mb": rss_max,
        "rss_growth_mb": rss_max - rss_start if rss_max is not None and rss_start is not None else None,
        "server_cpu_s": cpu, "server_cpu_share": cpu / elapsed if cpu is not None else None,
        "load_average": {"before": load[0], "during_max": max(load[1], default=load[0]),
                         "during_mean": statistics.fmean(load[1]) if load[1] else load[0]},
        "cpus": os.cpu_count(),
    }


def measure(url: str, sessions: int, savers: int, seconds: float, pids: list[int], rounds: int = MAX_ROUNDS,
            think: float = 0.0) -> dict[str, Any]:
    """One capacity run against a running app at ``url``: each person goes round the pages until
    ``seconds`` have passed or ``rounds`` are done, ``think`` seconds on each page."""
    return asyncio.run(_drive(url, sessions, savers, seconds, ServerProbe(pids), (rounds, think)))


@contextmanager
def started_app(scale: str, database: str | None, replicas: int = 1) -> Iterator[tuple[str, list[int]]]:
    """The app on a freshly made dataset of ``scale``, with the benchmark's administrator; with
    several replicas, that many processes behind nginx with the shipped configuration."""
    from bench.dataset import SCALES
    from bench.measure import NATIONAL_LIMITS
    from bench.pages import ensure_bench_admin
    from bench.run import _database, prepare_dataset
    from data.actors import SYSTEM
    from data.db import writing
    from data.importing.committing import commit_import
    from data.importing.planning import plan_import
    from tools.live_server import running_server

    with _database(database) as url:
        _, _, content, _ = prepare_dataset(url, SCALES[scale])
        with writing(url) as session:
            commit_import(session=session, actor=SYSTEM,
                          plan=plan_import(session=session, content=content, file_name="dataset.csv",
                                           limits=NATIONAL_LIMITS))
        ensure_bench_admin(url)
        with ExitStack() as stack:
            servers = [stack.enter_context(running_server(url, {"EFFEKT_DEMO_ON_EMPTY": "0"})) for _ in range(replicas)]
            if replicas == 1:
                yield servers[0].base, [servers[0].pid]
                return
            from tools.load_balancer import nginx_in_front

            ports = [int(server.base.rsplit(":", 1)[1]) for server in servers]
            yield stack.enter_context(nginx_in_front(ports)), [server.pid for server in servers]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--savers", type=int, default=2, help="how many of the sessions save a figure")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--url", help="a running Effekt (else one is started on --scale)")
    parser.add_argument("--server-pid", type=int, action="append", default=[], help="with --url: a server's pid")
    parser.add_argument("--scale", default="national", choices=("national", "small"))
    parser.add_argument("--database", help="with no --url: a database URL (PostgreSQL: a fresh schema in it)")
    parser.add_argument("--replicas", type=int, default=1, help="with no --url: processes behind nginx (PostgreSQL)")
    parser.add_argument("--warm-up", type=float, default=5.0, help="seconds of one session before measuring")
    parser.add_argument("--think", type=float, default=0.0, help="seconds a person reads each page (0: click on)")
    parser.add_argument("--rounds", type=int, default=MAX_ROUNDS, help="stop each person after this many rounds")
    parser.add_argument("--ramp", help="session counts to step through, e.g. 10,20,40: finds the capacity")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    from bench import machine

    measured_on = machine.describe()  # before the servers start: the quiet machine's speed
    if args.url:
        result = _measured(args.url, args.server_pid, args)
    else:
        with started_app(args.scale, args.database, args.replicas) as (url, pids):
            result = _measured(url, pids, args)
    result.update({"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "scale": args.scale,
                   "url_given": bool(args.url), "replicas": len(args.server_pid) if args.url else args.replicas,
                   "machine": measured_on})
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return result


def _measured(url: str, pids: list[int], args: argparse.Namespace) -> dict[str, Any]:
    if args.warm_up > 0:  # one person through every page first, so the baseline has served them
        measure(url, 1, 0, args.warm_up, pids)
    if not args.ramp:
        return measure(url, args.sessions, min(args.savers, args.sessions), args.seconds, pids, args.rounds, args.think)
    steps = [measure(url, count, min(args.savers, count), args.seconds, pids, args.rounds, args.think)
             for count in (int(part) for part in args.ramp.split(","))]
    return {"steps": steps, "capacity_sessions": capacity_of(steps), "rule": RULE, "think_s": args.think}


RULE = "the largest number of concurrent sessions with p95 <= 1 s and no errors"


def capacity_of(steps: list[dict[str, Any]]) -> int:
    """The number people ask for: the largest step that kept p95 within a second with no errors."""
    passing = [step["sessions"] for step in steps
               if step["errors"] == 0 and step["p95_s"] is not None and step["p95_s"] <= 1.0]
    return max(passing, default=0)


if __name__ == "__main__":
    main()
