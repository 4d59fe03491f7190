"""Fixtures for the security tests: the whole app (``create_app``) on an in-memory copy of the shipped KG, in a test
client, and a real server process whose log the tests read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from servers import Server, start_server, stop_server

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


# -- a real server process (tests/servers.py) -----------------------------------------------------------------------
@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One real server for the security tests on the backend under test: writes on with ``TOKEN``, one SPARQL worker,
    DEBUG logs on (the tests read them)."""
    server = start_server(tmp_path_factory.mktemp("security-server"), log_level="debug", sparql_workers=1,
                          write_token=TOKEN, rate_limit_per_minute=100_000)
    yield server
    stop_server(server)
