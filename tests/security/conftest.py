"""Fixtures for the security tests: the whole app (``create_app``) on an in-memory copy of the shipped KG, in a test
client, and a real server process whose log the tests read."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from kg.build import Built, build_dataset, load_store
from kg.store import OxigraphStore

TOKEN = "tok-7f3a9c1e5b2d4a68-never-log-me"
"""The write token of the test apps: a string that must never appear in any log."""


@pytest.fixture(scope="session")
def built_kg() -> Built:
    """The shipped sources, parsed (the build's own tests validate them)."""
    return build_dataset(validate=False)


@contextmanager
def app_client(built: Built, **settings: Any) -> Iterator[TestClient]:
    """A test client of the whole app with ``settings``, on its own in-memory copy of the KG (the app closes it)."""
    base: dict[str, Any] = {"store": "memory:", "sparql_workers": 1, "rate_limit_per_minute": 100_000}
    app = create_app(Settings(**{**base, **settings}), store=load_store(OxigraphStore(), built))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def client(built_kg: Built) -> Iterator[TestClient]:
    """The app with writes on (``TOKEN``) and the default limits, except a high rate limit."""
    with app_client(built_kg, write_token=TOKEN) as c:
        yield c


@pytest.fixture()
def make_client(built_kg: Built) -> Callable[..., Any]:
    """``with make_client(**settings) as c:`` an app with other settings."""
    return lambda **settings: app_client(built_kg, **settings)


# -- a real server process -----------------------------------------------------------------------------------------
@dataclass
class LiveServer:
    """A running ``uvicorn --factory api.main:create_app`` and where it logs."""

    url: str
    host: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        """Everything the server wrote so far."""
        return self.log.read_text(errors="replace")


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(workdir: Path, **settings: object) -> LiveServer:
    """Start a server on a free port with ``EGOVKG_*`` settings and an on-disk store in ``workdir``."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVKG_")}
    env.update({"EGOVKG_STORE": f"oxigraph:{workdir / 'store'}", "EGOVKG_SPARQL_WORKERS": "1"})
    env.update({f"EGOVKG_{k.upper()}": str(v) for k, v in settings.items()})
    log = workdir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app", "--host",
                                 "127.0.0.1", "--port", str(port), "--log-level", "debug"],
                                env=env, stdout=out, stderr=subprocess.STDOUT, cwd=workdir)
    server = LiveServer(f"http://127.0.0.1:{port}", "127.0.0.1", port, proc, log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{server.log_text()[-3000:]}")
        try:
            if httpx.get(server.url + "/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    stop(server)
    raise RuntimeError(f"server did not start:\n{server.log_text()[-3000:]}")


def stop(server: LiveServer) -> None:
    """Stop the server (its SPARQL workers die with it)."""
    server.proc.terminate()
    try:
        server.proc.wait(15)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(5)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One real server for the security tests, writes on with ``TOKEN``, DEBUG logs on."""
    server = start(tmp_path_factory.mktemp("security-server"), write_token=TOKEN, rate_limit_per_minute=100_000)
    yield server
    stop(server)
