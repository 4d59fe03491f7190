"""The pages for people in headless Chromium against the real server: each page type opened, links followed, a
comparison run from the form, the network filtered, and what is rendered checked against the KG."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browserkit import open_page
from rdflib import URIRef

from api.pages.links import local_key
from kg import queries, tables
from kg.build import build_dataset, load_store
from kg.compare import StudyGroup, compare
from kg.store import OxigraphStore, Store

pytestmark = [pytest.mark.browser, pytest.mark.server]

TABLE2_PAPER = {  # (dimension heading, column heading) -> labels, as the paper prints Table 2 (non-empty cells)
    ("Social and economic", "External drivers"): ["Rising citizen participation"],
    ("Social and economic", "External challenges"): ["Digital divide", "Hacker and water army"],
    ("Political, legal and policy", "External drivers"): ["International influence"],
    ("Political, legal and policy", "External challenges"): ["Low trust in government"],
    ("Organizational and management", "Internal weaknesses"): [
        "Low leadership attention and supports", "Lack of competent management institution", "Lack of designated staff",
        "Lack of funds", "Lack of skills", "Hierarchical process and centralized power",
        "Lack of horizontal collaboration"],
    ("Information", "Internal strengths"): ["Abundant information resources"],
    ("Information", "Internal weaknesses"): ["Closed and risk-averse culture", "Information security"],
    ("Technological", "External drivers"): ["Pervasiveness of advanced IT devices"],
    ("Technological", "External challenges"): ["Technological substitution"],
    ("Technological", "Internal strengths"): ["Adequate ICT infrastructure in government"],
}


@pytest.fixture(scope="module")
def kg() -> Store:
    """The same shipped KG the server holds, in this process, to check what the browser shows."""
    return load_store(OxigraphStore(), build_dataset(validate=False))


@pytest.fixture()
def desktop(browser, server) -> Iterator[tuple[object, object]]:
    context, page, watch = open_page(browser, server)
    yield page, watch
    context.close()


def test_landing_page(desktop, server, kg, shot) -> None:
    page, watch = desktop
    page.goto(server + "/")
    counts = queries.select(kg, "pages_counts")[0]
    for key, value in counts.items():
        assert page.locator(f"dd[data-count={key}]").inner_text() == str(value), f"count of {key}"
    assert page.locator("dd[data-count=triples]").inner_text() == str(len(kg))
    health = page.request.get(server + "/health").json()
    assert page.locator("#dataset-version").inner_text() == health["version"], "the version the server reports"
    for name in ("GraphiQL", "SPARQL editor", "Dumps", "Ontology documentation"):
        machines = page.locator("section[aria-labelledby=machines]")
        assert machines.get_by_role("link", name=name, exact=True).count() == 1, f"link to {name}"
    shot(page, "landing")
    watch.assert_clean()
    page.get_by_role("link", name="The factor matrix").click()
    page.wait_for_url(server + "/tables/2")
    assert page.locator("h1").inner_text() == "The factor matrix (Table 2)"


def test_linked_services_open_without_the_network(desktop, server, kg) -> None:
    """The landing page's links to the other services answer, with every asset from this server."""
    page, watch = desktop
    for path in ("/graphql", "/sparql", "/dumps/", "/ontology/"):
        response = page.goto(server + path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    assert not watch.blocked, f"a linked service loads from other hosts: {watch.blocked}"
    page.goto(server + "/")
    link = page.locator("details.example-query a").first.get_attribute("href") or ""
    answer = page.request.get(server + link)
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv"), answer.headers
    name = page.locator("details.example-query summary code").first.inner_text().removesuffix(".rq")
    rows = list(csv.DictReader(io.StringIO(answer.text())))
    assert len(rows) == len(queries.select(kg, name)), f"the example query {name} runs on the endpoint"


def test_factor_matrix_equals_table2_and_links_to_factors(desktop, server, kg, shot) -> None:
    page, watch = desktop
    page.goto(server + "/tables/2")
    columns = page.locator("#matrix thead th.col").all_inner_texts()
    rows = page.locator("#matrix tbody tr")
    assert rows.count() == 5, "five dimensions"
    shown = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        dim = row.locator("th").inner_text().strip()
        cells = row.locator("td.cell")
        for j in range(cells.count()):
            labels = [t.strip() for t in cells.nth(j).locator("a").all_inner_texts()]
            if labels:
                shown[(dim, columns[j].strip())] = labels
            assert cells.nth(j).get_attribute("data-count") == str(len(labels))
    assert shown == TABLE2_PAPER, "the rendered matrix differs from the paper's Table 2"
    matrix = tables.table2(kg)
    iris = page.locator("#matrix a[data-mention]").evaluate_all("els => els.map(e => e.dataset.mention)")
    assert iris == [m for r in matrix.rows for c in r["cells"] for m, _ in c.mentions], "cells equal kg.tables"
    colours = page.locator("#matrix td.cell").evaluate_all(
        "els => els.map(e => getComputedStyle(e).getPropertyValue('--c').trim())")
    assert len(set(colours)) == 4, f"one colour per role: {set(colours)}"
    shot(page, "factor-matrix")
    watch.assert_clean()
    page.get_by_role("link", name="Hacker and water army").click()
    page.wait_for_url(server + "/id/mention/zheng-2013.hacker-and-water-army")
    assert "Hacker and water army" in page.locator("h1").inner_text()


def test_literature_matrix_and_a_study_page(desktop, server, kg, shot) -> None:
    page, watch = desktop
    page.goto(server + "/tables/1")
    matrix = tables.table1(kg)
    headers = [t.strip() for t in page.locator("#matrix tbody th").all_inner_texts()]
    assert headers == [r["header"][0] for r in matrix.rows], "Table 1 rows"
    shot(page, "literature-matrix")
    watch.assert_clean()
    page.get_by_role("link", name="Bertot et al. (2010)", exact=True).click()
    page.wait_for_url(server + "/id/study/bertot-2010")
    assert page.locator("h1").inner_text() == "Bertot et al. (2010)"
    assert page.locator("li.mention").count() == 6, "Bertot et al. (2010) reports six factors"


def test_study_page_then_concept_page(desktop, server, kg, shot) -> None:
    page, watch = desktop
    page.goto(server + "/id/study/zheng-2013")
    assert page.locator("h1").inner_text() == "Zheng (2013)"
    dims = page.locator("section.dimension > h3").all_inner_texts()
    assert [d.rsplit(" ", 1)[0].strip() for d in dims] == [d["label"] for d in queries.select(kg, "dimensions")]
    assert page.locator("li.mention").count() == 18, "the paper's 18 factors"
    assert page.locator("li.mention blockquote.quote").count() == 27, "the quotes behind them"
    shot(page, "study")
    page.evaluate("document.getElementById('factors').scrollIntoView()")
    shot(page, "study-factors", full_page=False)
    watch.assert_clean()
    page.locator("#zheng-2013\\.hierarchical-process a.concept").click()
    page.wait_for_url(server + "/id/concept/centralized-review-process")
    assert page.locator("h1").inner_text() == "Centralized review process"
    studies = page.locator("li.reporting-study").evaluate_all("els => els.map(e => e.dataset.study)")
    concept = URIRef(page.locator("article").get_attribute("data-iri") or "")
    q = queries.select(kg, "pages_concept_mentions", concept=concept)
    assert sorted(studies) == sorted({r["study"] for r in q}), "studies that report the concept"
    assert page.locator("p.justification").count() >= 1, "the alignment is justified"
    page.goto(server + "/id/concept/information-security")
    shot(page, "concept")
    places = page.locator("section.place-group > h3 a").all_inner_texts()
    assert places == ["China", "United States", "Western countries"], places


def test_run_a_comparison_from_the_form(desktop, server, kg, shot) -> None:
    page, watch = desktop
    page.goto(server + "/compare")
    page.get_by_label("Country or region").first.select_option("china")
    page.locator("#b_place").select_option("western")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/compare?**")
    params = parse_qs(urlsplit(page.url).query)
    assert params == {"a_place": ["china"], "b_place": ["western"]}, params
    expected = compare(kg, StudyGroup(place="china"), StudyGroup(place="western"))
    for section, items in (("both", expected.both), ("only-a", expected.only_a), ("only-b", expected.only_b)):
        shown = page.locator(f"#{section} li.compared-concept").evaluate_all("els => els.map(e => e.dataset.concept)")
        assert sorted(shown) == sorted(c.concept for c in items), f"{section} differs from kg.compare"
        assert page.locator(f"[data-section-count={section}]").inner_text() == str(len(items))
    shot(page, "compare")
    page.locator("#result-title").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('result-title').scrollIntoView()")
    shot(page, "compare-result", full_page=False)
    details = page.locator("#both details.quotes").first
    details.locator("summary").click()
    assert details.locator("blockquote").first.is_visible(), "quotes open"
    watch.assert_clean()
    permalink = page.locator("#permalink").get_attribute("href")
    csv_href = page.locator("#csv").get_attribute("href")
    with page.expect_download() as dl:
        page.locator("#csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
    assert {(r["status"], r["concept"]) for r in rows} == {(c.status, c.concept) for c in expected.concepts}
    assert csv_href.replace("/compare.csv?", "") == permalink.replace("/compare?", ""), "CSV of the same comparison"
    page.goto(server + permalink)
    assert page.locator("li.compared-concept").count() == len(expected.concepts), "the permalink reproduces it"


def test_comparison_by_keyboard_only(desktop, server, kg) -> None:
    page, watch = desktop
    page.goto(server + "/compare")
    page.locator("#a_place").focus()
    page.keyboard.type("China")
    for _ in range(6):  # a_focus, a_purpose, a_from, a_to, a_studies, b_place
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "b_place"
    page.keyboard.type("Western")
    for _ in range(6):  # b_focus, b_purpose, b_from, b_to, b_studies, the button
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Compare"
    page.keyboard.press("Enter")
    page.wait_for_url("**/compare?**")
    expected = compare(kg, StudyGroup(place="china"), StudyGroup(place="western"))
    assert page.locator("li.compared-concept").count() == len(expected.concepts), "the keyboard's comparison"
    watch.assert_clean()


def test_the_papers_unique_findings_from_the_examples(desktop, server) -> None:
    page, watch = desktop
    page.goto(server + "/compare")
    page.get_by_role("link", name="The source paper vs the Western studies it reviews").click()
    page.wait_for_url("**a_studies=zheng-2013**")
    only_a = page.locator("#only-a li.compared-concept").evaluate_all("els => els.map(e => e.dataset.concept)")
    assert {local_key(c) for c in only_a} >= {"centralized-review-process", "water-army", "international-influence"}
    watch.assert_clean()


def test_network_filter_and_keyboard(desktop, server, kg, shot) -> None:
    page, watch = desktop
    page.goto(server + "/network")
    everything = page.request.get(server + "/network.json").json()
    assert page.locator("#network-svg path.link").count() == len(everything["links"])
    shot(page, "network")
    page.locator("#dimension").select_option("information")
    info = page.request.get(server + "/network.json?dimension=information").json()
    page.wait_for_function(f"document.querySelectorAll('#network-svg path.link').length === {len(info['links'])}")
    assert page.url.endswith("/network?dimension=information"), "the filtered view has its own URL"
    rows = page.locator("#network-table tbody tr").count()
    assert rows == len({link["source"] for link in info["links"]}), "the list is redrawn too"
    assert page.locator("[data-count=links]").inner_text() == str(len(info["links"]))
    mentions = {m for link in info["links"] for m in link["mentions"]}
    in_dim = {r["mention"] for r in queries.select(kg, "pages_network") if local_key(r["dimension"]) == "information"}
    assert mentions == in_dim, "the filter keeps the information dimension's mentions"
    page.locator("#dimension").focus()
    for _ in range(6):  # the filter's button and JSON link, then the first node of the picture
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('node')"):
            break
    first = page.locator("#network-svg a.node:focus")
    assert first.count() == 1, "Tab reaches the network's nodes"
    target = first.get_attribute("href")
    assert page.locator("#network-svg.highlighting").count() == 1, "focus highlights a node's neighbours"
    assert page.locator("#network-svg path.link.on").count() >= 1
    shot(page, "network-information")
    page.keyboard.press("Enter")
    page.wait_for_url(server + (target or ""))
    watch.assert_clean()


def test_pages_read_without_javascript(browser, server, kg) -> None:
    context, page, watch = open_page(browser, server, javascript=False)
    try:
        page.goto(server + "/network?dimension=technological")
        assert page.locator("#network-svg path.link").count() > 0 and page.locator("#network-table tbody tr").count()
        page.goto(server + "/compare")
        page.locator("#a_place").select_option("china")
        page.locator("#b_place").select_option("western")
        page.get_by_role("button", name="Compare").click()
        page.wait_for_url("**/compare?**")
        assert page.locator("li.compared-concept").count() == len(
            compare(kg, StudyGroup(place="china"), StudyGroup(place="western")).concepts)
        watch.assert_clean()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/tables/2", "/compare?a_place=china&b_place=western", "/network",
                                  "/id/study/zheng-2013", "/id/concept/digital-divide"])
def test_narrow_screen(browser, server, shot, path) -> None:
    context, page, watch = open_page(browser, server, width=390, height=844)
    try:
        page.goto(server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path}: the page is {overflow}px wider than a phone screen"
        if path == "/":
            shot(page, "landing-narrow", full_page=False)
        if path.startswith("/compare"):
            shot(page, "compare-narrow", full_page=False)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content", "skip link first"
        watch.assert_clean()
    finally:
        context.close()
