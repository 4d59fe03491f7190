"""``pages_studies.rq`` (the study lists of the landing, network and comparison pages) and
``pages_concept_mentions.rq`` (a concept page's mentions): each study's place is its country, else its region, with
that place's label; read from the triples on the shipped KG, synthetic studies and
hand-made edge cases (a region only, a country and a region, several countries, no place, a place without a
label)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import synthetic
from rdflib import RDF, RDFS, Graph, Namespace

from kg import config, queries, synth
from kg.build import Built
from kg.store import Store

EDGE_CASES = synth.PREFIXES + """
study:edge-region-only a egov:Study ; rdfs:label "Edge: a region only" ; egov:region place:western .
study:edge-both a egov:Study ; rdfs:label "Edge: a country and a region" ;
    egov:country place:united-states ; egov:region place:western .
study:edge-two-countries a egov:Study ; rdfs:label "Edge: two countries" ;
    egov:country place:china , place:united-states .
study:edge-nowhere a egov:Study ; rdfs:label "Edge: no place" .
study:edge-unlabelled a egov:Study ; rdfs:label "Edge: a place without a label" ; egov:country place:atlantis .
""" + "".join(f"""
m:edge-{key}.m1 a egov:FactorMention ; rdfs:label "Edge mention of {key}" ; egov:reportedIn study:edge-{key} ;
    egov:dimension dim:information ; egov:role role:issue ; egov:concept fc:digital-divide .
""" for key in ("region-only", "both", "two-countries", "nowhere", "unlabelled"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic.corpus(tmp_path_factory.mktemp("pages-studies"), 40, 7, EDGE_CASES)


@pytest.fixture(scope="module")
def store(built: Built, corpus: Path) -> Iterator[Store]:
    s = synthetic.store(built, corpus)
    yield s
    s.close()


EGOV = Namespace(config.rebase("https://w3id.org/egovkg/ontology/"))


@pytest.fixture(scope="module")
def graph(corpus: Path) -> Graph:
    g = Graph()
    for path in [*sorted(config.DATA_DIR.rglob("*.ttl")), *sorted(corpus.rglob("*.ttl"))]:
        g.parse(path, format="turtle")
    return g


def places(g: Graph, study) -> set[tuple[str | None, str | None]]:
    """The (place, label) rows of a study: its countries, else its regions, else none."""
    found = list(g.objects(study, EGOV.country)) or list(g.objects(study, EGOV.region))
    out: set[tuple[str | None, str | None]] = set()
    for place in found or [None]:
        label = g.value(place, RDFS.label) if place is not None else None
        out.add((str(place) if place else None, str(label) if label is not None else None))
    return out


def test_each_study_has_its_country_else_its_region_with_its_label(store: Store, graph: Graph) -> None:
    expected = {(str(s), *p) for s in set(graph.subjects(RDF.type, EGOV.Study)) for p in places(graph, s)}
    got = {(r["study"], r.get("place"), r.get("placeLabel")) for r in queries.select(store, "pages_studies")}
    assert got == expected
    cases = {s.rsplit("/", 1)[-1]: (p, lab) for s, p, lab in got if "/edge-" in s}
    assert cases["edge-region-only"][0].endswith("/western") and cases["edge-region-only"][1], "a region only"
    assert cases["edge-both"][0].endswith("/united-states"), "the country wins over the region"
    assert cases["edge-nowhere"] == (None, None) and cases["edge-unlabelled"][1] is None
    assert len({s for s, _, _ in got}) > 60, "the shipped studies, 40 synthetic ones and the edge cases"


def test_a_concepts_mentions_have_their_studys_place(store: Store, graph: Graph) -> None:
    from rdflib import URIRef

    concept = URIRef(config.rebase("https://w3id.org/egovkg/id/concept/digital-divide"))
    expected = {(str(m), *p) for m in graph.subjects(EGOV.concept, concept)
                for p in places(graph, graph.value(m, EGOV.reportedIn))}
    rows = queries.select(store, "pages_concept_mentions", concept=concept)
    got = {(r["mention"], r.get("place"), r.get("placeLabel")) for r in rows}
    assert got == expected
    edge = {m.rsplit("/", 1)[-1]: (p, lab) for m, p, lab in got if "/edge-" in m}
    assert len(edge) == 5 and edge["edge-nowhere.m1"] == (None, None), "every edge study's mention, placed or not"
    assert len(got) > 10, "the concept's mentions in the shipped and synthetic studies too"
