"""Terms convert between rdflib and pyoxigraph without changing the RDF term."""

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.store import to_ox, to_rdflib

TERMS = [
    URIRef("https://w3id.org/egovkg/id/study/zheng-2013"),
    Literal("Digital divide"),
    Literal("Digital divide", lang="en"),
    Literal("33", datatype=XSD.decimal),
    Literal("2012-12", datatype=XSD.gYearMonth),
    Literal("7", datatype=XSD.nonNegativeInteger),
]


@pytest.mark.parametrize("term", TERMS, ids=[t.n3() for t in TERMS])
def test_round_trip(term: URIRef | Literal) -> None:
    back = to_rdflib(to_ox(term))
    assert back == term and type(back) is type(term), f"{term.n3()} came back as {back.n3()}"


def test_simple_literal_from_store_equals_parsed_literal() -> None:
    # Oxigraph reports every simple literal as xsd:string; rdflib parses "x" as Literal("x") without a datatype.
    assert to_rdflib(ox.Literal("x")) == Literal("x"), "a simple literal must equal rdflib's parsed form"


def test_blank_node() -> None:
    assert isinstance(to_rdflib(to_ox(BNode("b1"))), BNode), "blank nodes stay blank nodes"
