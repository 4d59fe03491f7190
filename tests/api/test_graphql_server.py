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
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``egovkg serve --port <free> --store oxigraph:<tmp>`` (the README's main job on a fresh store), its base URL."""
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
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


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
