"""The Content-Security-Policy does not break the pages: in headless Chromium (Debian's, driven by Playwright), the
query editors and the ontology docs load and run with no CSP violation reported."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("EGOVKG_CHROMIUM", "/usr/bin/chromium")
PAGES = {"/sparql": ".yasgui", "/graphql": ".graphiql-container", "/": "main", "/network": "svg",
         "/ontology/": "body", "/compare?a_place=china&b_place=western": "main"}


@pytest.fixture(scope="module")
def chromium():
    playwright = pytest.importorskip("playwright.sync_api")
    exe = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not exe:
        pytest.skip("no Chromium (apt-get install -y chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", sorted(PAGES))
def test_pages_run_under_the_csp(live, chromium, path):
    page = chromium.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: violations.append(f"page error: {e}"))
    response = page.goto(live.url + path, wait_until="networkidle")
    assert response is not None and response.status == 200, path
    assert response.headers.get("content-security-policy"), "the page is served with a policy"
    page.wait_for_selector(PAGES[path], timeout=15_000)
    page.close()
    assert not violations, f"{path}: {violations[:5]}"
