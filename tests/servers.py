"""Real server processes for the tests: ``uvicorn --factory api.main:create_app`` on a free loopback port, with
``EGOVKG_*`` settings, on the store backend under test (tests/backends.py). The one starter of the API, security and
browser tests; each asks for its own log level, SPARQL workers or store."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from backends import backend_kind, backend_spec

START_TIMEOUT_S = 240.0
"""How long a server may take to answer /health (an embedded store is built from the shipped data on first start,
which is slow on a loaded machine)."""


@dataclass
class Server:
    """A running server process, its base URL and the file it logs to."""

    url: str
    host: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str, **kw: Any) -> httpx.Response:
        """GET ``path`` on the server."""
        return httpx.get(self.url + path, timeout=60, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        """POST to ``path`` on the server."""
        return httpx.post(self.url + path, timeout=60, **kw)

    def log_text(self) -> str:
        """Everything the server wrote so far."""
        return self.log.read_text(errors="replace")


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_store(workdir: Path, *, shared: bool = True) -> str:
    """The ``EGOVKG_STORE`` of a server working in ``workdir``: the remote engine when the suite runs against one
    (unless ``shared`` is false), else an embedded store on disk in ``workdir``, built on first start."""
    return backend_spec() if shared and backend_kind() == "remote" else f"oxigraph:{workdir / 'store'}"


def start_server(workdir: Path, *, port: int | None = None, store: str | None = None, log_level: str = "warning",
                 **settings: object) -> Server:
    """Start a server in ``workdir`` (its log: ``workdir/server.log``) on ``port`` (default: a free one) with
    ``EGOVKG_<NAME>`` set from ``settings``, and wait until /health answers.

    ``store`` defaults to :func:`server_store`; a server with its own ``base_iri`` holds a KG with other IRIs, so it
    never shares the remote engine. The server runs in a process group of its own, so that stopping it also stops
    the SPARQL workers it started."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    if store is None:
        store = server_store(workdir, shared="base_iri" not in settings)
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVKG_")}
    env.update({"EGOVKG_STORE": store, "EGOVKG_PORT": str(port)})
    env.update({f"EGOVKG_{k.upper()}": str(v) for k, v in settings.items()})
    log = workdir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", log_level],
            cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", "127.0.0.1", port, proc, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            stop_server(server)
            raise RuntimeError(f"the server exited with {proc.returncode}:\n{server.log_text()[-4000:]}")
        try:
            if httpx.get(server.url + "/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"the server did not answer /health in {START_TIMEOUT_S} s:\n{server.log_text()[-4000:]}")


def stop_server(server: Server) -> None:
    """Stop the server and the processes it started (its own process group), waiting for it."""

    def signal_group(sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):  # the group is gone already
            os.killpg(server.proc.pid, sig)

    signal_group(signal.SIGTERM)
    try:
        server.proc.wait(15)
    except subprocess.TimeoutExpired:
        signal_group(signal.SIGKILL)
        server.proc.wait(5)
