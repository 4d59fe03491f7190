"""The /sparql result cache: a repeated query is answered from the API process with the very bytes and headers of
the first answer, a write (through the API or straight into the store) makes the next query see the new data, each
negotiated media type has its own entry, and the byte budget evicts the least recently used answers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from api.config import Settings
from api.main import create_app
from api.routers.sparql import CACHE_HEADER
from api.sparql.cache import Cached, ResultCache
from kg.store import Store

FIXTURES = Path(__file__).parents[1] / "ingest" / "fixtures"
TOKEN = "test-sparql-cache-token"
JSON = {"Accept": "application/sparql-results+json"}
XML = {"Accept": "application/sparql-results+xml"}
STUDIES = "SELECT ?s WHERE { ?s a <https://w3id.org/egovkg/ontology/Study> } ORDER BY ?s"
SHEET_KEY = "ana-2021"  # the study of tests/ingest/fixtures/sheet-comma.csv
VOLATILE = {"x-request-id", "date", CACHE_HEADER.lower()}


def make_client(store: Store, **settings: object) -> TestClient:
    base: dict[str, object] = {"store": "memory:", "sparql_workers": 1, "rate_limit_per_minute": 0,
                               "write_token": TOKEN}
    return TestClient(create_app(Settings(**{**base, **settings}), store=store))  # type: ignore[arg-type]


@pytest.fixture()
def client(fresh_store: Store) -> Iterator[TestClient]:
    with make_client(fresh_store) as c:
        yield c


def jobs(client: TestClient) -> int:
    """How many queries the worker pool has run so far."""
    return client.app.state.sparql.pool.jobs  # type: ignore[attr-defined]


def studies(r) -> list[str]:  # type: ignore[no-untyped-def]
    assert r.status_code == 200, r.text
    return [b["s"]["value"] for b in r.json()["results"]["bindings"]]


def test_hit_after_miss_is_the_same_answer_without_a_worker(client: TestClient):
    first = client.get("/sparql", params={"query": STUDIES}, headers=JSON)
    ran = jobs(client)
    second = client.get("/sparql", params={"query": STUDIES}, headers=JSON)
    assert first.status_code == second.status_code == 200
    assert first.headers[CACHE_HEADER] == "miss" and second.headers[CACHE_HEADER] == "hit"
    assert second.content == first.content, "a hit returns the bytes of the first answer"
    kept = {k: v for k, v in first.headers.items() if k not in VOLATILE}
    assert {k: v for k, v in second.headers.items() if k not in VOLATILE} == kept
    assert "x-sparql-rows" in kept and "content-type" in kept, kept
    assert jobs(client) == ran, "a hit is answered without a worker"
    assert len(studies(second)) >= 1


def test_post_form_and_get_share_an_entry(client: TestClient):
    client.get("/sparql", params={"query": STUDIES}, headers=JSON)
    r = client.post("/sparql", data={"query": STUDIES}, headers=JSON)
    assert r.headers[CACHE_HEADER] == "hit", "the same query, dataset and media type is one entry, whatever the method"


def test_write_through_the_api_is_seen_by_the_next_query(client: TestClient):
    before = studies(client.get("/sparql", params={"query": STUDIES}, headers=JSON))
    assert client.get("/sparql", params={"query": STUDIES}, headers=JSON).headers[CACHE_HEADER] == "hit"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    data = (FIXTURES / "sheet-comma.csv").read_bytes()
    w = client.post("/studies", headers=auth, files={"file": ("sheet.csv", data, "text/csv")})
    assert w.status_code == 201, w.text
    after = client.get("/sparql", params={"query": STUDIES}, headers=JSON)
    assert after.headers[CACHE_HEADER] == "miss", "the write made the cached answer stale"
    added = sorted(set(studies(after)) - set(before))
    assert len(added) == 1 and added[0].endswith("/" + SHEET_KEY), added
    d = client.delete(f"/studies/{SHEET_KEY}", headers=auth)
    assert d.status_code == 200, d.text
    assert studies(client.get("/sparql", params={"query": STUDIES}, headers=JSON)) == before


def test_write_straight_into_the_store_is_seen(client: TestClient, fresh_store: Store):
    """A write the API did not make (another server on a shared engine): the version is read from the store."""
    ask = 'ASK { <urn:x-test:s> <urn:x-test:p> "cached" }'
    assert client.get("/sparql", params={"query": ask}, headers=JSON).json()["boolean"] is False
    assert client.get("/sparql", params={"query": ask}, headers=JSON).headers[CACHE_HEADER] == "hit"
    g = Graph()
    g.add((URIRef("urn:x-test:s"), URIRef("urn:x-test:p"), Literal("cached")))
    fresh_store.replace_graphs({"urn:x-test:graph": g}, version="test-cache-write")
    r = client.get("/sparql", params={"query": ask}, headers=JSON)
    assert r.json()["boolean"] is True and r.headers[CACHE_HEADER] == "miss"


def test_each_media_type_has_its_own_entry(client: TestClient):
    as_json = client.get("/sparql", params={"query": STUDIES}, headers=JSON)
    as_xml = client.get("/sparql", params={"query": STUDIES}, headers=XML)
    assert as_xml.headers[CACHE_HEADER] == "miss", "XML is not the cached JSON"
    assert as_xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert as_xml.text.lstrip().startswith("<?xml") and as_json.json()["results"]
    again = client.get("/sparql", params={"query": STUDIES}, headers=XML)
    assert again.headers[CACHE_HEADER] == "hit" and again.content == as_xml.content
    # Another Accept header that negotiates the same types is the same entry.
    alias = client.get("/sparql", params={"query": STUDIES}, headers={"Accept": "application/json"})
    assert alias.headers[CACHE_HEADER] == "hit" and alias.content == as_json.content


def test_errors_are_not_kept(client: TestClient):
    bad = "SELECT ?s WHERE { ?s ?p }"
    assert client.get("/sparql", params={"query": bad}, headers=JSON).status_code == 400
    ran = jobs(client)
    assert client.get("/sparql", params={"query": bad}, headers=JSON).status_code == 400
    assert jobs(client) == ran + 1, "a refused query runs again (nothing was kept)"
    assert not client.app.state.sparql.cache.entries  # type: ignore[attr-defined]


def test_budget_evicts_least_recently_used(fresh_store: Store):
    with make_client(fresh_store, sparql_cache_bytes=64_000) as client:
        cache: ResultCache = client.app.state.sparql.cache  # type: ignore[attr-defined]
        queries = [f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {n}" for n in range(40, 60)]
        for q in queries:
            assert client.get("/sparql", params={"query": q}, headers=JSON).status_code == 200
        assert 0 < cache.bytes <= cache.max_bytes and cache.evictions > 0, (cache.bytes, cache.evictions)
        # Newest first: asking again for an evicted answer would evict the next oldest.
        states = [client.get("/sparql", params={"query": q}, headers=JSON).headers[CACHE_HEADER]
                  for q in reversed(queries)]
        assert states[0] == "hit" and states[-1] == "miss", states
        assert states == sorted(states), f"the most recently used answers were kept, the oldest evicted: {states}"


def test_cache_off(fresh_store: Store):
    with make_client(fresh_store, sparql_cache_bytes=0) as client:
        for _ in range(2):
            r = client.get("/sparql", params={"query": STUDIES}, headers=JSON)
            assert r.status_code == 200 and r.headers[CACHE_HEADER] == "off"
        assert jobs(client) >= 2


def entry(size: int) -> Cached:
    return Cached(b"x" * size, "text/csv", (("Vary", "Accept"),))


def test_lru_order_and_budget():
    cache = ResultCache(8 * (1000 + 600))
    keys = [("v1", f"q{i}", None, None, "text/csv", None, 10) for i in range(10)]
    for k in keys[:6]:
        assert cache.put(k, entry(1000))
    assert cache.get(keys[0]) is not None  # keys[0] is now the most recently used
    for k in keys[6:]:
        cache.put(k, entry(1000))
    assert cache.bytes <= cache.max_bytes
    assert cache.get(keys[0]) is not None, "the recently used entry stayed"
    assert cache.get(keys[1]) is None, "the least recently used entry went first"
    assert not cache.put(("v1", "big", None, None, "text/csv", None, 10), entry(cache.max_bytes)), \
        "an answer larger than a share of the budget is not kept"


def test_a_new_version_drops_older_entries():
    cache = ResultCache(1 << 20)
    old = ("v1", "q", None, None, "text/csv", None, 10)
    cache.get(old)
    cache.put(old, entry(10))
    new = ("v2", *old[1:])
    assert cache.get(new) is None and not cache.entries and cache.bytes == 0
    assert not cache.put(old, entry(10)), "an answer of a version older than one seen is not kept"


@pytest.mark.parametrize("cache_bytes, expected_jobs", [(1 << 20, 1), (0, 8)])
def test_concurrent_identical_queries_share_one_job(fresh_store: Store, cache_bytes: int, expected_jobs: int):
    """With the cache on, clients that ask the same query at once (as after a write) wait for one worker job; with
    it off, each runs its own."""
    with make_client(fresh_store, sparql_cache_bytes=cache_bytes, sparql_max_concurrent_per_client=16) as client:
        bodies: list[bytes] = []

        def ask() -> None:
            r = client.get("/sparql", params={"query": STUDIES}, headers=JSON)
            bodies.append(r.content if r.status_code == 200 else r.text.encode())

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(bodies) == 8 and len(set(bodies)) == 1 and bodies[0].startswith(b"{"), bodies[:2]
        assert jobs(client) == expected_jobs
