"""Fixtures of the ontology tests: the ontology files parsed one by one and together."""

from pathlib import Path

import pytest
from rdflib import Graph

from kg import config, sources

MODULE_FILES = sorted((config.ONTOLOGY_DIR / "modules").glob("*.ttl"))


@pytest.fixture(scope="session")
def module_graphs() -> dict[Path, Graph]:
    """Each module file parsed on its own."""
    assert MODULE_FILES, f"no ontology modules found in {config.ONTOLOGY_DIR / 'modules'}"
    return {p: sources.parse_turtle(p) for p in MODULE_FILES}


@pytest.fixture(scope="session")
def aggregator_graph() -> Graph:
    """The aggregator file parsed on its own."""
    return sources.parse_turtle(config.ONTOLOGY_DIR / "egovkg.ttl")


@pytest.fixture(scope="session")
def ontology() -> Graph:
    """The whole ontology: aggregator and modules."""
    return sources.load_graph(sources.ontology_files())
