"""Fixtures for the API tests. GraphQL: an app with the GraphQL router on the shipped KG in the store backend under
test. SPARQL and linked data: a real server process on a free port (tests/servers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import servers
from apps import router_app
from fastapi import FastAPI
from fastapi.testclient import TestClient
from servers import Server, stop_server

from kg.store import Store


@pytest.fixture(scope="session")
def gql_store(store: Store) -> Store:
    """The shipped KG on the backend under test (tests/conftest.py: memory, on-disk or a live remote engine),
    read-only."""
    return store


def make_gql_app(store: Store, **settings: Any) -> FastAPI:
    """A FastAPI app with only the GraphQL router, on ``store`` (create_app adds the other routers' start-up)."""
    from api.routers import graphql

    return router_app(store, graphql.router, **settings)


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


# -- SPARQL and linked data: a real server process (tests/servers.py) -----------------------------------------------
def start_server(workdir: Path, port: int | None = None, **settings: object) -> Server:
    """A server in ``workdir`` on the backend under test (the remote engine, else an embedded store in ``workdir``),
    logging warnings only; ``settings`` are its ``EGOVKG_*`` settings."""
    return servers.start_server(workdir, port=port, log_level="warning", **settings)


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
