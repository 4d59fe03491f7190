"""GraphQL over HTTP: media types, GET and POST, status codes, APQ, ETag/304, the response cache, limits, masking,
GraphiQL."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.build import build_dataset, load_store
from kg.store import OxigraphStore, Store

HELLO = "{ dimensions { label } }"
TRACE = re.compile(r"Traceback|File \"|\.py\b|/work/|site-packages", re.I)


def no_trace(r: Any) -> None:
    assert not TRACE.search(r.text), f"response leaks internals: {r.text[:500]}"


def sha(q: str) -> str:
    return hashlib.sha256(q.encode()).hexdigest()


# -- media types, GET and POST ------------------------------------------------------------------------------------


def test_post_json_answers_application_json(gql_client: TestClient) -> None:
    r = gql_client.post("/graphql", json={"query": HELLO})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert [d["label"] for d in r.json()["data"]["dimensions"]][0] == "Social and economic"


def test_graphql_response_json_when_accepted(gql_client: TestClient) -> None:
    r = gql_client.post(
        "/graphql",
        json={"query": HELLO},
        headers={"Accept": "application/graphql-response+json, application/json;q=0.9"},
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/graphql-response+json")
    r = gql_client.get("/graphql", params={"query": HELLO}, headers={"Accept": "application/graphql-response+json"})
    assert r.headers["content-type"].startswith("application/graphql-response+json")


def test_get_with_variables_and_operation_name(gql_client: TestClient) -> None:
    q = "query A($k: String!) { study(iri: $k) { year } } query B { roles { label } }"
    r = gql_client.get(
        "/graphql", params={"query": q, "operationName": "A", "variables": json.dumps({"k": "zheng-2013"})}
    )
    assert r.status_code == 200 and r.json() == {"data": {"study": {"year": 2013}}}


def test_post_application_graphql_body(gql_client: TestClient) -> None:
    r = gql_client.post("/graphql", content=HELLO, headers={"Content-Type": "application/graphql"})
    assert r.status_code == 200 and len(r.json()["data"]["dimensions"]) == 5


def test_mutation_over_get_is_405_with_allow(gql_client: TestClient) -> None:
    r = gql_client.get("/graphql", params={"query": 'mutation { addStudy(key: "x") }'})
    assert r.status_code == 405 and r.headers["allow"] == "POST", r.text
    assert "GET" in r.json()["errors"][0]["message"]


def test_unknown_mutation_over_post_is_a_validation_error(gql_client: TestClient) -> None:
    r = gql_client.post("/graphql", json={"query": "mutation { noSuchMutation }"})
    assert r.status_code == 400 and "noSuchMutation" in r.json()["errors"][0]["message"], r.text


def test_other_methods_are_405_with_allow(gql_client: TestClient) -> None:
    r = gql_client.put("/graphql", json={"query": HELLO})
    assert r.status_code == 405 and set(r.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b'{"query": "{ roles { label } }"'])
def test_unparseable_json_is_400(gql_client: TestClient, body: bytes) -> None:
    r = gql_client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "JSON" in r.json()["errors"][0]["message"]
    no_trace(r)


def test_batching_is_off(gql_client: TestClient) -> None:
    r = gql_client.post("/graphql", json=[{"query": HELLO}, {"query": HELLO}])
    assert r.status_code == 400 and "batch" in r.json()["errors"][0]["message"]


def test_no_query_is_400(gql_client: TestClient) -> None:
    r = gql_client.post("/graphql", json={"variables": {}})
    assert r.status_code == 400 and "query" in r.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        ('{ study(iri: "zheng-2013") { nosuchfield } }', None, "Cannot query field 'nosuchfield'"),
        ("{ studies { totalCount ", None, "Syntax Error"),
        ("query($n: Int) { studies(first: $n) { totalCount } }", {"n": "many"}, "Int cannot represent"),
        ("query($k: String!) { study(iri: $k) { iri } }", {}, "to be provided"),
    ],
    ids=["unknown-field", "syntax", "variable-type", "missing-variable"],
)
def test_validation_and_coercion_errors_are_4xx_with_message(gql_client: TestClient, query, variables, message) -> None:
    for accept in ("application/json", "application/graphql-response+json"):
        r = gql_client.post("/graphql", json={"query": query, "variables": variables}, headers={"Accept": accept})
        assert r.status_code == 400, f"{accept}: {r.status_code} {r.text}"
        assert message in r.json()["errors"][0]["message"], r.text
        assert "data" not in r.json(), "a request error has no data"
        no_trace(r)


# -- limits -------------------------------------------------------------------------------------------------------


def limited(gql_app_factory, gql_store: Store, **settings: Any) -> TestClient:
    return TestClient(gql_app_factory(gql_store, graphql_cache_enabled=False, **settings))


def test_depth_limit(gql_app_factory, gql_store: Store) -> None:
    deep = '{ study(iri: "zheng-2013") { reviews { reviews { reviews { reviews { reviews { iri } } } } } } }'
    with limited(gql_app_factory, gql_store, graphql_max_depth=4) as c:
        r = c.post("/graphql", json={"query": deep})
        assert r.status_code == 400 and "exceeds maximum operation depth of 4" in r.json()["errors"][0]["message"], (
            r.text
        )
        no_trace(r)
        assert c.post("/graphql", json={"query": '{ study(iri: "zheng-2013") { reviews { iri } } }'}).status_code == 200


def test_alias_limit_including_fragments(gql_app_factory, gql_store: Store) -> None:
    with limited(gql_app_factory, gql_store, graphql_max_aliases=3) as c:
        many = "{ " + " ".join(f"a{i}: roles {{ label }}" for i in range(4)) + " }"
        r = c.post("/graphql", json={"query": many})
        assert r.status_code == 400 and "aliases" in r.json()["errors"][0]["message"], r.text
        via_fragment = "{ ...F } fragment F on Query { " + " ".join(f"a{i}: roles {{ label }}" for i in range(4)) + " }"
        r = c.post("/graphql", json={"query": via_fragment})
        assert r.status_code == 400 and "aliases" in r.json()["errors"][0]["message"], r.text
        no_trace(r)


def test_token_limit(gql_app_factory, gql_store: Store) -> None:
    with limited(gql_app_factory, gql_store, graphql_max_tokens=50) as c:
        big = "{ " + " ".join("roles { label }" for _ in range(20)) + " }"
        r = c.post("/graphql", json={"query": big})
        assert r.status_code == 400 and "tokens" in r.json()["errors"][0]["message"], r.text
        r = c.get("/graphql", params={"query": big})
        assert r.status_code == 400 and "tokens" in r.json()["errors"][0]["message"], r.text
        no_trace(r)


def test_page_size_limit(gql_app_factory, gql_store: Store) -> None:
    with limited(gql_app_factory, gql_store, graphql_max_page_size=10) as c:
        for q, v in (
            ("{ mentions(first: 11) { totalCount } }", None),
            ("query($n: Int) { studies(last: $n) { totalCount } }", {"n": 500}),
        ):
            r = c.post("/graphql", json={"query": q, "variables": v})
            assert r.status_code == 400 and "maximum page size of 10" in r.json()["errors"][0]["message"], r.text
            no_trace(r)
        d = c.post("/graphql", json={"query": "{ mentions { totalCount nodes { iri } } }"}).json()["data"]["mentions"]
        assert d["totalCount"] == 97 and len(d["nodes"]) == 20, "the default page size applies when none is given"


class BrokenStore(OxigraphStore):
    """A store whose describe query fails with an internal message (a path a client must not see)."""

    def query(self, sparql: str, bindings: Any = None, **kw: Any) -> Any:
        if "?s ?p ?o" in sparql:
            raise RuntimeError("disk error in /var/lib/egovkg/secret/store.db")
        return super().query(sparql, bindings, **kw)


def test_resolver_errors_are_masked(gql_app_factory) -> None:
    store = load_store(BrokenStore(), build_dataset(validate=False))
    with TestClient(gql_app_factory(store, graphql_cache_enabled=False)) as c:
        r = c.post("/graphql", json={"query": '{ study(iri: "zheng-2013") { iri } roles: polarities { label } }'})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["errors"][0]["message"] == "Internal error." and body["errors"][0]["path"] == ["study"]
        assert "secret" not in r.text and "RuntimeError" not in r.text
        no_trace(r)


def test_user_errors_are_readable(gql_client: TestClient) -> None:
    r = gql_client.post(
        "/graphql", json={"query": '{ compare(a: {}, b: {place: "western"}) { onlyA { concept { iri } } } }'}
    )
    assert "needs at least one criterion" in r.json()["errors"][0]["message"], r.text
    r = gql_client.post("/graphql", json={"query": '{ studies(after: "bm9wZQ==") { totalCount } }'})
    assert "invalid cursor" in r.json()["errors"][0]["message"], r.text


# -- persisted queries, ETag, response cache ----------------------------------------------------------------------


def test_automatic_persisted_queries(gql_app_factory, gql_store: Store) -> None:
    q = "{ roles { label } }"
    ext = lambda h: json.dumps({"persistedQuery": {"version": 1, "sha256Hash": h}})  # noqa: E731
    with TestClient(gql_app_factory(gql_store)) as c:
        r = c.get("/graphql", params={"extensions": ext(sha(q))})
        assert r.status_code == 200 and r.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        r = c.post(
            "/graphql", json={"query": q, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha(q)}}}
        )
        assert r.status_code == 200 and len(r.json()["data"]["roles"]) == 5
        r = c.get("/graphql", params={"extensions": ext(sha(q))})
        assert r.status_code == 200 and len(r.json()["data"]["roles"]) == 5, "the short GET URL now works"
        r = c.post(
            "/graphql", json={"query": q, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
        )
        assert r.status_code == 400 and "does not match" in r.json()["errors"][0]["message"]
        r = c.get("/graphql", params={"extensions": json.dumps({"persistedQuery": {"version": 2, "sha256Hash": "x"}})})
        assert r.status_code == 400


def test_etag_and_if_none_match(gql_app_factory) -> None:
    store = load_store(OxigraphStore(), build_dataset(validate=False))
    with TestClient(gql_app_factory(store)) as c:
        r = c.get("/graphql", params={"query": HELLO})
        tag = r.headers["etag"]
        assert r.status_code == 200 and store.version() in tag
        before = store.query_count
        r2 = c.get("/graphql", params={"query": HELLO}, headers={"If-None-Match": tag})
        assert r2.status_code == 304 and r2.headers["etag"] == tag and r2.content == b""
        assert store.query_count - before == 1, "a 304 costs one version lookup, no execution"
        other = c.get("/graphql", params={"query": "{ roles { label } }"}).headers["etag"]
        assert other != tag, "another query has another ETag"
        store.replace_graphs({"urn:test:g": Graph()}, version="v-after-write")
        r3 = c.get("/graphql", params={"query": HELLO}, headers={"If-None-Match": tag})
        assert r3.status_code == 200 and r3.headers["etag"] != tag and "v-after-write" in r3.headers["etag"]


def test_response_cache_skips_execution_and_is_invalidated_by_writes(gql_app_factory) -> None:
    store = load_store(OxigraphStore(), build_dataset(validate=False))
    q = '{ studies(filter: {text: "Synthetic"}) { totalCount nodes { label } } }'
    with TestClient(gql_app_factory(store, graphql_response_cache_size=2)) as c:
        first = c.post("/graphql", json={"query": q}).json()
        assert first["data"]["studies"]["totalCount"] == 0
        before = store.query_count
        assert c.post("/graphql", json={"query": q}).json() == first
        assert store.query_count - before == 1, "a cache hit runs only the version lookup"
        svc = c.app.state.graphql
        assert svc.cache.hits >= 1
        g = Graph()
        s = URIRef("https://w3id.org/egovkg/id/study/synthetic-1")
        g.add((s, RDF.type, URIRef("https://w3id.org/egovkg/ontology/Study")))
        g.add((s, RDFS.label, Literal("Synthetic (2024)")))
        store.replace_graphs({"https://w3id.org/egovkg/graph/study/synthetic-1": g}, version="v2")
        after = c.post("/graphql", json={"query": q}).json()
        assert after["data"]["studies"]["totalCount"] == 1, "a write invalidates the cached response"
        for i in range(5):  # bounded: at most 2 entries
            c.post("/graphql", json={"query": "{ roles { label } }", "variables": {"i": i}})
        assert len(svc.cache) <= 2


def test_sparql_extension_on_request_only(gql_client: TestClient) -> None:
    q = '{ compare(a: {studies: ["zheng-2013"]}, b: {place: "western"}) { onlyA { concept { iri } } } }'
    plain = gql_client.post("/graphql", json={"query": q}).json()
    assert "extensions" not in plain
    ext = gql_client.post("/graphql", json={"query": q, "extensions": {"sparql": True}}).json()["extensions"]["sparql"]
    assert any("SELECT ?concept ?side" in e["query"] for e in ext), ext


# -- GraphiQL ---------------------------------------------------------------------------------------------------


def test_graphiql_is_served_locally(gql_client: TestClient) -> None:
    r = gql_client.get("/graphql", headers={"Accept": "text/html,application/xhtml+xml"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    srcs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert srcs and all(s.startswith("/graphql/static/") for s in srcs), f"everything from the package: {srcs}"
    assert "<script>" not in r.text, "no inline script (CSP)"
    for s in srcs:
        f = gql_client.get(s)
        assert f.status_code == 200 and len(f.content) > 10, s
        assert not re.search(rb"https://(unpkg|cdn\.jsdelivr|esm\.sh|cdnjs)", f.content), f"{s} loads from a CDN"
    assert gql_client.get("/graphql/static/../config.py").status_code == 404


def test_mutations_plug_in_and_are_never_cached(gql_app_factory, gql_store: Store, monkeypatch) -> None:
    """A write feature adds its Mutation class to MUTATION_TYPES; its answers never come from the response cache,
    and the context carries the request (for the Authorization header)."""
    import strawberry

    from api.graphql import schema

    calls: list[str | None] = []

    @strawberry.type
    class CounterMutation:
        @strawberry.mutation
        def bump(self, info: strawberry.Info) -> int:
            calls.append(info.context.request.headers.get("x-test"))
            return len(calls)

    monkeypatch.setattr(schema, "MUTATION_TYPES", [*schema.MUTATION_TYPES, CounterMutation])
    with TestClient(gql_app_factory(gql_store)) as c:
        for n in (1, 2):
            r = c.post("/graphql", json={"query": "mutation { bump }"}, headers={"X-Test": "t"})
            assert r.status_code == 200 and r.json() == {"data": {"bump": n}}, r.text
        assert calls == ["t", "t"], "each mutation executed, none answered from the cache"
        assert c.get("/graphql", params={"query": "mutation { bump }"}).status_code == 405


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"query": "query A { roles { label } } query B { polarities { label } }"}, "name one with `operationName`"),
        ({"query": "query A { roles { label } }", "operationName": "Z"}, "no operation named 'Z'"),
    ],
    ids=["ambiguous", "unknown-operation"],
)
def test_operation_selection_errors_are_400(gql_client: TestClient, params: dict[str, str], message: str) -> None:
    r = gql_client.post("/graphql", json=params)
    assert r.status_code == 400 and message in r.json()["errors"][0]["message"], r.text


@pytest.mark.parametrize(
    "query",
    [
        '{ studies(filter: {place: "a\\nb"}) { totalCount } }',
        '{ mentions(filter: {dimension: "x y"}) { totalCount } }',
        '{ concepts(filter: {role: "<bad>"}) { totalCount } }',
        '{ table2(study: "a\\u0001b") { columns } }',
        '{ compare(a: {studies: ["zheng 2013"]}, b: {place: "western"}) { onlyA { strength } } }',
        '{ compare(a: {place: "a\\tb"}, b: {place: "western"}) { onlyA { strength } } }',
        '{ study(iri: "zheng-2013") { mentions(dimension: "a b") { iri } } }',
        '{ evidence(filter: {study: "x\\ny"}) { totalCount } }',
    ],
    ids=["place", "dimension", "role", "table2", "compare-studies", "compare-place", "field-arg", "item-study"],
)
def test_malformed_keys_get_readable_errors(gql_client: TestClient, query: str) -> None:
    r = gql_client.post("/graphql", json={"query": query})
    message = r.json()["errors"][0]["message"]
    assert message != "Internal error." and ("not a valid" in message or "invalid" in message), r.text
    no_trace(r)


def test_response_cache_is_bounded_in_bytes_too() -> None:
    from api.graphql.cache import ResponseCache

    cache = ResponseCache(maxsize=100, max_bytes=8_000)
    for i in range(10):
        cache.put(f"k{i}", "v1", 200, b"x" * 900)
    assert cache.size_bytes <= 8_000 and len(cache) == 8, (cache.size_bytes, len(cache))
    assert cache.get("k0", "v1") is None and cache.get("k9", "v1") == (200, b"x" * 900), "least recently used go first"
    cache.put("huge", "v1", 200, b"x" * 2_000)
    assert cache.get("huge", "v1") is None, "an answer above an eighth of the budget is not cached"
    assert cache.get("k9", "v2") is None and cache.size_bytes == 0, "a new dataset version empties the cache"


def test_the_service_reads_the_same_version_as_the_store(gql_app_factory) -> None:
    store = load_store(OxigraphStore(), build_dataset(validate=False))
    with TestClient(gql_app_factory(store)) as c:
        c.post("/graphql", json={"query": HELLO})
        svc = c.app.state.graphql
        assert svc.version() == store.version() != "empty"
        store.replace_graphs({"urn:test:g": Graph()}, version="v-next")
        assert svc.version() == store.version() == "v-next"
    assert type(svc)(OxigraphStore(), svc.settings).version() == OxigraphStore().version() == "empty"
