"""The SPARQL workers answer from the store's current version: after a write, the next query sees it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from api.config import Settings
from api.main import create_app
from kg.store import Store

JSON = {"Accept": "application/sparql-results+json"}
ASK = 'ASK { <urn:x-test:s> <urn:x-test:p> "written" }'


def test_workers_see_a_write(fresh_store: Store):
    app = create_app(Settings(store="memory:", sparql_workers=1), store=fresh_store)
    with TestClient(app) as client:
        before = client.get("/sparql", params={"query": ASK}, headers=JSON)
        assert before.status_code == 200 and before.json()["boolean"] is False
        g = Graph()
        g.add((URIRef("urn:x-test:s"), URIRef("urn:x-test:p"), Literal("written")))
        fresh_store.replace_graphs({"urn:x-test:graph": g}, version="test-write")
        after = client.get("/sparql", params={"query": ASK}, headers=JSON)
        assert after.json()["boolean"] is True, "the worker should reload the snapshot of the new version"
