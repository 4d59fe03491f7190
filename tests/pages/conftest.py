"""Fixtures for the page tests: an app with the pages and linked-data routers on the shipped KG, and an HTML reader."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from apps import router_app
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient

from kg.build import build_dataset, load_store
from kg.store import OxigraphStore, Store

sys.path.insert(0, str(Path(__file__).parent))
from htmltree import Node, parse  # noqa: E402

STATIC = Path(__file__).resolve().parents[2] / "api" / "static"


@pytest.fixture(scope="session")
def pages_store() -> Store:
    """The shipped KG in memory, read-only; built without SHACL validation (the build's own tests validate it)."""
    return load_store(OxigraphStore(), build_dataset(validate=False))


@pytest.fixture(scope="session")
def pages_client(pages_store: Store) -> Iterator[TestClient]:
    """A client of an app with the pages router, the linked-data router (study and concept pages) and the assets."""
    from api.routers import pages, resources

    app = router_app(pages_store, pages.router, resources.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def html(pages_client: TestClient) -> Callable[..., Node]:
    """GET a page as a browser would, assert its status and HTML type, and return it parsed."""

    def get(url: str, status: int = 200) -> Node:
        r = pages_client.get(url, headers={"Accept": "text/html"})
        assert r.status_code == status, f"GET {url}: {r.status_code}, expected {status}: {r.text[:300]}"
        assert r.headers["content-type"].startswith("text/html"), f"GET {url}: {r.headers['content-type']}"
        return parse(r.text)

    return get
