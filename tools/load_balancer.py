"""nginx on a free loopback port in front of running app processes, with the shipped configuration.

Used by the replica test and the capacity benchmark, so both go through the same nginx set-up that
deploy/nginx/effekt.conf ships: only the listening port and the upstream ports are changed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.live_server import free_port, wait_for_health

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "deploy" / "nginx" / "effekt.conf"
SHIPPED_UPSTREAMS = ("server 127.0.0.1:8501;", "server 127.0.0.1:8502;")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MAIN = """daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/effekt.conf;
}}
"""


def nginx_available() -> bool:
    return Path(NGINX).exists()


def configuration(listen: int, upstream_ports: list[int]) -> str:
    """The shipped server configuration with this run's ports."""
    text = SHIPPED.read_text()
    servers = "\n    ".join(f"server 127.0.0.1:{port};" for port in upstream_ports)
    text = text.replace(SHIPPED_UPSTREAMS[0], servers).replace(f"    {SHIPPED_UPSTREAMS[1]}\n", "")
    return text.replace("listen 80;", f"listen 127.0.0.1:{listen};")


@contextmanager
def nginx_in_front(upstream_ports: list[int], timeout: float = 20) -> Iterator[str]:
    """Start nginx balancing over ``upstream_ports``; yield its base URL; stop it afterwards."""
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "effekt.conf").write_text(configuration(port, upstream_ports))
        Path(folder, "nginx.conf").write_text(MAIN.format(folder=folder))
        process = subprocess.Popen([NGINX, "-p", folder, "-c", f"{folder}/nginx.conf"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for_health(base, process, Path(folder, "error.log"), timeout)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
