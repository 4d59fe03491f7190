"""A study group resolves (``kg.compare.resolve_group``: ``group_members.rq`` specialized to the criteria given, the
group's studies as a VALUES block) to exactly the studies a plain reading of the triples gives, for many groups, on
the shipped KG plus synthetic studies and a few hand-made edge cases (no date, two dates, a full date, a bad date,
a region given directly, a country given with its region).

The reference below reads the triples with rdflib (the files, not the store) and applies the rules in Python:
- place: the study's egov:country or egov:region is the place, or its country's egov:region is;
- focus, purpose: the study has it;
- years: some dcterms:issued whose first four characters are an integer in the bounds (inclusive); a study
  without one is left out once a bound is given;
- studies: the study is one of those given (keys expanded under the base; unknown keys match nothing);
all given criteria must hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

import pytest
import synthetic
from rdflib import RDF, Graph, Namespace, URIRef

from kg import bulk, config, queries, synth
from kg import compare as cmp
from kg.build import Built
from kg.store import Store

EGOV = Namespace("https://w3id.org/egovkg/ontology/")
ISSUED = URIRef("http://purl.org/dc/terms/issued")
ID = "https://w3id.org/egovkg/id/"

EDGE_CASES = synth.PREFIXES + """
study:edge-no-date a egov:Study ; egov:country place:china ;
    egov:researchFocus focus:microblogging ; egov:purpose purpose:transparency .
study:edge-two-dates a egov:Study ; egov:country place:united-states ;
    dcterms:issued "2009"^^xsd:gYear , "2014"^^xsd:gYear ; egov:researchFocus focus:microblogging .
study:edge-full-date a egov:Study ; egov:region place:western ;
    dcterms:issued "2011-05-03"^^xsd:date ; egov:purpose purpose:transparency , purpose:emergency-response .
study:edge-bad-date a egov:Study ; egov:country place:mexico ; dcterms:issued "19x5"^^xsd:gYear .
study:edge-country-and-region a egov:Study ; egov:country place:united-states ; egov:region place:western ;
    dcterms:issued "2013"^^xsd:gYear ; egov:researchFocus focus:social-media-in-general .
