"""Stateless API servers: two ``egovkg serve`` processes (one with two workers) over one ``oxigraph serve`` give the
same answers, and a write through one is seen by the other at once (caches are keyed by the dataset version)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kg import bulk, synth
from kg.build import Built

from .conftest import OxigraphServer, free_port, stop

TOKEN = "two-servers-test-token"
STUDIES_QUERY = "{ studies { totalCount } }"


@dataclass
class Api:
    """A running ``egovkg serve``."""

    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def health(self) -> dict:
        # A new connection each time, so that requests reach different worker processes.
        return httpx.get(self.url + "/health", timeout=30).json()

    def graphql(self, query: str) -> dict:
        r = httpx.get(self.url + "/graphql", params={"query": query}, timeout=60)
        assert r.status_code == 200, f"{r.status_code} {r.text[:500]}"
        return r.json()

    def ask(self, sparql: str) -> bool:
        r = httpx.get(
            self.url + "/sparql",
            params={"query": sparql},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        assert r.status_code == 200, f"{r.status_code} {r.text[:500]}"
        return bool(r.json()["boolean"])


def serve(workdir: Path, spec: str, workers: int) -> Api:
    """Start ``egovkg serve --store SPEC --workers N`` on a free port; wait for /health."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVKG_")}
    env["EGOVKG_WRITE_TOKEN"] = TOKEN
    log = workdir / f"serve-{port}.log"
    egovkg = Path(sys.executable).parent / "egovkg"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(egovkg), "serve", "--store", spec, "--port", str(port), "--workers", str(workers)],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    api = Api(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"server exited: {log.read_text()[-3000:]}"
        try:
            if httpx.get(api.url + "/health", timeout=2).status_code == 200:
                return api
        except httpx.HTTPError:
            time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"egovkg serve did not start: {log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def servers(
    built: Built, oxigraph_server: OxigraphServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Api, Api]]:
    """Server A (two workers) and server B (one) over the same Oxigraph server holding the shipped KG."""
    bulk.load(oxigraph_server.store(), built)
    work = tmp_path_factory.mktemp("two-servers")
    a = serve(work, oxigraph_server.spec, workers=2)
    b = serve(work, oxigraph_server.spec, workers=1)
    yield a, b
    stop(a.proc)
    stop(b.proc)


def new_study(tmp_path: Path) -> tuple[str, bytes]:
    """A synthetic study that refers only to shipped places and real concepts."""
    syn = synth.Synthesizer(50, seed=99, tail_share=0.0)
    for i in range(1, 51):
        key, text = syn.study_ttl(i)
        if any(f"egov:country place:{p} " in text for p in synth.SHIPPED_PLACES):
            return key, text.encode("utf-8")
    raise AssertionError("no synthetic study in a shipped place")


def test_two_servers_agree_and_see_each_others_writes(servers: tuple[Api, Api], tmp_path: Path) -> None:
    a, b = servers
    before = b.health()["version"]
    assert all(a.health()["version"] == before for _ in range(4)), "every worker of A reads the same engine"
    n0 = b.graphql(STUDIES_QUERY)["data"]["studies"]["totalCount"]
    assert a.graphql(STUDIES_QUERY) == b.graphql(STUDIES_QUERY), "same question, same answer on both servers"
    key, ttl = new_study(tmp_path)
    ask = f"ASK {{ <https://w3id.org/egovkg/id/study/{key}> a <https://w3id.org/egovkg/ontology/Study> }}"
    assert not b.ask(ask)

    r = httpx.put(
        f"{a.url}/studies/{key}",
        params={"filename": f"{key}.ttl"},
        content=ttl,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"},
        timeout=120,
    )
    assert r.status_code in (200, 201), f"write through A refused: {r.status_code} {r.text[:2000]}"
    after = r.headers.get("X-Dataset-Version")

    assert b.health()["version"] == after != before, "B sees the version A's write made"
    assert b.graphql(STUDIES_QUERY)["data"]["studies"]["totalCount"] == n0 + 1, (
        "B's GraphQL answer (response cache keyed by version) includes the new study"
    )
    assert b.ask(ask), "B's SPARQL endpoint sees the new study"
    assert all(a.health()["version"] == after for _ in range(4)), "every worker of A sees its own write"
