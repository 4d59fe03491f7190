"""Serialize an rdflib graph in one of the negotiated RDF media types."""

from __future__ import annotations

from rdflib import Graph

from api.sparql import negotiation as n

RDFLIB_FORMATS = {n.TURTLE: "turtle", n.JSONLD: "json-ld", n.NTRIPLES: "nt", n.RDFXML: "pretty-xml",
                  n.TRIG: "trig", n.NQUADS: "nquads"}


def serialize_graph(g: Graph, media: str) -> bytes:
    """``g`` as bytes in ``media`` (TriG and N-Quads hold it as the default graph)."""
    data = g.serialize(format=RDFLIB_FORMATS[media], encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")
