"""The SPARQL 1.1 Service Description of the endpoint, returned to a GET without a query."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from api.sparql import negotiation as n
from kg import config

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")

_FORMAT_IRIS = {n.RESULTS_JSON: FORMATS.SPARQL_Results_JSON, n.RESULTS_XML: FORMATS.SPARQL_Results_XML,
                n.CSV: FORMATS.SPARQL_Results_CSV, n.TSV: FORMATS.SPARQL_Results_TSV, n.TURTLE: FORMATS.Turtle,
                n.NTRIPLES: FORMATS["N-Triples"], n.JSONLD: FORMATS["JSON-LD"], n.RDFXML: FORMATS.RDF_XML,
                n.TRIG: FORMATS.TriG, n.NQUADS: FORMATS["N-Quads"]}


def service_description(endpoint: str, named_graphs: list[str], allow_service: bool) -> Graph:
    """Describe the endpoint: language, result formats, the union default graph and the named graphs."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.bind("void", VOID)
    svc = URIRef(endpoint)
    g.add((svc, RDF.type, SD.Service))
    g.add((svc, SD.endpoint, svc))
    g.add((svc, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((svc, SD.feature, SD.UnionDefaultGraph))
    if allow_service:
        g.add((svc, SD.feature, SD.BasicFederatedQuery))
    for media in [*n.RESULT_TYPES, *n.GRAPH_TYPES]:
        g.add((svc, SD.resultFormat, _FORMAT_IRIS[media]))
    g.add((svc, DCTERMS.description, Literal(
        "Read-only SPARQL 1.1 endpoint of the egovkg knowledge graph; the default graph is the union of the named "
        "graphs. Queries have a deadline and a row cap (see the response headers); SPARQL Update is refused.",
        lang="en")))
    dataset = URIRef(config.base_iri() + "dataset")
    g.add((svc, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for name in sorted(named_graphs):
        ng = BNode()
        g.add((dataset, SD.namedGraph, ng))
        g.add((ng, RDF.type, SD.NamedGraph))
        g.add((ng, SD.name, URIRef(name)))
    return g
