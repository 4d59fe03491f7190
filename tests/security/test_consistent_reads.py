"""A GraphQL query that a write overtakes is run again, so that it never shows half of a study (found by the load
test with a writer: a study with 0 of its 4 mentions)."""

from __future__ import annotations

from apps import router_app
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.routers import graphql
from kg.build import load_store
from kg.store import OxigraphStore


class MovingStore(OxigraphStore):
    """A store whose version moves once while the first execution runs (as if a write had committed)."""

    def __init__(self) -> None:
        super().__init__()
        self.versions = iter(["v1", "v2"])
        self.last = "v1"

    def version(self) -> str:
        self.last = next(self.versions, self.last)
        return self.last


def test_query_runs_again_when_a_write_lands_during_execution(built_kg, monkeypatch):
    store = load_store(MovingStore(), built_kg)
    store.versions = iter(["v1", "v2"])  # loading asked for versions too: start over
    app = router_app(store, graphql.router, graphql_cache_enabled=False)
    runs = []
    with TestClient(app) as c:
        svc = graphql.service(_request(app))
        real = svc.schema.execute

        async def counting(*a, **kw):
            runs.append(store.last)
            return await real(*a, **kw)

        monkeypatch.setattr(svc.schema, "execute", counting)
        r = c.post("/graphql", json={"query": '{ study(iri: "zheng-2013") { iri } }'})
    assert r.status_code == 200 and r.json()["data"]["study"]["iri"].endswith("zheng-2013"), r.text
    assert runs == ["v1", "v2"], "executed again after the version moved, once: the second run saw no change"


def test_mutation_never_runs_twice(built_kg, monkeypatch):
    store = load_store(MovingStore(), built_kg)
    store.versions = iter(["v1", "v2", "v3"])
    app = router_app(store, graphql.router, graphql_cache_enabled=False, write_token=None)
    runs = []
    with TestClient(app) as c:
        svc = graphql.service(_request(app))
        real = svc.schema.execute

        async def counting(*a, **kw):
            runs.append(1)
            return await real(*a, **kw)

        monkeypatch.setattr(svc.schema, "execute", counting)
        q = 'mutation { validateStudy(file: {filename: "x.csv", content: "x"}) { conforms } }'
        c.post("/graphql", json={"query": q})
    assert runs == [1], "a mutation runs once, whatever happens to the version"


def _request(app: FastAPI):
    """A bare request object bound to ``app`` (what ``graphql.service`` reads)."""
    from starlette.requests import Request

    return Request({"type": "http", "app": app, "headers": [], "method": "GET", "path": "/"})


SHEET = "tests/ingest/fixtures/sheet-comma.csv"
READS = ["/compare?a_place=china&b_place=western", "/network", "/network.json", "/", "/tables/1", "/tables/2",
         "/id/study/ana-2021", "/id/study/zheng-2013"]
PROBE = '{ study(iri: "ana-2021") { iri mentions { iri } } }'


def test_reads_during_writes_see_a_whole_study_or_none(make_client):
    """A writer adds and removes a study while readers load the pages and ask GraphQL for it: no 5xx, and GraphQL
    sees the study with all its mentions or not at all."""
    import threading
    import time
    from pathlib import Path

    data = (Path(__file__).resolve().parents[2] / SHEET).read_bytes()
    auth = {"Authorization": "Bearer w"}
    with make_client(write_token="w") as c:
        r = c.post("/studies", files={"file": ("s.csv", data, "text/csv")}, headers=auth)
        assert r.status_code == 201, r.text
        whole = len(c.post("/graphql", json={"query": PROBE}).json()["data"]["study"]["mentions"])
        assert whole > 0 and c.delete("/studies/ana-2021", headers=auth).status_code == 200
        stop = time.monotonic() + 8
        bad: list[str] = []
        writes = [0]

        def writer() -> None:
            while time.monotonic() < stop:
                c.post("/studies", files={"file": ("s.csv", data, "text/csv")}, headers=auth)
                c.delete("/studies/ana-2021", headers=auth)
                writes[0] += 1

        def reader(offset: int) -> None:
            i = offset
            while time.monotonic() < stop:
                path = READS[i % len(READS)]
                i += 1
                r = c.get(path, headers={"Accept": "text/html"})
                if r.status_code >= 500:
                    bad.append(f"{path}: {r.status_code}")
                g = c.post("/graphql", json={"query": PROBE}).json()
                study = (g.get("data") or {}).get("study")
                if g.get("errors") or (study is not None and len(study["mentions"]) != whole):
                    bad.append(f"GraphQL: {g}")

        threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader, args=(k,)) for k in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert writes[0] >= 2, "the writer got to write while the readers read"
    assert not bad, bad[:5]


def test_sparql_snapshots_outlive_two_writes(built_kg, tmp_path):
    """A job queued with a snapshot still finds it after two more writes (workers died on the missing file)."""
    from pathlib import Path

    from api.sparql.pool import Snapshot

    store = load_store(MovingStore(), built_kg)
    store.versions = iter(["v1", "v2", "v3"])
    snap = Snapshot(store, tmp_path)
    paths = [snap.current()[1] for _ in range(3)]
    assert [Path(p).name for p in paths] == ["v1.nq", "v2.nq", "v3.nq"]
    assert all(Path(p).exists() for p in paths), "a queued job's snapshot is still there"
