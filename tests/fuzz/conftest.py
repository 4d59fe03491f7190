"""Fixtures for the fuzz tests: one real server process (writes on, rate limit off) on an on-disk copy of the KG,
and the in-process app for the property tests of the parsers."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from kg.build import build_dataset, load_store
from kg.store import OxigraphStore

TOKEN = "fuzz-write-token-3b9d"
LEAKS = re.compile(r"Traceback|/work/|\.py\"|File \"/|site-packages|\.venv/|line \d+, in ")
"""What a body must never show: a stack trace or an internal path."""


def assert_clean(status: int, body: bytes | str, what: str) -> None:
    """No 5xx, and no stack trace or internal path in the body."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    assert status < 500, f"{what}: {status} {text[:500]}"
    leak = LEAKS.search(text)
    assert leak is None, f"{what}: {status} leaks {leak.group()!r}: {text[max(0, leak.start() - 200):leak.end() + 200]}"


@pytest.fixture(scope="session")
def clean():
    """``clean(status, body, what)``: assert no 5xx and no leak."""
    return assert_clean


@dataclass
class FuzzServer:
    """A running server and its log."""

    url: str
    proc: subprocess.Popen[bytes]
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzServer]:
    """``uvicorn --factory api.main:create_app`` on a free port: writes on (``TOKEN``), no rate limit, 10 s deadline."""
    workdir = tmp_path_factory.mktemp("fuzz-server")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVKG_")}
    env.update({"EGOVKG_STORE": f"oxigraph:{workdir / 'store'}", "EGOVKG_WRITE_TOKEN": TOKEN,
                "EGOVKG_RATE_LIMIT_PER_MINUTE": "0", "EGOVKG_SPARQL_TIMEOUT_S": "10", "EGOVKG_SPARQL_WORKERS": "1"})
    log = workdir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app", "--host",
                                 "127.0.0.1", "--port", str(port), "--no-access-log"],
                                env=env, stdout=out, stderr=subprocess.STDOUT, cwd=workdir)
    server = FuzzServer(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + 120
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                if httpx.get(server.url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.25)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture(scope="module")
def app_client() -> Iterator[TestClient]:
    """The whole app in process, writes on, rate limit off, on its own in-memory copy of the KG."""
    settings = Settings(store="memory:", sparql_workers=1, rate_limit_per_minute=0, write_token=TOKEN,
                        sparql_timeout_s=10)
    app = create_app(settings, store=load_store(OxigraphStore(), build_dataset(validate=False)))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
