"""Shared fixtures: the shipped KG built once per session into the store backend under test.

The backend is chosen by the environment, so that the same suite runs on all three:

- nothing set: ``memory:`` (the in-memory embedded store);
- ``EGOVKG_TEST_STORE=oxigraph:tmp``: the embedded store on disk, in a temporary directory;
- ``EGOVKG_TEST_REMOTE=http://127.0.0.1:PORT`` (an Oxigraph server's base URL) or
  ``EGOVKG_TEST_STORE=sparql:QUERY_URL,UPDATE_URL[,GSP_URL][,union=…]``: a live remote SPARQL engine, which the
  suite empties and fills with the KG (never point it at an engine holding data you want to keep). Run the
  suite serially against it (no ``-n``): every test shares the one engine.

Servers that tests start (tests/servers.py) run on the same backend. ``.ci/run`` runs the suite on all three.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from backends import TEST_REMOTE_ENV, TEST_STORE_ENV, backend_kind, backend_spec, oxigraph_server_spec  # noqa: E402,F401

from kg.build import Built, build_dataset, load_store
from kg.remote import RemoteSparqlStore
from kg.store import OxigraphStore, Store, open_store


def _open(tmp: Path) -> Store:
    spec = backend_spec()
    if spec == "memory:":
        return OxigraphStore()
    if spec.startswith("oxigraph:"):
        return OxigraphStore(tmp / "store")
    return open_store(spec)


def _fill(s: Store, built: Built) -> Store:
    """Fill ``s`` with the KG. A remote engine is emptied first, every graph of it: loading the KG replaces only the
    graphs under the base IRI, and a test may have written another (``urn:x-test:…``), which would outlive the test
    and the session."""
    if isinstance(s, RemoteSparqlStore):
        s.update("DROP SILENT ALL")
    return load_store(s, built)


def pytest_report_header(config: pytest.Config) -> str:
    return f"egovkg store backend under test: {backend_spec()}"


@pytest.fixture(scope="session")
def built() -> Built:
    """The shipped sources, parsed and validated."""
    return build_dataset()


@pytest.fixture(scope="session")
def store_backend() -> str:
    """The kind of backend under test (``memory``, ``oxigraph`` or ``remote``), for tests that depend on it."""
    return backend_kind()


@pytest.fixture(scope="session")
def store(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A read-only store holding the shipped KG on the backend under test (do not write to it; use ``fresh_store``)."""
    s = _fill(_open(tmp_path_factory.mktemp("store")), built)
    yield s
    s.close()


@pytest.fixture()
def fresh_store(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store holding the shipped KG that the test may write to.

    Embedded backends get a private store. A remote engine is shared by the whole session, so it is refilled
    before the test and restored (same content, same version) after it, which keeps ``store`` valid.
    """
    s = _fill(_open(tmp_path_factory.mktemp("fresh")), built)
    yield s
    if backend_kind() == "remote":
        _fill(s, built)
    s.close()
