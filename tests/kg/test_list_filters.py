"""The GraphQL list queries (``kg/queries/gql_*.rq``) select exactly what they selected before their FILTER EXISTS
criteria became joins with sub-selects, for many filters, on the shipped KG plus 50 synthetic studies and a few
hand-made edge cases.

The reference is the queries as they were (``tests/kg/fixtures/lists-before/``: ``git show 0e710b2:kg/queries/…``,
the commit before the rewrite), specialized to the same criteria and bound the same way. The filters are every
dimension, role, polarity, concept, place, focus, purpose and study in the store (and one unknown value of each),
year ranges, texts, pairs of criteria and all of them at once; for the item lists, every class with every study and
the texts. Each case also checks the ``kg.queries.specialize`` contract for the new templates: run whole, with the
criteria not given at "any", they select the same items as specialized.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import list_criteria
import pytest
import synthetic
from rdflib import Literal, URIRef

from kg import config, queries, synth
from kg.build import Built
from kg.store import Store

BEFORE = Path(__file__).parent / "fixtures" / "lists-before"
ANY = URIRef("urn:egovkg:any")
EGOV = "https://w3id.org/egovkg/ontology/"
ID = "https://w3id.org/egovkg/id/"

EDGE_CASES = synth.PREFIXES + """
study:edge-no-date a egov:Study ; rdfs:label "Edge study without a date" ; egov:country place:china ;
    egov:researchFocus focus:microblogging ; egov:purpose purpose:transparency .
study:edge-full-date a egov:Study ; egov:region place:western ; dcterms:title "Edge: E-Government (2011)" ;
    dcterms:issued "2011-05-03"^^xsd:date ; egov:purpose purpose:transparency , purpose:emergency-response .
study:edge-country-and-region a egov:Study ; egov:country place:united-states ; egov:region place:western ;
    dcterms:issued "2013"^^xsd:gYear ; egov:researchFocus focus:social-media-in-general ;
    egov:authors "Ünal, Ö." ; dcterms:description "An edge case with SECURITY in capitals."@en ;
    egov:usesMethod <https://w3id.org/egovkg/id/method/edge-method> ;
    egov:interpretation interp:edge-study ;
    egov:reportsFactor m:edge-two-concepts , m:edge-no-concept .
study:edge-nowhere a egov:Study ; dcterms:issued "2012"^^xsd:gYear .
<https://w3id.org/egovkg/id/method/edge-method> a egov:Method ; rdfs:label "Edge method: a survey of government" .
interp:edge-study a egov:Interpretation ; egov:interpretedProperty egov:country ;
    egov:justification "Edge: the country and the region, both given."@en ; prov:wasAttributedTo agent:curators .
m:edge-two-concepts a egov:FactorMention ; rdfs:label "Security and funding"@en ;
    egov:labelAsWritten "security & FUNDING" ; egov:reportedIn study:edge-country-and-region ;
    egov:dimension dim:technological ; egov:role role:internal-weakness ;
    egov:concept fc:information-security , fc:funding ; egov:interpretation interp:edge-mention ;
    egov:evidence ev:edge-quote .
m:edge-no-concept a egov:FactorMention ; rdfs:label "Unaligned"@en ; egov:reportedIn study:edge-country-and-region ;
    egov:dimension dim:information ; egov:role role:external-challenge .
interp:edge-mention a egov:Interpretation ; egov:interpretedProperty egov:concept ;
    egov:justification "Edge: two concepts for one mention."@en ; prov:wasAttributedTo agent:curators .
ev:edge-quote a egov:Evidence ; egov:quote "Edge quote about security."@en ;
    prov:wasDerivedFrom study:edge-country-and-region .
"""

TEXTS = ["government", "Security", "GARCIA", "synthetic 1", "zheng", "e-government (2011)", "ünal", "funding",
         "quote on", "no such text anywhere"]
YEARS = [(2010, 9999), (0, 2010), (2011, 2013), (2012, 2012), (2030, 9999), (2013, 2011), (0, 9999)]
QUERIES = {
    "gql_studies": ["dimension", "role", "polarity", "concept", "place", "focus", "purpose", "years", "text"],
    "gql_mentions": ["dimension", "role", "polarity", "study", "concept", "place", "focus", "purpose", "years", "text"],
    "gql_concepts": ["dimension", "role", "polarity", "place", "text"],
}
ITEM_CLASSES = ["Evidence", "Statistic", "Claim", "Recommendation", "Method", "FactorRelation", "Interpretation"]
KEYS = list_criteria.VALUES  # how to find every value of a criterion in the store


@pytest.fixture(scope="module")
def list_store(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The shipped KG, 50 synthetic studies (seed 3) and the edge cases in the embedded store."""
    s = synthetic.store(built, synthetic.corpus(tmp_path_factory.mktemp("lists"), 50, 3, EDGE_CASES))
    yield s
    s.close()


@pytest.fixture(scope="module")
def values(list_store: Store) -> dict[str, list[Any]]:
    """Every value of every criterion in the store, plus one unknown value of each IRI criterion."""
    out: dict[str, list[Any]] = {}
    for kind, pattern in KEYS.items():
        found = list_store.select(f"PREFIX egov: <{EGOV}> SELECT DISTINCT ?v WHERE {{ {pattern} }}")
        out[kind] = sorted(URIRef(r["v"]) for r in found) + [URIRef(f"{ID}{kind}/no-such-{kind}")]
    out["years"] = YEARS
    out["text"] = TEXTS
    return out


