"""The real server process: ``egovkg serve`` on a free port, queried over HTTP like a portal would."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.server

EGOVKG = Path(sys.executable).with_name("egovkg")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``egovkg serve --port <free> --store oxigraph:<tmp>`` (the README's main job on a fresh store): its base URL
    and the file its standard output and error go to."""
    assert EGOVKG.is_file(), f"{EGOVKG} not installed: pip install -e ."
    tmp = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {**os.environ, "EGOVKG_GRAPHQL_CACHE_ENABLED": "true"}
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen(
        [str(EGOVKG), "serve", "--port", str(port), "--store", f"oxigraph:{tmp / 'store'}"],
        cwd=tmp,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, f"server exited: {(tmp / 'server.log').read_text()[-2000:]}"
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start within 120 s"
            time.sleep(0.3)
        yield url, tmp / "server.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(served: tuple[str, Path]) -> str:
    return served[0]


def test_graphql_over_http_on_the_real_server(server: str) -> None:
    q = (
        '{ compare(a: {studies: ["zheng-2013"]}, b: {place: "western"}) { onlyA { concept { label } '
        "a { mentions { evidence { quote } } } } } }"
    )
    r = httpx.post(server + "/graphql", json={"query": q}, headers={"Accept": "application/graphql-response+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/graphql-response+json")
    labels = {c["concept"]["label"] for c in r.json()["data"]["compare"]["onlyA"]}
    assert {"Centralized review process", "International influence", 'Paid posting ("water army")'} <= labels, labels


def test_persisted_get_etag_and_graphiql_on_the_real_server(server: str) -> None:
    q = "{ table2 { rows { header cells { text } } } }"
    h = hashlib.sha256(q.encode()).hexdigest()
    ext = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": h}})
    assert httpx.post(server + "/graphql", json={"query": q, "extensions": json.loads(ext)}).status_code == 200
    r = httpx.get(server + "/graphql", params={"extensions": ext})
    assert r.status_code == 200 and r.json()["data"]["table2"]["rows"][0]["header"] == ["Social and economic"]
    r2 = httpx.get(server + "/graphql", params={"extensions": ext}, headers={"If-None-Match": r.headers["etag"]})
    assert r2.status_code == 304
    page = httpx.get(server + "/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "/graphql/static/graphiql.min.js" in page.text
    assert httpx.get(server + "/graphql/static/graphiql.min.js").status_code == 200
    assert httpx.get(server + "/graphql", params={"query": "mutation { x }"}).status_code == 405


def test_one_json_access_line_per_request(served: tuple[str, Path]) -> None:
    """The server logs each request once, as JSON with the request's id; uvicorn's own access line is off."""
    url, log = served
    rid = f"log-check-{time.monotonic_ns()}"
    r = httpx.get(url + "/graphql", params={"query": "{ __typename }"}, headers={"X-Request-ID": rid})
    assert r.status_code == 200
    deadline = time.monotonic() + 10
    while True:
        lines = [line for line in log.read_text(encoding="utf-8").splitlines() if rid in line]
        if lines or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(lines) == 1, f"one line for the request, got {lines}"
    entry = json.loads(lines[0])
    got = (entry["request_id"], entry["method"], entry["path"], entry["status"])
    assert got == (rid, "GET", "/graphql", 200), entry
    uvicorn_lines = [line for line in log.read_text(encoding="utf-8").splitlines() if '"GET /graphql?' in line]
    assert not uvicorn_lines, f"uvicorn's own access lines: {uvicorn_lines[:2]}"
