"""The landing page and the network view read back against the store; what every page must be (CSP, no inline
script or style, local assets only, links that resolve, labelled landmarks)."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import parse_qs, urlsplit

import pytest
from htmltree import Node

from api.pages.links import href, local_key
from kg import queries

MAIN_PAGES = ["/", "/tables/2", "/tables/1", "/compare", "/compare?a_place=china&b_place=western", "/network",
              "/network?dimension=information", "/id/study/zheng-2013", "/id/concept/organizational-culture"]
ELSEWHERE = ("/graphql", "/sparql", "/dumps/", "/.well-known/void", "/ontology/", "/shapes/")
"""Served by other routers (GraphQL, SPARQL, dumps, VoID, ontology docs): the browser tests follow those."""


def test_landing_page_counts_version_sources_and_links(html, pages_store) -> None:
    page = html("/")
    counts = queries.select(pages_store, "pages_counts")[0]
    shown = {dd.attrs["data-count"]: int(dd.text()) for dd in page.find_all("dd", data_count=True)}
    assert shown == {**{k: int(v) for k, v in counts.items()}, "triples": len(pages_store)}, shown
    assert page.by_id("dataset-version").text() == pages_store.version()
    links = {a.attrs["href"] for a in page.find_all("a", href=True)}
    for target in ELSEWHERE[:5] + ("/tables/2", "/tables/1", "/network", "/compare?a_place=china&b_place=western"):
        assert target in links, f"the landing page does not link to {target}"
    studies = [r["study"] for r in queries.select(pages_store, "pages_studies")]
    for s in studies:
        assert href(s) in links, f"the landing page does not list {s}"
    examples = page.find_all("details", cls="example-query")
    assert len(examples) >= 3, "example queries"
    from api.routers.sparql import examples as editor_tabs

    tabs = {tab["name"] for tab in editor_tabs()}
    for d in examples:
        name = d.find("summary").find("code").text().removesuffix(".rq")
        assert name in tabs, f"the example {name} is not a tab of the SPARQL editor"
    for d in examples:
        run = d.find("a")
        assert run.attrs["href"].startswith("/sparql?query=") and run.attrs["href"].endswith("&format=csv"), run.attrs
        query = parse_qs(urlsplit(run.attrs["href"]).query)["query"][0]
        assert " ".join(query.split()) == d.find("pre").text(), "the link runs the query shown"


def test_network_json_equals_the_store(pages_client, pages_store) -> None:
    rows = queries.select(pages_store, "pages_network")
    expected: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        expected[(r["study"], r["concept"])].add(r["mention"])
    data = pages_client.get("/network.json").json()
    got = {(link["source"], link["target"]): set(link["mentions"]) for link in data["links"]}
    assert got == expected, "network links differ from who reports what in the store"
    nodes = {n["id"]: n for n in data["nodes"]}
    linked = {s for s, _ in expected} | {c for _, c in expected}
    assert linked == set(nodes), "nodes are the linked studies and concepts"
    assert all(0 <= n["x"] <= data["width"] and 0 <= n["y"] <= data["height"] for n in nodes.values()), "layout"


@pytest.mark.parametrize("dimension", ["social-economic", "political-legal-policy", "organizational-managerial",
                                       "information", "technological"])
def test_network_filter_by_dimension(pages_client, html, pages_store, dimension) -> None:
    rows = [r for r in queries.select(pages_store, "pages_network") if local_key(r["dimension"]) == dimension]
    data = pages_client.get(f"/network.json?dimension={dimension}").json()
    got = {m for link in data["links"] for m in link["mentions"]}
    assert got == {r["mention"] for r in rows} and got, f"{dimension}: mentions differ"
    page = html(f"/network?dimension={dimension}")
    paths = page.by_id("network-svg").find_all("path", cls="link")
    assert {(p.attrs["data-source"], p.attrs["data-target"]) for p in paths} == \
        {(link["source"], link["target"]) for link in data["links"]}, "the SVG draws the JSON's links"
    table = {tr.attrs["data-study"]: {a.attrs["data-concept"] for a in tr.find_all("a", data_concept=True)}
             for tr in page.by_id("network-table").find("tbody").find_all("tr")}
    assert table == {s: {link["target"] for link in data["links"] if link["source"] == s}
                     for s in {link["source"] for link in data["links"]}}, "the list says the same as the picture"
    assert page.by_id("dimension").find("option", selected=True).attrs["value"] == dimension


def test_unknown_dimension_is_400(pages_client, html) -> None:
    assert pages_client.get("/network.json?dimension=astrology").status_code == 400
    page = html("/network?dimension=astrology", status=400)
    assert "astrology" in page.find("p", cls="errors").text()


def assets_and_links(page: Node) -> tuple[list[str], list[str]]:
    assets = [n.attrs.get("src") or n.attrs.get("href", "") for n in page.find_all()
              if n.tag in ("script", "img", "iframe") or (n.tag == "link" and n.attrs.get("rel") == "stylesheet")]
    links = [a.attrs["href"] for a in page.find_all("a", href=True)]
    return assets, links


@pytest.mark.parametrize("url", MAIN_PAGES)
def test_pages_are_self_contained_and_csp_clean(pages_client, url) -> None:
    from htmltree import parse

    r = pages_client.get(url, headers={"Accept": "text/html"})
    assert r.status_code == 200, f"{url}: {r.status_code}"
    csp = r.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, f"{url}: CSP {csp!r}"
    page = parse(r.text)
    for s in page.find_all("script"):
        src = urlsplit(s.attrs.get("src", ""))
        assert src.netloc in ("", "testserver") and src.path.startswith("/static/") and not s.text(), \
            f"{url}: inline or foreign script {s.attrs}"
    assert not page.find_all(style=True) and not page.find_all("style"), f"{url}: inline style"
    assert not [n for n in page.find_all() if any(k.startswith("on") for k in n.attrs)], f"{url}: inline handler"
    assets, _ = assets_and_links(page)
    assert assets and all(urlsplit(a).netloc in ("", "testserver") for a in assets), f"{url}: foreign assets {assets}"
    for a in assets:
        assert pages_client.get(urlsplit(a).path).status_code == 200, f"{url}: asset {a} missing"
    assert page.find("main") and page.find("nav", aria_label="Pages"), f"{url}: landmarks"
    assert len(page.find_all("h1")) == 1, f"{url}: one h1"
    ids = [n.attrs["id"] for n in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), f"{url}: duplicate ids {sorted({i for i in ids if ids.count(i) > 1})}"
    for field in page.find_all("select") + [i for i in page.find_all("input") if i.attrs.get("type") != "hidden"]:
        assert page.find_all("label", for_=field.attrs.get("id", "?")), f"{url}: field {field.attrs} has no label"
    for img in page.find_all("svg"):
        assert img.attrs.get("aria-labelledby"), f"{url}: unlabelled picture"


def test_internal_links_resolve(pages_client, html) -> None:
    seen: set[str] = set()
    for url in MAIN_PAGES:
        _, links = assets_and_links(html(url))
        for link in links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("#") or link.startswith(ELSEWHERE):
                continue
            path = link.split("#", 1)[0]
            if path in seen:
                continue
            seen.add(path)
            status = pages_client.get(path, headers={"Accept": "text/html"}).status_code
            assert status == 200, f"{url} links to {path}, which answers {status}"
    assert len(seen) > 100, f"checked only {len(seen)} links"


def test_links_stay_under_the_root_path_of_a_prefixed_deployment(pages_client) -> None:
    """Behind a reverse proxy that mounts the app under /kg, every link and asset of the pages stays under /kg."""
    from fastapi.testclient import TestClient
    from htmltree import parse

    with TestClient(pages_client.app, root_path="/kg") as c:
        for url in ("/", "/tables/2", "/compare?a_place=china&b_place=western", "/network", "/id/study/zheng-2013"):
            r = c.get("/kg" + url, headers={"Accept": "text/html"})
            assert r.status_code == 200, f"/kg{url}: {r.status_code}"
            page = parse(r.text)
            assets, links = assets_and_links(page)
            local = [urlsplit(x).path for x in assets + links + [f.attrs["action"] for f in page.find_all("form")]
                     if not urlsplit(x).netloc or urlsplit(x).netloc == "testserver"]
            outside = [x for x in local if x and not x.startswith("#") and not x.startswith("/kg/") and x != "/kg"]
            assert not outside, f"/kg{url} links outside the root path: {outside[:5]}"


@pytest.mark.parametrize("url", ["/", "/tables/2", "/compare?a_place=china&b_place=western", "/id/study/zheng-2013"])
def test_pages_revalidate_with_etags(pages_client, url) -> None:
    first = pages_client.get(url, headers={"Accept": "text/html"})
    etag = first.headers.get("etag")
    assert etag and first.headers["cache-control"] == "no-cache", first.headers
    again = pages_client.get(url, headers={"Accept": "text/html", "If-None-Match": etag})
    assert again.status_code == 304 and not again.content, f"{url}: {again.status_code}"
    other = pages_client.get(url, headers={"Accept": "text/html", "If-None-Match": '"stale"'})
    assert other.status_code == 200 and other.headers["etag"] == etag
