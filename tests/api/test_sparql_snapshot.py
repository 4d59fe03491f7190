"""The SPARQL workers answer from the store's current version: after a write, the next query sees it; the snapshot
of a new version is written once for every query waiting for it, and kept while a job may still load it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from api.config import Settings
from api.main import create_app
from api.sparql.snapshot import Snapshot
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


def marker(n: int) -> Graph:
    g = Graph()
    g.add((URIRef("urn:x-test:s"), URIRef("urn:x-test:p"), Literal(f"write {n}")))
    return g


def ask(n: int) -> str:
    return f'ASK {{ <urn:x-test:s> <urn:x-test:p> "write {n}" }}'


def test_queries_waiting_for_a_new_version_share_one_dump(fresh_store: Store, monkeypatch):
    dumps: list[float] = []
    real_dump = fresh_store.dump

    def slow_dump(fmt: str = "nquads") -> bytes:
        dumps.append(time.monotonic())
        time.sleep(0.5)  # a large store: every query that needs the new version arrives while this runs
        return real_dump(fmt)

    app = create_app(Settings(store="memory:", sparql_workers=2, sparql_cache_bytes=0,
                                  sparql_max_concurrent_per_client=16, rate_limit_per_minute=0), store=fresh_store)
    with TestClient(app) as client:
        assert client.get("/sparql", params={"query": ask(1)}, headers=JSON).json()["boolean"] is False
        monkeypatch.setattr(fresh_store, "dump", slow_dump)
        fresh_store.replace_graphs({"urn:x-test:graph": marker(1)}, version="test-write-1")
        answers: list[object] = []

        def query() -> None:
            r = client.get("/sparql", params={"query": ask(1)}, headers=JSON)
            answers.append(r.json()["boolean"] if r.status_code == 200 else r.status_code)

        threads = [threading.Thread(target=query) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert answers == [True] * 8, answers
        assert len(dumps) == 1, f"one dump of the new version for every waiting query, not {len(dumps)}"


def test_superseded_snapshot_stays_while_a_job_holds_it(fresh_store: Store, tmp_path: Path):
    snap = Snapshot(fresh_store, tmp_path)
    snap.write()
    version, held = snap.acquire()  # a job was sent with this snapshot and its worker has not loaded it yet
    for n in (1, 2):
        fresh_store.replace_graphs({"urn:x-test:graph": marker(n)}, version=f"test-write-{n}")
        snap.write()
    assert Path(held).exists(), "the snapshot a job holds outlives two later writes"
    assert snap.files() == sorted([Path(held).name, "test-write-2.nq"]), "unused superseded snapshots are deleted"
    snap.release(held)
    assert not Path(held).exists() and snap.files() == ["test-write-2.nq"]
    snap.close()


def test_readers_under_a_writer_never_fail_and_see_each_write(fresh_store: Store):
    """One writer writes back to back while readers query: every query is answered (no 503 because a snapshot was
    superseded), and the writer's own query after each write sees it (read-your-writes)."""
    app = create_app(Settings(store="memory:", sparql_workers=2, sparql_max_concurrent_per_client=16,
                                  rate_limit_per_minute=0), store=fresh_store)
    bad: list[str] = []
    done = threading.Event()
    with TestClient(app) as client:

        def reader(k: int) -> None:
            while not done.is_set():
                r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                               headers=JSON)
                if r.status_code != 200:
                    bad.append(f"reader {k}: {r.status_code} {r.text[:200]}")

        readers = [threading.Thread(target=reader, args=(k,)) for k in range(4)]
        for t in readers:
            t.start()
        try:
            for n in range(1, 9):
                fresh_store.replace_graphs({"urn:x-test:graph": marker(n)}, version=f"test-write-{n}")
                r = client.get("/sparql", params={"query": ask(n)}, headers=JSON)
                if r.status_code != 200 or r.json()["boolean"] is not True:
                    bad.append(f"write {n} not seen by the next query: {r.status_code} {r.text[:200]}")
        finally:
            done.set()
            for t in readers:
                t.join(60)
    assert not bad, bad[:5]