def given(criterion: str, value: Any) -> dict[str, Any]:
    """The bindings of one criterion, as api/graphql/resolvers/lists.py makes them."""
    if criterion == "years":
        return {"yearFrom": Literal(value[0]), "yearTo": Literal(value[1])}
    if criterion == "text":
        return {"text": Literal(value)}
    return {criterion: value}


def at_any(criteria: list[str]) -> dict[str, Any]:
    """Every criterion at "any", as the whole template takes it."""
    out: dict[str, Any] = {}
    for c in criteria:
        if c == "years":
            out |= {"yearFrom": Literal(0), "yearTo": Literal(9999)}
        elif c == "text":
            out["text"] = Literal("")
        else:
            out[c] = ANY
    return out


def spread(values: list[Any], n: int = 3) -> list[Any]:
    """Up to ``n`` values taken evenly across the list (the unknown value, last, is among them)."""
    step = max(1, len(values) // n)
    return list(dict.fromkeys(values[::-step][:n]))


def cases(criteria: list[str], values: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Nothing given; every value of every criterion alone; pairs of criteria (a few values of each); all at once."""
    out: list[dict[str, Any]] = [{}]
    for c in criteria:
        out += [given(c, v) for v in values[c]]
    for a, b in combinations(criteria, 2):
        out += [given(a, x) | given(b, y) for x in spread(values[a]) for y in spread(values[b])]
    everything: dict[str, Any] = {}
    for c in criteria:
        everything |= given(c, values[c][0] if c in ("years", "text") else values[c][len(values[c]) // 2])
    out.append(everything)
    return out


def before_text(name: str) -> str:
    return config.rebase((BEFORE / f"{name}.rq").read_text(encoding="utf-8"), config.base_iri())


def items(store: Store, text: str, bindings: dict[str, Any]) -> list[str]:
    return sorted({r["item"] for r in store.select(text, bindings or None)})


def check(store: Store, name: str, criteria: list[str], case: dict[str, Any], extra: dict[str, Any]) -> list[str]:
    """The items of one case by the new query, asserting that the old one and the new whole template agree."""
    new, old = queries.text(name), before_text(name)
    bound = case | extra
    got = items(store, queries.specialize(new, case), bound)
    assert got == items(store, queries.specialize(old, case), bound), f"{name} {case} {extra}: differs from before"
    whole = items(store, new, at_any(criteria) | bound)
    assert whole == got, f"{name} {case} {extra}: the whole template at 'any' differs from the specialized one"
    return got


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_list_selects_what_it_selected_before(name: str, list_store: Store, values: dict[str, list[Any]]) -> None:
    criteria = QUERIES[name]
    everything = check(list_store, name, criteria, {}, {})
    checked = non_empty = narrowed = 0
    for case in cases(criteria, values):
        got = check(list_store, name, criteria, case, {})
        checked += 1
        non_empty += bool(got)
        narrowed += 0 < len(got) < len(everything)
    # (cases, cases selecting something, cases selecting something but not everything), a little below the counts
    # of the current KG, so that the comparison stays a test of the criteria
    least = {"gql_studies": (450, 200, 200), "gql_mentions": (600, 250, 250), "gql_concepts": (130, 45, 45)}[name]
    assert checked >= least[0] and non_empty >= least[1] and narrowed >= least[2], (checked, non_empty, narrowed)


def test_item_lists_select_what_they_selected_before(list_store: Store, values: dict[str, list[Any]]) -> None:
    criteria = ["study", "text"]
    checked = non_empty = 0
    for cls in ITEM_CLASSES:
        extra = {"class": URIRef(EGOV + cls)}
        for case in cases(criteria, values):
            got = check(list_store, "gql_items", criteria, case, extra)
            checked += 1
            non_empty += bool(got)
    assert checked >= 640 and non_empty >= 120, (checked, non_empty)


def test_the_edge_cases_are_selected(list_store: Store) -> None:
    """The edge cases do what they are there for: a region given directly and with a country, a mention with two
    concepts and one with none, a method and an interpretation reached through the study."""
    def keys(name: str, **kw: Any) -> set[str]:
        got = items(list_store, queries.specialize(queries.text(name), kw), kw)
        return {i.rsplit("/", 1)[-1] for i in got if "edge" in i}

    western = URIRef(f"{ID}place/western")
    edge = URIRef(f"{ID}study/edge-country-and-region")
    assert keys("gql_studies", place=western) == {"edge-full-date", "edge-country-and-region"}
    assert keys("gql_mentions", concept=URIRef(f"{ID}concept/funding")) == {"edge-two-concepts"}
    assert keys("gql_mentions", study=edge, text=Literal("SECURITY")) == {"edge-two-concepts"}
    assert keys("gql_items", **{"class": URIRef(EGOV + "Method"), "study": edge}) == {"edge-method"}
    assert keys("gql_items", **{"class": URIRef(EGOV + "Interpretation"), "study": edge}) == {
        "edge-study", "edge-mention"}
    assert keys("gql_studies", text=Literal("ünal")) == {"edge-country-and-region"}
