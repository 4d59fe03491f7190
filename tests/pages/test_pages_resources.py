"""Study and concept pages (the HTML views of egov:Study and egov:FactorConcept IRIs) read back against the store."""

from __future__ import annotations

import pytest
from htmltree import Node

from api.pages.links import href
from kg import config


def iris_of(store, cls: str) -> list[str]:
    rows = store.select(f"SELECT ?x WHERE {{ ?x a <{config.base_iri()}ontology/{cls}> }} ORDER BY ?x")
    return [r["x"] for r in rows]


def study_mentions(store, study: str) -> set[tuple[str, str, str]]:
    q = """PREFIX egov: <https://w3id.org/egovkg/ontology/>
    SELECT ?s ?m ?d ?r WHERE { ?m egov:reportedIn ?s ; egov:dimension ?d ; egov:role ?r }"""
    return {(r["m"], r["d"], r["r"]) for r in store.select(config.rebase(q), {"s": _iri(study)})}


def _iri(s: str):
    from rdflib import URIRef

    return URIRef(s)


def shown_mentions(page: Node) -> set[tuple[str, str, str]]:
    out = set()
    for dim in page.find_all("section", cls="dimension"):
        for role in dim.find_all("section", cls="role-group"):
            for li in role.find_all("li", cls="mention"):
                out.add((li.attrs["data-mention"], dim.attrs["data-dimension"], role.attrs["data-role"]))
    return out


def test_every_study_page_shows_its_mentions_by_dimension_and_role(html, pages_store) -> None:
    studies = iris_of(pages_store, "Study")
    assert len(studies) >= 17, f"found {len(studies)} studies"
    for study in studies:
        page = html(href(study))
        assert page.find("article", cls="study").attrs["data-iri"] == study, f"{study}: not the study page"
        assert shown_mentions(page) == study_mentions(pages_store, study), f"{study}: mentions differ from the store"


def test_source_paper_page(html, pages_store) -> None:
    study = config.base_iri() + "id/study/zheng-2013"
    page = html(href(study))
    assert page.find("h1").text() == "Zheng (2013)"
    assert "Social media in Chinese government" in page.find("cite").text()
    assert page.by_id("focus").text() == "Microblogging"
    assert len(page.by_id("purposes").find_all("a")) == 4, page.by_id("purposes").text()
    assert "China" in page.find("dd", cls="place").text() and "Shanghai" in page.find("dd", cls="place").text()
    methods = [h.text() for h in page.by_id("methods").parent.find_all("h3")]  # type: ignore[union-attr]
    assert sorted(methods) == ["Brainstorming focus groups", "Grounded-theory coding", "Semi-structured interviews"], \
        methods
    dims = [h.find("span", cls="count").text() for h in page.find_all("h3") if h.attrs.get("id", "").startswith("dim-")]
    assert [int(x) for x in dims] == [3, 2, 7, 3, 3], f"mentions per dimension {dims}"
    q = """PREFIX egov: <https://w3id.org/egovkg/ontology/>
    SELECT ?s ?e ?quote ?section WHERE { ?m egov:reportedIn ?s ; egov:evidence ?e . ?e egov:quote ?quote ;
    egov:section ?section }"""
    evidence = pages_store.select(config.rebase(q), {"s": _iri(study)})
    quotes = page.by_id("factors").parent.find_all("blockquote", cls="quote")  # type: ignore[union-attr]
    assert len(quotes) == len(evidence) > 0, f"{len(quotes)} quotes on the page, {len(evidence)} in the store"
    for q_, row in zip(sorted(quotes, key=lambda n: n.attrs["cite"]), sorted(evidence, key=lambda r: r["e"]),
                       strict=True):
        assert q_.attrs["cite"] == href(row["e"]) and f"section {row['section']}" in q_.find("footer").text()
        assert q_.find("p").text() == " ".join(row["quote"].split())
    mention = page.by_id("zheng-2013.hierarchical-process")
    review = config.base_iri() + "id/concept/centralized-review-process"
    assert mention.find("a", cls="concept").attrs["href"] == href(review)
    assert "unique to China" in mention.find("span", cls="justification").text()


def test_every_concept_page_lists_the_studies_that_report_it(html, pages_store) -> None:
    concepts = iris_of(pages_store, "FactorConcept")
    assert len(concepts) >= 40, f"found {len(concepts)} concepts"
    q = """PREFIX egov: <https://w3id.org/egovkg/ontology/>
    SELECT ?c ?m ?s ?j WHERE { ?m egov:concept ?c ; egov:reportedIn ?s .
      OPTIONAL { ?m egov:interpretation ?i . ?i egov:interpretedProperty egov:concept ; egov:justification ?j } }"""
    for concept in concepts:
        page = html(href(concept))
        rows = pages_store.select(config.rebase(q), {"c": _iri(concept)})
        studies = {li.attrs["data-study"] for li in page.find_all("li", cls="reporting-study")}
        assert studies == {r["s"] for r in rows}, f"{concept}: studies differ"
        mentions = {li.attrs["data-mention"] for li in page.find_all("li", cls="mention")}
        assert mentions == {r["m"] for r in rows}, f"{concept}: mentions differ"
        justifications = [p.text() for p in page.find_all("p", cls="justification")]
        assert len(justifications) == sum(1 for r in rows if "j" in r), f"{concept}: justifications missing"


def test_concept_page_groups_by_place_then_year(html, pages_store) -> None:
    page = html(href(config.base_iri() + "id/concept/information-security"))
    groups = {g.find("h3").find("a").text(): [li.find("h4").text() for li in g.find_all("li", cls="reporting-study")]
              for g in page.find_all("section", cls="place-group")}
    assert groups == {"China": ["Zheng (2013) 2013"], "United States": ["Bertot et al. (2012) 2012"],
                      "Western countries": ["Center for Technology in Government (2009) 2009",
                                            "Human Capital Institute (2010) 2010"]}, groups
    broader = html(href(config.base_iri() + "id/concept/technology"))
    narrower = [a.text() for a in broader.find("dd", cls="narrower").find_all("a")]
    assert "Government ICT infrastructure and capability" in narrower, narrower


def test_other_resources_keep_the_generic_view(pages_client) -> None:
    r = pages_client.get("/id/mention/zheng-2013.digital-divide", headers={"Accept": "text/html"})
    assert r.status_code == 200 and 'class="study"' not in r.text and 'class="concept-page"' not in r.text
    r = pages_client.get("/id/study/zheng-2013", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle"), "data still negotiated"
    r = pages_client.get("/id/study/zheng-2013", headers={"Accept": "text/html"})
    assert r.headers["vary"] == "Accept" and "text/turtle" in r.headers["link"], r.headers


@pytest.mark.parametrize("path", ["/id/study/no-such-study", "/id/concept/no-such-concept"])
def test_unknown_iris_are_404(pages_client, path) -> None:
    assert pages_client.get(path, headers={"Accept": "text/html"}).status_code == 404
