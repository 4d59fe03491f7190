"""Fixtures of the ingest tests: the fixture files, and a writable store of the shipped KG per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import Built, load_store
from kg.store import OxigraphStore, Store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def module_store(built: Built) -> Store:
    """A private in-memory store of the shipped KG, shared by one module's tests (which write to it)."""
    return load_store(OxigraphStore(), built)
