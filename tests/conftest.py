"""Shared fixtures: the shipped KG built once per session into an in-memory store."""

import pytest

from kg.build import Built, build_dataset, load_store
from kg.store import OxigraphStore, Store


@pytest.fixture(scope="session")
def built() -> Built:
    """The shipped sources, parsed and validated."""
    return build_dataset()


@pytest.fixture(scope="session")
def store(built: Built) -> Store:
    """A read-only in-memory store holding the shipped KG (do not write to it; use ``fresh_store``)."""
    return load_store(OxigraphStore(), built)


@pytest.fixture()
def fresh_store(built: Built) -> Store:
    """A private in-memory store holding the shipped KG, for tests that write."""
    return load_store(OxigraphStore(), built)
