"""The comparison view read back from HTML and CSV: equal to kg.compare, with studies and quotes, as a permalink."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from expectations import CHINA_ONLY
from htmltree import Node

from api.pages.evidence import quotes_for
from api.pages.links import local_key
from kg.compare import StudyGroup, compare

SECTIONS = {"both": "both", "only-a": "a", "only-b": "b"}


def concepts_by_status(page: Node) -> dict[str, set[str]]:
    """Section id -> the concept IRIs listed in it (checking each item's status matches its section)."""
    out = {}
    for sid, status in SECTIONS.items():
        items = page.by_id(sid).find_all("li", cls="compared-concept")
        for li in items:
            assert li.attrs["data-status"] == status, f"{li.attrs['data-concept']} in #{sid} has {li.attrs}"
        out[sid] = {li.attrs["data-concept"] for li in items}
    return out


@pytest.mark.parametrize(("query", "a", "b"), [
    ("a_place=china&b_place=western", StudyGroup(place="china"), StudyGroup(place="western")),
    ("a_studies=zheng-2013&b_place=western", StudyGroup(studies=("zheng-2013",)), StudyGroup(place="western")),
    ("a_focus=microblogging&b_focus=social-media-in-general", StudyGroup(focus="microblogging"),
     StudyGroup(focus="social-media-in-general")),
    ("a_from=2009&a_to=2010&b_from=2011&b_to=2013", StudyGroup(year_from=2009, year_to=2010),
     StudyGroup(year_from=2011, year_to=2013)),
])
def test_comparison_page_equals_kg_compare(html, pages_store, query, a, b) -> None:
    page = html("/compare?" + query)
    expected = compare(pages_store, a, b)
    shown = concepts_by_status(page)
    assert shown["both"] == {c.concept for c in expected.both}, "both differs from kg.compare"
    assert shown["only-a"] == {c.concept for c in expected.only_a}, "only A differs from kg.compare"
    assert shown["only-b"] == {c.concept for c in expected.only_b}, "only B differs from kg.compare"
    for side, studies in (("a", expected.studies_a), ("b", expected.studies_b)):
        listed = [li.attrs["data-study"] for li in page.by_id(f"studies-{side}").find_all("li", data_study=True)]
        assert sorted(listed) == studies, f"group {side.upper()} lists {listed}, kg.compare has {studies}"
    by_concept = {c.concept: c for c in expected.concepts}
    for li in page.find_all("li", cls="compared-concept"):
        c = by_concept[li.attrs["data-concept"]]
        for side, refs in (("a", c.mentions_a), ("b", c.mentions_b)):
            div = li.find("div", data_side=side)
            mentions = sorted(x.attrs["data-mention"] for x in div.find_all("a", data_mention=True))
            assert mentions == sorted(m.mention for m in refs), f"{c.label} side {side}: {mentions}"
        if c.strength:
            assert li.find("span", cls=f"strength-{c.strength}").text() == c.strength


def test_china_vs_west_shows_the_quotes_behind_each_mention(html, pages_store) -> None:
    page = html("/compare?a_place=china&b_place=western")
    result = compare(pages_store, StudyGroup(place="china"), StudyGroup(place="western"))
    quotes = quotes_for(pages_store, (m.mention for c in result.concepts for m in c.mentions_a + c.mentions_b))
    expected = sum(len(quotes.get(m.mention, [])) for c in result.concepts for m in c.mentions_a + c.mentions_b)
    shown = page.find("section", cls="result").find_all("blockquote", cls="quote")
    assert expected > 0 and len(shown) == expected, f"{len(shown)} quotes shown, {expected} behind the mentions"
    texts = {q.find("p").text() for q in shown}
    assert {" ".join(q.quote.split()) for qs in quotes.values() for q in qs} == texts, "quote texts differ"


def test_the_papers_unique_findings_are_china_only(html) -> None:
    page = html("/compare?a_studies=zheng-2013&b_place=western")
    only_a = {local_key(c) for c in concepts_by_status(page)["only-a"]}
    assert only_a >= CHINA_ONLY, f"section 5.4's China-only findings missing from only-A: {CHINA_ONLY - only_a}"


def test_permalink_and_csv_reproduce_the_comparison(pages_client, html, pages_store) -> None:
    page = html("/compare?a_place=china&b_place=western&a_focus=")
    permalink = page.by_id("permalink").attrs["href"]
    assert parse_qs(urlsplit(permalink).query) == {"a_place": ["china"], "b_place": ["western"]}, permalink
    again = html(permalink)
    assert concepts_by_status(again) == concepts_by_status(page), "the permalink shows another comparison"
    csv_href = page.by_id("csv").attrs["href"]
    r = pages_client.get(csv_href)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.headers
    rows = list(csv.DictReader(io.StringIO(r.text)))
    result = compare(pages_store, StudyGroup(place="china"), StudyGroup(place="western"))
    want = {(c.status, c.concept, side, m.mention) for c in result.concepts
            for side, refs in (("a", c.mentions_a), ("b", c.mentions_b)) for m in refs}
    got = {(r["status"], r["concept"], r["side"], r["mention"]) for r in rows}
    assert got == want, f"CSV rows differ from kg.compare: {sorted(got ^ want)[:5]}"
    assert any(r["quotes"] for r in rows), "the CSV carries the quotes"


def test_the_form_is_prefilled_and_offers_china_vs_west_first(html) -> None:
    page = html("/compare")
    assert not page.find_all("section", cls="result"), "no result without groups"
    examples = page.find("nav", cls="examples").find_all("a")
    assert examples[0].text() == "China vs Western countries"
    assert parse_qs(urlsplit(examples[0].attrs["href"]).query) == {"a_place": ["china"], "b_place": ["western"]}
    form = page.find("form", cls="compare-form")
    assert form.attrs["method"] == "get" and form.attrs["action"] == "/compare"
    for side in "ab":
        for name in ("place", "focus", "purpose", "from", "to", "studies"):
            field = form.find(id=f"{side}_{name}")
            assert form.find("label", for_=f"{side}_{name}"), f"field {side}_{name} has no label"
            assert field.attrs["name"] == f"{side}_{name}"
    page = html("/compare?a_place=china&b_place=western")
    selected = page.by_id("a_place").find("option", selected=True)
    assert selected.attrs["value"] == "china", "the form shows the groups of the result"


@pytest.mark.parametrize(("query", "message"), [
    ("a_place=china&b_from=20x", "is not a year"),
    ("a_place=mars&b_place=western", "group A matches no study"),
    ("a_place=china", "group B needs at least one criterion"),
    ("a_place=chi%20na&b_place=western", "invalid place key"),
])
def test_bad_groups_are_explained(pages_client, html, query, message) -> None:
    page = html("/compare?" + query, status=400)
    alert = page.find("div", cls="errors")
    assert alert.attrs.get("role") == "alert" and message in alert.text(), alert.text()
    r = pages_client.get("/compare.csv?" + query)
    assert r.status_code == 400 and message in r.text, r.text
