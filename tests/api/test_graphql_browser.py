"""GraphiQL in headless Chromium with every request to anything but the test server aborted: the page loads its
vendored React and GraphiQL, shows the flagship compare query, runs it against /graphql and shows the answer."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.server, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")


def test_graphiql_works_offline(ld_server: Any) -> None:
    blocked: list[str] = []
    local: dict[str, int] = {}
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(ld_server.url + "/"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        try:
            context = browser.new_context()
            context.route("**/*", route)
            page = context.new_page()
            page.on("response", lambda resp: local.__setitem__(resp.url, resp.status))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(ld_server.url + "/graphql", wait_until="load")
            page.wait_for_selector(".graphiql-container", timeout=30_000)
            editor = page.locator(".graphiql-query-editor").first
            assert "compare(" in editor.inner_text(), "the default query is the flagship compare"
            page.locator(".graphiql-execute-button").first.click()
            page.wait_for_function(
                "() => document.querySelector('.graphiql-response')?.innerText.includes('Centralized review process')",
                timeout=30_000,
            )
        finally:
            browser.close()
    assert not blocked, f"GraphiQL asked for outside resources: {blocked}"
    assert not errors, f"page errors: {errors}"
    assert all(status < 400 for status in local.values()), local
    assert any(u.endswith("/graphql/static/graphiql.min.js") for u in local), local
