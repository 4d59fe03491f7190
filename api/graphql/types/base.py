"""What every type module shares: the Node interface, property IRIs and readers of a node's properties."""

from __future__ import annotations

from functools import cache
from typing import Any

import strawberry
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from api.graphql.loaders import Props
from kg import config
from kg.namespaces import BIBO, EGOV


@strawberry.interface(description="An object with a global ID. The ID is the object's IRI, which never changes.")
class Node:
    id: strawberry.ID = strawberry.field(description="The global ID: the object's IRI (see `node(id:)`).")
    iri: str = strawberry.field(description="The object's IRI; dereference it for the linked-data view.")


@cache
def egov(name: str) -> str:
    """The IRI of ontology term ``name`` under the configured base (checked against the closed namespace)."""
    return config.rebase(str(getattr(EGOV, name)))


TYPE = str(RDF.type)
LABEL = str(RDFS.label)
PREF = str(SKOS.prefLabel)
ALT = str(SKOS.altLabel)
DEFINITION = str(SKOS.definition)
NOTATION = str(SKOS.notation)
BROADER = str(SKOS.broader)
RELATED = str(SKOS.related)
SCOPE_NOTE = str(SKOS.scopeNote)
DESCRIPTION = str(DCTERMS.description)
TITLE = str(DCTERMS.title)
ISSUED = str(DCTERMS.issued)
AVAILABLE = str(DCTERMS.available)
PUBLISHER = str(DCTERMS.publisher)
CITATION = str(DCTERMS.bibliographicCitation)
SUBJECT = str(DCTERMS.subject)
REFERENCES = str(DCTERMS.references)
DERIVED_FROM = str(PROV.wasDerivedFrom)
ATTRIBUTED_TO = str(PROV.wasAttributedTo)
DOI = str(BIBO.doi)
VOLUME = str(BIBO.volume)
ISSUE = str(BIBO.issue)
PAGES = str(BIBO.pages)


def one(p: Props, pred: str) -> Any:
    """The first value of ``pred``, or None."""
    v = p.get(pred)
    return v[0] if v else None


def text(p: Props, pred: str) -> str | None:
    """The first value of ``pred`` as a string, or None."""
    v = p.get(pred)
    return str(v[0]) if v else None


def texts(p: Props, pred: str) -> list[str]:
    """All values of ``pred`` as strings, sorted (RDF has no order)."""
    return sorted(str(v) for v in p.get(pred, ()))


def integer(p: Props, pred: str) -> int | None:
    """The first value of ``pred`` as an int, or None."""
    v = one(p, pred)
    try:
        return int(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def number(p: Props, pred: str) -> float | None:
    """The first value of ``pred`` as a float, or None."""
    v = one(p, pred)
    try:
        return float(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def iris(p: Props, pred: str) -> list[str]:
    """The IRI values of ``pred``, sorted."""
    return sorted(v for v in p.get(pred, ()) if isinstance(v, str) and v.startswith(("http://", "https://", "urn:")))


def is_a(p: Props, cls: str) -> bool:
    """Whether the node is typed ``egov:cls``."""
    return egov(cls) in p.get(TYPE, ())


@strawberry.interface(description="A term of one of the ontology's controlled vocabularies (a SKOS concept).")
class VocabularyTerm(Node):
    label: str | None = strawberry.field(description="The preferred label.")
    alt_labels: list[str] = strawberry.field(description="Alternative labels, e.g. the paper's other headings.")
    notation: str | None
    order: int | None = strawberry.field(description="The position in the vocabulary (the paper's order).")
    definition: str | None


def term_fields(iri: str, p: Props) -> dict[str, Any]:
    """The VocabularyTerm fields of a node."""
    notation = text(p, NOTATION)
    return {
        "id": strawberry.ID(iri),
        "iri": iri,
        "label": text(p, PREF) or text(p, LABEL),
        "alt_labels": texts(p, ALT),
        "notation": notation,
        "order": int(notation) if notation and notation.isdigit() else None,
        "definition": text(p, DEFINITION),
    }