study:edge-nowhere a egov:Study ; dcterms:issued "2012"^^xsd:gYear .
"""


@dataclass
class Facts:
    """What the reference needs of each study, read from the triples."""

    studies: set[str] = field(default_factory=set)
    places: dict[str, set[str]] = field(default_factory=dict)
    foci: dict[str, set[str]] = field(default_factory=dict)
    purposes: dict[str, set[str]] = field(default_factory=dict)
    years: dict[str, set[int]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """50 synthetic studies (seed 3) and the edge cases, laid out like kg/data."""
    return synthetic.corpus(tmp_path_factory.mktemp("groups"), 50, 3, EDGE_CASES)


@pytest.fixture(scope="module")
def group_store(built: Built, corpus: Path) -> Iterator[Store]:
    """The shipped KG plus the corpus in the embedded store."""
    s = synthetic.store(built, corpus)
    yield s
    s.close()


@pytest.fixture(scope="module")
def facts(built: Built, corpus: Path) -> Facts:
    """The reference facts, from rdflib parsing the built dataset and the corpus files (no SPARQL)."""
    g = Graph()
    for s, p, o, _ in built.dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    for path in bulk.study_files(corpus):
        g.parse(data=config.rebase(path.read_text(encoding="utf-8"), config.base_iri()), format="turtle")
    f = Facts()
    for study in g.subjects(RDF.type, EGOV.Study):
        key = str(study)
        f.studies.add(key)
        countries = set(g.objects(study, EGOV.country))
        regions = set(g.objects(study, EGOV.region)) | {r for c in countries for r in g.objects(c, EGOV.region)}
        f.places[key] = {str(x) for x in countries | regions}
        f.foci[key] = {str(x) for x in g.objects(study, EGOV.researchFocus)}
        f.purposes[key] = {str(x) for x in g.objects(study, EGOV.purpose)}
        f.years[key] = {int(str(d)[:4]) for d in g.objects(study, ISSUED) if re.fullmatch(r"[+-]?\d+", str(d)[:4])}
    return f


def reference(f: Facts, group: cmp.StudyGroup) -> list[str]:
    """The studies of ``group`` by the rules above, in Python."""
    wanted = {cmp.expand("study", s) for s in group.studies}
    lo = group.year_from if group.year_from is not None else 0
    hi = group.year_to if group.year_to is not None else 9999
    dated = group.year_from is not None or group.year_to is not None
    return sorted(
        s
        for s in f.studies
        if (not group.studies or s in wanted)
        and (not group.place or cmp.expand("place", group.place) in f.places[s])
        and (not group.focus or cmp.expand("focus", group.focus) in f.foci[s])
        and (not group.purpose or cmp.expand("purpose", group.purpose) in f.purposes[s])
        and (not dated or any(lo <= y <= hi for y in f.years[s]))
    )


def key(iri: str) -> str:
    """The short key of an IRI under the base (``…/id/place/china`` -> ``china``)."""
    return iri.rsplit("/", 1)[-1]


def groups(f: Facts) -> list[cmp.StudyGroup]:
    """Every place, focus and purpose of the KG alone (as keys, some as full IRIs), year ranges, lists of studies
    with unknown and malformed names, and combinations of them all."""
    places = sorted(set().union(*f.places.values())) + [f"{ID}place/atlantis"]
    foci = sorted(set().union(*f.foci.values())) + ["no-such-focus"]
    purposes = sorted(set().union(*f.purposes.values()))
    years = [(2010, None), (None, 2010), (2011, 2013), (2012, 2012), (2009, 2009), (2014, 2014), (1900, 1970),
             (2030, None), (2013, 2011)]
    shipped = sorted(s for s in f.studies if "/synth-" not in s)
    synthetic = sorted(s for s in f.studies if "/synth-" in s)
    studies = [
        ("zheng-2013",),
        ("nope",),
        ("zheng-2013", "nope", "han-2012"),
        tuple(key(s) for s in shipped),
        tuple(synthetic[:20]) + ("synth-999999",),
        ("edge-no-date", "edge-two-dates", "edge-bad-date", "edge-full-date", "edge-nowhere"),
        ("http://example.org/not a study", "zheng-2013"),
        ("https://example.org/elsewhere/zheng-2013",),
        tuple(key(s) for s in sorted(f.studies)),
    ]
    out = [cmp.StudyGroup(place=key(p) if i % 2 else p) for i, p in enumerate(places)]
    out += [cmp.StudyGroup(focus=key(x)) for x in foci] + [cmp.StudyGroup(purpose=key(x)) for x in purposes]
    out += [cmp.StudyGroup(year_from=a, year_to=b) for a, b in years]
    out += [cmp.StudyGroup(studies=s) for s in studies]
    out += [cmp.StudyGroup(place=key(p), year_from=a, year_to=b) for p, (a, b) in product(places[:8], years[:4])]
    out += [cmp.StudyGroup(place=key(p), focus=key(x)) for p, x in product(places[:8], foci)]
    out += [cmp.StudyGroup(focus=key(x), purpose=key(u)) for x, u in product(foci, purposes)]
    out += [cmp.StudyGroup(studies=s, place=key(p)) for s, p in product(studies, places[:6])]
    out += [cmp.StudyGroup(studies=s, year_from=a, year_to=b) for s, (a, b) in product(studies, years[:5])]
    out += [
        cmp.StudyGroup(place=key(p), focus=key(x), purpose=key(u), year_from=2010, year_to=2013)
        for p, x, u in product(places[:4], foci[:2], purposes[:3])
    ]
    out += [cmp.StudyGroup(studies=studies[-1], place="western", focus="microblogging", purpose=key(purposes[0]),
                           year_to=2012)]
    return out


def test_groups_resolve_to_the_reference(group_store: Store, facts: Facts) -> None:
    checked = non_empty = narrowed = 0
    for g in groups(facts):
        expected = reference(facts, g)
        assert cmp.resolve_group(group_store, g) == expected, f"{g}"
        checked += 1
        non_empty += bool(expected)
        narrowed += 0 < len(expected) < len(facts.studies)
    assert len(facts.studies) > 70, "the shipped studies, 50 synthetic ones and the edge cases"
    assert checked > 250 and non_empty >= 120 and narrowed >= 120, (checked, non_empty, narrowed)


def test_the_edge_cases_are_in_the_reference(facts: Facts) -> None:
    """The edge cases do what they are there for (so the comparison above covers them)."""
    def studies(**kw: Any) -> set[str]:
        return {key(s) for s in reference(facts, cmp.StudyGroup(**kw)) if "/edge-" in s}

    assert studies(place="western") == {"edge-two-dates", "edge-full-date", "edge-bad-date", "edge-country-and-region"}
    assert studies(place="china") == {"edge-no-date"}
    assert studies(year_from=2011, year_to=2011) == {"edge-full-date"}
    assert studies(year_from=2010, year_to=2013) == {"edge-full-date", "edge-country-and-region", "edge-nowhere"}
    assert studies(year_from=2014) == {"edge-two-dates"} and studies(year_to=2009) == {"edge-two-dates"}
    assert studies(focus="microblogging") == {"edge-no-date", "edge-two-dates"}


def test_the_whole_template_at_any_selects_what_the_specialized_one_selects(group_store: Store, facts: Facts) -> None:
    """The ``kg.queries.specialize`` contract: run whole, with the criteria not given at "any", the template
    selects the same studies (before the group's own studies restrict them)."""
    whole = queries.text("group_members")
    for g in groups(facts):
        if g.studies:
            continue
        got = sorted({r["study"] for r in group_store.select(whole, g.bindings())})
        assert got == reference(facts, g), f"{g}"


def test_a_group_of_studies_only_reads_those_studies(facts: Facts) -> None:
    """The studies are a VALUES block of the query (what makes it cost what the group costs), and the criteria not
    given are left out of it."""
    text, given = cmp.group_query(cmp.StudyGroup(studies=("zheng-2013", "http://example.org/not a study")))
    text = text[text.index("\nSELECT ") :]
    assert f"<{ID}study/zheng-2013>" in text and "VALUES (?study)" in text and "example.org" not in text
    assert given == {} and "?inPlace" not in text and "?issued" not in text
    text, given = cmp.group_query(cmp.StudyGroup(place="china", year_to=2012))
    text = text[text.index("\nSELECT ") :]
    assert "VALUES" not in text and "?inPlace" in text and "?issued" in text and "?inFocus" not in text
    assert set(given) == {"place", "yearFrom", "yearTo"} and int(given["yearFrom"]) == 0
