"""Fixtures for the scale tests: a private ``oxigraph serve`` (its own port and directory, so these tests may write),
and the embedded and remote stores filled with the same KG."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kg.build import Built, load_store
from kg.remote import RemoteSparqlStore
from kg.store import OxigraphStore, Store


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command (installed with the test extras next to this Python), if any."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class OxigraphServer:
    """A running ``oxigraph serve`` and its base URL."""

    url: str
    proc: subprocess.Popen[bytes]

    @property
    def spec(self) -> str:
        """The egovkg store spec of this server."""
        return f"sparql:{self.url}/query,{self.url}/update,{self.url}/store"

    def store(self) -> RemoteSparqlStore:
        """A new client store on this server."""
        return RemoteSparqlStore.from_spec(self.spec.removeprefix("sparql:"))


def start_oxigraph(workdir: Path) -> OxigraphServer:
    """Start ``oxigraph serve`` on a free loopback port with its data in ``workdir``; wait until it answers."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]')")
    port = free_port()
    log = (workdir / "oxigraph.log").open("wb")
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(workdir / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                return OxigraphServer(url, proc)
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("oxigraph serve did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a process and wait for it."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A private Oxigraph server for one test module."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    stop(server.proc)


@pytest.fixture(scope="module")
def embedded(built: Built) -> Store:
    """The shipped KG in the embedded in-memory store."""
    return load_store(OxigraphStore(), built)


@pytest.fixture(scope="module")
def remote(built: Built, oxigraph_server: OxigraphServer) -> Iterator[RemoteSparqlStore]:
    """The shipped KG in the private Oxigraph server, through the sparql: backend."""
    s = oxigraph_server.store()
    load_store(s, built)
    yield s
    s.close()
