"""A deployment whose base IRI is the server itself (``EGOVKG_BASE_IRI``): the KG's IRIs, as SPARQL returns them,
dereference directly; and ``EGOVKG_PUBLIC_URL`` names the server in the service description and VoID."""

from __future__ import annotations

import io
import socket

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.query import Result

pytestmark = pytest.mark.server
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


def test_iris_under_a_configured_base_dereference_on_the_server(server_factory):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    public = "https://egovkg.example.org"
    server = server_factory(port=port, base_iri=base, public_url=public)
    q = "SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) } ORDER BY ?s LIMIT 50"
    r = server.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    iris = [str(row["s"]) for row in Result.parse(io.BytesIO(r.content), format="json")]  # type: ignore[index]
    assert iris and all(i.startswith(base) for i in iris), f"the KG's IRIs use the configured base: {iris[:3]}"
    for iri in iris[:10]:
        got = httpx.get(iri, headers={"Accept": "text/turtle"}, timeout=30)
        assert got.status_code == 200, f"{iri} should dereference: {got.status_code}"
        g = Graph().parse(data=got.content, format="turtle")
        assert any(True for _ in g.triples((URIRef(iri), None, None))), f"{iri}: its description"
    sd = Graph().parse(data=server.get("/sparql", headers={"Accept": "text/turtle"}).content, format="turtle")
    assert (URIRef(public + "/sparql"), SD.endpoint, URIRef(public + "/sparql")) in sd, "SD names the public URL"
    void = Graph().parse(data=server.get("/.well-known/void").content, format="turtle")
    assert void.value(URIRef(base + "dataset"), VOID.sparqlEndpoint) == URIRef(public + "/sparql")
    assert void.value(URIRef(base + "dataset"), VOID.uriSpace).startswith(base)
    assert httpx.get(base + "dataset", headers={"Accept": "text/turtle"}).status_code == 200, "the dataset IRI"
