"""Where the project's files are, and the base IRI the knowledge graph is published under."""

import os
from pathlib import Path

from kg.namespaces import BASE

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
DATA_DIR = ROOT / "kg" / "data"
QUERIES_DIR = ROOT / "kg" / "queries"
DIST_DIR = ROOT / "dist"


def base_iri() -> str:
    """The base IRI to publish under: ``EGOVKG_BASE_IRI`` or the canonical ``https://w3id.org/egovkg/``."""
    base = os.environ.get("EGOVKG_BASE_IRI", BASE)
    if not base.endswith("/"):
        base += "/"
    return base


def rebase(text: str, base: str | None = None) -> str:
    """Rewrite the canonical base in Turtle or SPARQL text to ``base`` (no-op for the canonical base)."""
    base = base or base_iri()
    return text if base == BASE else text.replace(BASE, base)
