"""Export the factor concept scheme of a store as a REFI-QDA codebook; read such a codebook back as concepts."""

from __future__ import annotations

from rdflib import Graph, URIRef

from kg import align
from kg.ingest import query
from kg.ingest.problems import Collector
from kg.ingest.qdc import export, guid, parse, read_scheme
from kg.store import Store


def export_codebook(store: Store) -> bytes:
    """The factor scheme as a ``.qdc`` codebook."""
    concepts = list(align.ConceptIndex.load(store).concepts.values())
    collections: dict[str, dict] = {}
    for r in store.select(query("collections")):
        c = collections.setdefault(r["collection"], {"iri": r["collection"], "label": str(r["label"]), "members": []})
        c["members"].append(r["member"])
    return export(concepts, list(collections.values()), origin="egovkg")


def import_scheme(data: bytes, filename: str, store: Store) -> Graph:
    """Read a scheme codebook as factor concepts; codes with the GUID of a known concept keep its IRI."""
    out = Collector(filename)
    book = parse(data, out)
    out.raise_if_any()
    assert book is not None
    known = {guid(iri): URIRef(iri) for iri in align.ConceptIndex.load(store).concepts}
    g = read_scheme(book, known, out)
    out.raise_if_any()
    assert g is not None
    return g
