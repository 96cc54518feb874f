"""A Kolada-shaped HTTP server on 127.0.0.1 for the tests: v3's ``values``, ``count``, ``next_page``.

It answers ``/v3/data/kpi/N01951/municipality/CODES/year/YEAR`` from ``population[year][code]`` in
pages of ``page_size``, and can be told to fail first (``failures``: answers given in order).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


def value(code: str, year: int, total: float | None) -> dict[str, object]:
    return {"kpi": "N01951", "municipality": code, "period": year, "values": [
        {"gender": "K", "status": "", "value": None if total is None else round(total / 2), "count": 1},
        {"gender": "T", "status": "", "value": total, "count": 1},
    ]}


class Kolada:
    """What the fake Kolada answers: ``population[year][code]``, split into pages of ``page_size``;
    ``failures`` are answers given (in order) before the real ones."""

    def __init__(self) -> None:
        self.population: dict[int, dict[str, float | None]] = {2024: {}}
        self.page_size = 1000
        self.failures: list[Callable[[BaseHTTPRequestHandler], None]] = []
        self.requests: list[str] = []
        self.url = ""

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        self.requests.append(handler.path)
        if self.failures:
            self.failures.pop(0)(handler)
            return
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query)
        segments = parts.path.strip("/").split("/")  # v3 data kpi N01951 municipality CODES year YEAR
        codes, year = segments[5].split(","), int(segments[7])
        rows = [value(c, year, self.population.get(year, {})[c]) for c in codes if c in self.population.get(year, {})]
        page = int(query.get("page", ["1"])[0])
        chunk = rows[(page - 1) * self.page_size: page * self.page_size]
        more = page * self.page_size < len(rows)
        following = f"{self.url}{parts.path}?page={page + 1}&per_page={self.page_size}" if more else None
        send(handler, 200, json.dumps({"values": chunk, "count": len(chunk), "next_page": following}).encode())


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture(name="kolada")
def kolada_server() -> Iterator[Kolada]:
    """The fake Kolada, serving on a free port for one test (import this fixture as ``kolada_server``)."""
    fake = Kolada()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the standard library's name
            fake.answer(self)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
