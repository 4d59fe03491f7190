"""No N+1: the number of store queries for one GraphQL request does not grow with the number of objects returned."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from kg.build import build_dataset, load_store
from kg.store import OxigraphStore, Store

EGOV = Namespace("https://w3id.org/egovkg/ontology/")
ID = "https://w3id.org/egovkg/id/"
SYNTHETIC = 110


def synthetic_study(i: int) -> Graph:
    """A study with two mentions (aligned to shipped concepts, with evidence), like the shipped ones."""
    g = Graph()
    s = URIRef(f"{ID}study/synthetic-{i:03d}")
    g.add((s, RDF.type, EGOV.Study))
    g.add((s, RDFS.label, Literal(f"Synthetic {i} (2020)", lang="en")))
    g.add((s, DCTERMS.issued, Literal("2020", datatype=XSD.gYear)))
    g.add((s, EGOV.country, URIRef(ID + "place/united-states")))
    g.add((s, EGOV.researchFocus, URIRef(ID + "focus/microblogging")))
    g.add((s, EGOV.purpose, URIRef(ID + "purpose/transparency")))
    for j, (dim, role, concept) in enumerate(
        (
            ("information", "internal-weakness", "information-security"),
            ("organizational-managerial", "internal-weakness", "funding"),
        )
    ):
        m = URIRef(f"{ID}mention/synthetic-{i:03d}.m{j}")
        e = URIRef(f"{ID}evidence/synthetic-{i:03d}.e{j}")
        g.add((s, EGOV.reportsFactor, m))
        for p, o in (
            (RDF.type, EGOV.FactorMention),
            (RDFS.label, Literal(f"Synthetic factor {j} of {i}", lang="en")),
            (EGOV.reportedIn, s),
            (EGOV.dimension, URIRef(f"{ID}dimension/{dim}")),
            (EGOV.role, URIRef(f"{ID}role/{role}")),
            (EGOV.concept, URIRef(f"{ID}concept/{concept}")),
            (EGOV.evidence, e),
        ):
            g.add((m, p, o))
        g.add((e, RDF.type, EGOV.Evidence))
        g.add((e, EGOV.quote, Literal(f"Quote {j} of study {i}.", lang="en")))
        g.add((e, EGOV.section, Literal("1")))
    return g


@pytest.fixture(scope="module")
def big_store() -> Store:
    """The shipped KG plus synthetic studies, so that every list below has more than 100 objects."""
    store = load_store(OxigraphStore(), build_dataset(validate=False))
    store.replace_graphs(
        {f"https://w3id.org/egovkg/graph/study/synthetic-{i:03d}": synthetic_study(i) for i in range(SYNTHETIC)},
        version="synthetic",
    )
    return store


QUERIES = {
    "studies": """query($n: Int, $f: StudyFilter) { studies(first: $n, filter: $f) { totalCount edges { cursor node {
        iri label year countries { label regions { label } } researchFocus { label } purposes { label }
        mentions { label dimension { label } role { label polarity { label } } polarity { label }
                   evidence { quote section } concepts { label broader { label } narrower { label } } } } } } }""",
    "mentions": """query($n: Int, $f: MentionFilter) { mentions(first: $n, filter: $f) { totalCount nodes { iri label
        study { label countries { label } } dimension { label } role { label } concepts { label narrower { label } }
        evidence { quote } recommendations { label } relations { relationType { label } } } } }""",
    "concepts": """query($n: Int, $f: ConceptFilter) { concepts(first: $n, filter: $f) { totalCount nodes { label
        mentions { label study { label } } studies { label } } } }""",
}
UNIFORM = {"studies": {"text": "Synthetic"}, "mentions": {"text": "Synthetic factor"}, "concepts": None}
RELATION_FIELDS = {"studies": 13, "mentions": 11, "concepts": 4}
"""How many relation fields each query selects: a request needs at most about one batch per relation field and
level, whatever the number of objects."""


def count(
    client: TestClient, store: Store, query: str, n: int, flt: dict[str, Any] | None
) -> tuple[int, dict[str, Any]]:
    before = store.query_count
    r = client.post("/graphql", json={"query": query, "variables": {"n": n, "f": flt}})
    body = r.json()
    assert r.status_code == 200 and "errors" not in body, body
    return store.query_count - before, body["data"]


def page_len(conn: dict[str, Any]) -> int:
    return len(conn.get("edges") or conn.get("nodes") or [])


@pytest.mark.parametrize("name", ["studies", "mentions"])
def test_same_store_queries_for_1_and_100_objects(name: str, big_store: Store, gql_app_factory) -> None:
    """Objects of the same shape: exactly as many store queries for 100 of them as for 1 (each request reads its
    list: the kept sorted lists would spare the second one that query)."""
    app = gql_app_factory(
        big_store, graphql_cache_enabled=False, graphql_max_page_size=100, graphql_list_cache_items=0
    )
    with TestClient(app) as c:
        one, d1 = count(c, big_store, QUERIES[name], 1, UNIFORM[name])
        many, d100 = count(c, big_store, QUERIES[name], 100, UNIFORM[name])
    assert (page_len(d1[name]), page_len(d100[name])) == (1, 100)
    assert many == one, f"{name}: {one} store queries for 1 object but {many} for 100"


@pytest.mark.parametrize("name", list(QUERIES))
def test_store_queries_bounded_on_mixed_real_data(name: str, big_store: Store, gql_app_factory) -> None:
    """The shipped data (all shapes) plus synthetic studies: a bound set by the query, not by the object count."""
    bound = 2 + 2 * RELATION_FIELDS[name]
    with TestClient(gql_app_factory(big_store, graphql_cache_enabled=False, graphql_max_page_size=100)) as c:
        counts = {}
        for n in (1, 10, 100):
            counts[n], data = count(c, big_store, QUERIES[name], n, None)
            assert page_len(data[name]) == min(n, data[name]["totalCount"])
    assert max(counts.values()) <= bound, f"{name}: store queries per request {counts}, bound {bound}"


def test_the_synthetic_data_is_there(big_store: Store, gql_app_factory) -> None:
    with TestClient(gql_app_factory(big_store, graphql_cache_enabled=False)) as c:
        d = c.post(
            "/graphql",
            json={
                "query": "{ studies { totalCount } mentions { totalCount } "
                'concept(iri: "funding") { mentions { iri } } }'
            },
        ).json()["data"]
    assert d["studies"]["totalCount"] == 17 + SYNTHETIC and d["mentions"]["totalCount"] == 97 + 2 * SYNTHETIC
    assert len(d["concept"]["mentions"]) > SYNTHETIC


def test_compare_is_bounded_by_the_request(big_store: Store, gql_app_factory) -> None:
    """With 110 more Western studies behind the same concepts, the flagship comparison still returns ten members a
    side (the counts say how many there are) and runs the same few store queries."""
    from pathlib import Path

    query = (Path(__file__).resolve().parents[2] / "api/examples/compare_china_west.graphql").read_text()
    with TestClient(gql_app_factory(big_store, graphql_cache_enabled=False)) as c:
        queries, data = count(c, big_store, query, 0, None)
    sides = [e["b"] for e in data["compare"]["both"]]
    big = [s for s in sides if s["mentionCount"] > SYNTHETIC]
    assert big, "the synthetic studies add mentions to some shared concept"
    assert all(len(s["mentions"]) == min(10, s["mentionCount"]) for s in sides), "ten mentions a side at most"
    assert all(len(s["studies"]) == min(10, s["studyCount"]) for s in sides), "ten studies a side at most"
    assert queries <= 8, f"{queries} store queries for one comparison"
