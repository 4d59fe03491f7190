"""Fixtures for the API tests. GraphQL: an app with the GraphQL router on an in-memory store of the shipped KG.
SPARQL and linked data: a real server process on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.config import Settings
from kg.store import Store


@pytest.fixture(scope="session")
def gql_store(store: Store) -> Store:
    """The shipped KG on the backend under test (tests/conftest.py: memory, on-disk or a live remote engine),
    read-only."""
    return store


def make_gql_app(store: Store, **settings: Any) -> FastAPI:
    """A FastAPI app with only the GraphQL router, on ``store`` (create_app adds the other routers' start-up)."""
    from api.routers import graphql

    app = FastAPI()
    app.include_router(graphql.router)
    app.state.store = store
    app.state.settings = Settings(store="memory:", **settings)
    return app


@pytest.fixture()
def gql_app_factory() -> Callable[..., FastAPI]:
    """Build a GraphQL app on a store with given settings."""
    return make_gql_app


@pytest.fixture()
def gql_client(gql_store: Store) -> Iterator[TestClient]:
    """A client of the GraphQL app on the shipped KG, response cache off (every request executes)."""
    with TestClient(make_gql_app(gql_store, graphql_cache_enabled=False)) as c:
        yield c


@pytest.fixture()
def gql(gql_client: TestClient) -> Callable[..., dict[str, Any]]:
    """POST a query and return the JSON body, asserting 200 and no errors."""

    def run(query: str, variables: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        r = gql_client.post("/graphql", json={"query": query, "variables": variables, **extra})
        body = r.json()
        assert r.status_code == 200 and "errors" not in body, f"{r.status_code}: {body}"
        return body

    return run


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


def start_server(workdir: Path, port: int | None = None, **settings: object) -> Server:
    """Start ``uvicorn --factory api.main:create_app`` on ``port`` (default: a free one) with ``EGOVKG_*`` settings,
    on an embedded on-disk store in ``workdir`` (built from the shipped data on first start); wait until /health
    answers."""
    port = port or free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVKG_")}
    # On the backend under test: the live remote engine when the suite runs against one, else an embedded store.
    from backends import backend_kind, backend_spec

    # A server with its own base IRI holds another KG (other IRIs): it never shares the remote engine.
    shared = backend_kind() == "remote" and "base_iri" not in settings
    spec = backend_spec() if shared else f"oxigraph:{workdir / 'store'}"
    env.update({"EGOVKG_STORE": spec, "EGOVKG_PORT": str(port)})
    env.update({f"EGOVKG_{k.upper()}": str(v) for k, v in settings.items()})
    workdir.mkdir(parents=True, exist_ok=True)
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


@pytest.fixture()
def server_factory(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start servers with given settings (``port=`` too) for one test; they are stopped after it."""
    started: list[Server] = []

    def start(**settings: Any) -> Server:
        server = start_server(tmp_path / f"server-{len(started)}", **settings)
        started.append(server)
        return server

    yield start
    for server in started:
        stop_server(server)


@pytest.fixture(scope="module")
def limits_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with a 2 s deadline, a row cap of 100 and 2 concurrent queries per client (the limits tests)."""
    server = start_server(tmp_path_factory.mktemp("limits-server"), sparql_timeout_s=2, sparql_row_cap=100,
                          sparql_workers=2, sparql_max_concurrent_per_client=2)
    yield server
    stop_server(server)
