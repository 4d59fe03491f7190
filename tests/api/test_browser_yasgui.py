"""In headless Chromium (Debian's package, driven by Playwright) with every request to anything but the test server
aborted: the YASGUI page loads its vendored assets, shows the example queries as tabs and runs a query against
/sparql; the pyLODE ontology documentation renders."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.routers.sparql import examples

pytestmark = [pytest.mark.server, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium); install it with `apt-get install -y "
                "chromium`", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")


class Traffic:
    """What the page asked for: local requests (with their status) and blocked outside requests."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.blocked: list[str] = []
        self.local: dict[str, int] = {}
        self.failed: list[str] = []

    def route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.server_url + "/"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def response(self, response: Any) -> None:
        if response.url.startswith(self.server_url):
            self.local[response.url] = response.status

    def request_failed(self, request: Any) -> None:
        if request.url.startswith(self.server_url):
            self.failed.append(request.url)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, ld_server: Any) -> Iterator[tuple[Any, Traffic]]:
    context = browser.new_context()
    traffic = Traffic(ld_server.url)
    context.route("**/*", traffic.route)
    pg = context.new_page()
    pg.on("response", traffic.response)
    pg.on("requestfailed", traffic.request_failed)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg, traffic
    context.close()


def test_yasgui_works_offline_with_the_example_tabs(page, ld_server, tmp_path):
    pg, traffic = page
    pg.goto(ld_server.url + "/sparql", wait_until="load")
    pg.wait_for_selector("#yasgui[data-ready]", timeout=20_000)
    expected = examples()
    assert expected, "there are example queries"
    assert pg.get_attribute("#yasgui", "data-ready") == str(len(expected)), "one tab per example query"
    tab_names = pg.locator(".yasgui .tabsList .tab").all_inner_texts()
    assert len(tab_names) == len(expected), f"tabs shown: {tab_names}"
    assert all(any(e["name"] in t for t in tab_names) for e in expected), f"tab names {tab_names}"
    endpoint = pg.evaluate("() => window.egovkgYasgui.getTab().getEndpoint()")
    assert endpoint == ld_server.url + "/sparql", f"YASGUI points at this endpoint, not {endpoint}"
    # The first tab holds the first example; run it and wait for the results table.
    editor_text = pg.evaluate("() => window.egovkgYasgui.getTab().getYasqe().getValue()")
    assert editor_text.strip() == expected[0]["query"].strip(), "the editor holds the example query"
    pg.evaluate("() => window.egovkgYasgui.getTab().getYasqe().setValue("
                "'SELECT ?study ?title WHERE { ?study a <https://w3id.org/egovkg/ontology/Study> ; "
                "<http://purl.org/dc/terms/title> ?title } ORDER BY ?study')")
    def is_query(r: Any) -> bool:
        return r.url.startswith(ld_server.url + "/sparql") and r.request.method == "POST"

    with pg.expect_response(is_query) as resp:
        pg.click(".yasqe .yasqe_queryButton")
    assert resp.value.status == 200, f"the query answered {resp.value.status}"
    pg.wait_for_selector(".yasr table.dataTable tbody tr", timeout=20_000)
    cells = " ".join(pg.locator(".yasr table.dataTable tbody td").all_inner_texts())
    assert "Social media in Chinese government" in cells, "the results table shows the paper's title"
    pg.screenshot(path=str(tmp_path / "yasgui.png"), full_page=True)
    # Every asset came from the server, and every local request succeeded.
    assert not traffic.failed, f"local requests failed: {traffic.failed}"
    bad = {u: s for u, s in traffic.local.items() if s >= 400}
    assert not bad, f"local requests answered with errors: {bad}"
    assert any(u.endswith("/static/yasgui/yasgui.min.js") for u in traffic.local), "the vendored bundle was loaded"
    assert not [u for u in traffic.blocked if u.endswith((".js", ".css", ".woff", ".woff2"))], \
        f"assets asked from outside: {traffic.blocked}"
    assert not pg.errors, f"JavaScript errors: {pg.errors}"  # type: ignore[attr-defined]


def test_ontology_docs_render_offline(page, ld_server, tmp_path):
    pg, traffic = page
    pg.goto(ld_server.url + "/ontology/", wait_until="load")
    assert "egovkg" in pg.title().lower() or "egovkg" in pg.locator("h1").first.inner_text().lower(), pg.title()
    assert pg.locator("#classes").count() == 1, "the pyLODE page lists the classes"
    assert pg.locator("#Study").count() == 1 and pg.locator("#Study").is_visible(), "the Study class is documented"
    pg.screenshot(path=str(tmp_path / "ontology.png"))
    assert not traffic.failed and all(s < 400 for s in traffic.local.values()), (traffic.failed, traffic.local)
    assert not [u for u in traffic.blocked if u.endswith((".js", ".css"))], f"assets from outside: {traffic.blocked}"
    assert not pg.errors, f"JavaScript errors: {pg.errors}"  # type: ignore[attr-defined]


def test_resource_page_renders_offline(page, ld_server):
    pg, traffic = page
    pg.goto(ld_server.url + "/id/mention/zheng-2013.hierarchical-process", wait_until="load")
    assert "Hierarchical process" in pg.locator("h1").inner_text()
    assert pg.locator("blockquote").count() >= 1, "the mention's evidence quotes are shown"
    css = [u for u in traffic.local if u.endswith("/static/css/base.css")]
    assert css and traffic.local[css[0]] == 200, "the base stylesheet is served locally"
    assert not traffic.blocked, f"requests to outside: {traffic.blocked}"
