"""Browser-test fixtures: the real server in a subprocess on a free port, and Debian's headless Chromium driven by
Playwright with every request to anything but that server blocked.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (``apt-get install -y chromium``).
Screenshots go to ``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the helper modules beside the tests

CHROMIUM = os.environ.get("EGOVKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
START_TIMEOUT_S = 240


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``egovkg serve --store memory:`` on a free port; its base URL once /health answers."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "serve.log"
    exe = Path(sys.executable).with_name("egovkg")
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVKG_")}
    with log.open("wb") as out:
        proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--store", "memory:"],
                                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer /health in {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield base
    finally:
        # The server's own process group: uvicorn and the SPARQL workers it started, nothing else.
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, launched by Playwright (per module: Playwright's sync API keeps an asyncio loop
    running while it is open, which would break every later test that runs an event loop)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                              args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def shot() -> object:
    """Save the visible part of a page to tests/artifacts/<name>.png and, unless told not to, the whole page to
    <name>-full.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str, full_page: bool = True) -> Path:  # noqa: ANN001
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path))
        if full_page:
            page.screenshot(path=str(ARTIFACTS / f"{name}-full.png"), full_page=True)
        return path

    return take
