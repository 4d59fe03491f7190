"""Fixtures for the API tests. SPARQL and linked data: a real server process on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest


# -- SPARQL and linked data: a real server process ----------------------------------------------------------------
SERVER_START_TIMEOUT_S = 90.0


@dataclass
class Server:
    """A running ``egovkg`` server process (uvicorn with the app factory) and its base URL."""

    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str, **kw: Any) -> httpx.Response:
        """GET ``path`` on the server."""
        return httpx.get(self.url + path, timeout=60, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        """POST to ``path`` on the server."""
        return httpx.post(self.url + path, timeout=60, **kw)

    def log_text(self) -> str:
        """The end of what the server wrote (for assertion messages)."""
        return self.log.read_text(errors="replace")[-4000:]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workdir: Path, **settings: object) -> Server:
    """Start ``uvicorn --factory api.main:create_app`` on a free port with ``EGOVKG_*`` settings, on an embedded
    on-disk store in ``workdir`` (built from the shipped data on first start); wait until /health answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVKG_")}
    env.update({"EGOVKG_STORE": f"oxigraph:{workdir / 'store'}", "EGOVKG_PORT": str(port)})
    env.update({f"EGOVKG_{k.upper()}": str(v) for k, v in settings.items()})
    log = workdir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning"],
            cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{server.log_text()}")
        try:
            if httpx.get(server.url + "/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"server did not start within {SERVER_START_TIMEOUT_S} s:\n{server.log_text()}")


def stop_server(server: Server) -> None:
    """Stop the server; its SPARQL workers die with it."""
    server.proc.terminate()
    try:
        server.proc.wait(15)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(5)


@pytest.fixture(scope="session")
def ld_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server for the SPARQL protocol and linked-data tests: 30 s deadline, a row cap of 500."""
    server = start_server(tmp_path_factory.mktemp("ld-server"), sparql_timeout_s=30, sparql_row_cap=500,
                          sparql_workers=2, sparql_max_concurrent_per_client=8)
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def limits_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with a 2 s deadline, a row cap of 100 and 2 concurrent queries per client (the limits tests)."""
    server = start_server(tmp_path_factory.mktemp("limits-server"), sparql_timeout_s=2, sparql_row_cap=100,
                          sparql_workers=2, sparql_max_concurrent_per_client=2)
    yield server
    stop_server(server)
