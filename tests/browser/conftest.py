"""Browser-test fixtures: the real server in a subprocess on a free port, and Debian's headless Chromium driven by
Playwright with every request to anything but that server blocked.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (``apt-get install -y chromium``).
Screenshots go to ``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import start_server, stop_server

sys.path.insert(0, str(Path(__file__).parent))  # the helper modules beside the tests

CHROMIUM = os.environ.get("EGOVKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server (tests/servers.py) on an in-memory store of the shipped KG, INFO logs: its base URL once
    /health answers."""
    server = start_server(tmp_path_factory.mktemp("server"), store="memory:", log_level="info")
    yield server.url
    stop_server(server)


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
