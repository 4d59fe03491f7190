"""The paper's claim (section 5.4), recomputed from the KG with ``kg.compare``.

Comparing Zheng (2013) with the Western studies of its Table 1: the three findings the paper calls unique to China
come out China-only, with their evidence; every other Table 2 factor comes out shared with at least one named
Western study through its aligned concepts (exactly, or through a broader or narrower concept; ``skos:related`` is
not a match). Where the KG cannot defend a Western counterpart, the factor is a stated, explained disagreement
with the paper, listed below; the test computes the set and fails if it changes.
"""

from dataclasses import dataclass

import pytest

from kg import compare as cmp
from kg.namespaces import CONCEPT, PLACE, STUDY
from kg.store import Store

PREFIXES = """
PREFIX egov: <https://w3id.org/egovkg/ontology/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# pyoxigraph substitutes only projected variables, so every bound variable is in the SELECT clause.
UNIQUE_CONCEPTS = {CONCEPT["centralized-review-process"], CONCEPT["water-army"], CONCEPT["international-influence"]}
"""Section 5.4: "Centralized review process, 'water army' and international influence seem to be the three unique
findings from China." The test reads them from the data's UniqueFindingClaim nodes and checks they are these."""

DISAGREEMENTS = {
    "Low trust in government": (
        "No Western study of Table 1 reports citizens' trust in government; the nearest Western issue, CTG (2009)'s "
        "'perception' (of government social media), is aligned to a concept that is only skos:related to public "
        "trust, which is not a match.",
        {CONCEPT["public-perception"]},
    ),
}
"""Table 2 factors the KG finds no defensible Western counterpart for, although the paper implies one: the label,
why, and the Western-reported concepts that are only skos:related to it (the nearest candidates, not matches)."""


@dataclass
class Sharing:
    """How one concept of a Zheng (2013) factor is shared with the Western group."""

    concept: str
    status: str
    western_studies: set[str]
    western_mentions: set[str]


@pytest.fixture(scope="module")
def western(store: Store) -> list[str]:
    return cmp.resolve_group(store, cmp.StudyGroup.parse("place=western"))


@pytest.fixture(scope="module")
def comparison(store: Store) -> cmp.Comparison:
    return cmp.compare(store, cmp.StudyGroup.parse("studies=zheng-2013"), cmp.StudyGroup.parse("place=western"))


@pytest.fixture(scope="module")
def table2_factors(store: Store) -> dict[str, dict[str, set[str]]]:
    """Each Table 2 mention of Zheng (2013): its label and its concepts."""
    rows = store.select(PREFIXES + """
        SELECT ?study ?mention ?label ?concept WHERE {
          ?mention egov:reportedIn ?study ; egov:table "Table 2" ; egov:labelAsWritten ?label ; egov:concept ?concept .
        }""", {"study": STUDY["zheng-2013"]})
    out: dict[str, dict[str, set[str]]] = {}
    for r in rows:
        out.setdefault(r["mention"], {"label": set(), "concepts": set()})
        out[r["mention"]]["label"].add(r["label"])
        out[r["mention"]]["concepts"].add(r["concept"])
    return out


def broader_closure(store: Store, concept: str) -> set[str]:
    return {r["b"] for r in store.select(PREFIXES + "SELECT ?c ?b WHERE { ?c skos:broader+ ?b }", {"c": _iri(concept)})}


def narrower_closure(store: Store, concept: str) -> set[str]:
    return {r["n"] for r in store.select(PREFIXES + "SELECT ?c ?n WHERE { ?n skos:broader+ ?c }", {"c": _iri(concept)})}


def _iri(value: str):  # type: ignore[no-untyped-def]
    from rdflib import URIRef

    return URIRef(value)


def sharing(store: Store, comparison: cmp.Comparison, concept: str) -> Sharing:
    """Who in the Western group reports ``concept``: the same concept, or (as the comparison says) a broader or a
    narrower one."""
    by_concept = {c.concept: c for c in comparison.concepts}
    entry = by_concept.get(concept)
    if entry is None:
        return Sharing(concept, "absent", set(), set())
    if entry.status != "both":
        return Sharing(concept, entry.status, set(), set())
    if entry.strength == "exact":
        counterparts = {concept}
    elif entry.strength == "broader":
        counterparts = broader_closure(store, concept)
    else:
        counterparts = narrower_closure(store, concept)
    mentions = [m for c in counterparts if c in by_concept for m in by_concept[c].mentions_b]
    return Sharing(concept, f"both/{entry.strength}", {m.study for m in mentions}, {m.mention for m in mentions})


def test_western_group_is_the_non_chinese_reviewed_studies(store: Store, western: list[str]) -> None:
    reviewed = {r["s"] for r in store.select(PREFIXES + "SELECT ?z ?s WHERE { ?z egov:reviews ?s }",
                                             {"z": STUDY["zheng-2013"]})}
    chinese = {r["s"] for r in store.select(PREFIXES + "SELECT ?c ?s WHERE { ?s egov:country ?c }",
                                            {"c": PLACE.china})}
    assert len(reviewed) == 16, f"Zheng (2013) reviews 16 studies in Table 1, the KG has {len(reviewed)}"
    assert set(western) == reviewed - chinese, (
        f"the Western group must be the reviewed studies outside China: got {sorted(western)}, "
        f"expected {sorted(reviewed - chinese)}")


def test_unique_findings_are_read_from_the_claims(store: Store) -> None:
    rows = store.select(PREFIXES + """
        SELECT ?study ?west ?claim ?concept WHERE {
          ?study egov:makesClaim ?claim . ?claim a egov:UniqueFindingClaim ; egov:concernsConcept ?concept ;
                 egov:comparedWith ?west .
        }""", {"study": STUDY["zheng-2013"], "west": PLACE.western})
    assert {r["concept"] for r in rows} == {str(c) for c in UNIQUE_CONCEPTS}, (
        f"the unique-finding claims concern {sorted(r['concept'] for r in rows)}; the paper names three")


@pytest.mark.parametrize("concept", sorted(UNIQUE_CONCEPTS), ids=lambda c: c.rsplit("/", 1)[-1])
def test_unique_finding_is_china_only_with_evidence(store: Store, comparison: cmp.Comparison, concept: str) -> None:
    entry = next((c for c in comparison.concepts if c.concept == str(concept)), None)
    assert entry is not None, f"{concept} is missing from the comparison"
    assert entry.status == "a", (
        f"{entry.label}: the paper calls it unique to China, but the comparison gives {entry.status}/{entry.strength} "
        f"with Western mentions {[m.label for m in entry.mentions_b]}")
    assert entry.mentions_a, f"{entry.label}: no Zheng (2013) mention behind it"
    for m in entry.mentions_a:
        quotes = store.select(PREFIXES + """
            SELECT ?m ?evidence ?quote ?section WHERE { ?m egov:evidence ?evidence .
              ?evidence egov:quote ?quote ; egov:section ?section . FILTER(STRLEN(STR(?quote)) > 0) }""",
                              {"m": _iri(m.mention)})
        assert quotes, f"{m.label} ({m.mention}) has no evidence quote with its section"
    claim_evidence = store.select(PREFIXES + """
        SELECT ?c ?quote WHERE {
          ?claim a egov:UniqueFindingClaim ; egov:concernsConcept ?c ; egov:evidence/egov:quote ?quote
        }""",
                                  {"c": _iri(str(concept))})
    assert claim_evidence, f"the unique-finding claim about {entry.label} has no evidence quote"


def test_every_other_table2_factor_is_shared_with_a_named_western_study(
        store: Store, comparison: cmp.Comparison, table2_factors: dict[str, dict[str, set[str]]],
        western: list[str]) -> None:
    assert len(table2_factors) == 18, f"Table 2 has 18 factors, the KG {len(table2_factors)}"
    unique = {str(c) for c in UNIQUE_CONCEPTS}
    justified = {row["m"] for row in store.select(PREFIXES + """
        SELECT ?m WHERE { ?m egov:interpretation ?i . ?i egov:interpretedProperty egov:concept ;
                             egov:justification ?why . FILTER(STRLEN(STR(?why)) > 0) }""")}
    not_shared: dict[str, list[Sharing]] = {}
    shared_count = 0
    for mention, f in sorted(table2_factors.items()):
        (label,) = f["label"]
        others = f["concepts"] - unique
        if not others:
            continue  # a unique finding, tested above
        results = [sharing(store, comparison, c) for c in sorted(others)]
        for r in results:
            assert r.western_studies <= set(western), f"{label}: counterparts outside the Western group {r}"
        if all(r.western_studies for r in results):
            shared_count += 1
            print(f"{label}: " + "; ".join(
                f"{r.concept.rsplit('/', 1)[-1]} {r.status} with "
                f"{sorted(s.rsplit('/', 1)[-1] for s in r.western_studies)}" for r in results))
            for r in results:
                unjustified = (r.western_mentions | {mention}) - justified
                assert not unjustified, f"{label}: alignments without a justification: {sorted(unjustified)}"
        else:
            not_shared[label] = results
    disagreements = set(not_shared)
    report = "\n".join(f"  {label}: {res}" for label, res in not_shared.items())
    assert disagreements == set(DISAGREEMENTS), (
        "the Table 2 factors with no Western counterpart changed.\n"
        f"  not shared now: {sorted(disagreements)}\n  stated disagreements: {sorted(DISAGREEMENTS)}\n{report}")
    assert shared_count == 18 - 2 - len(DISAGREEMENTS), (
        f"{shared_count} factors shared: 18 minus the two wholly unique factors minus the disagreements")


@pytest.mark.parametrize("label", sorted(DISAGREEMENTS))
def test_disagreement_is_explained(store: Store, comparison: cmp.Comparison,
                                   table2_factors: dict[str, dict[str, set[str]]], label: str) -> None:
    _, nearest = DISAGREEMENTS[label]
    concepts = next(f["concepts"] for f in table2_factors.values() if label in f["label"])
    by_concept = {c.concept: c for c in comparison.concepts}
    related_in_west = set()
    for c in concepts:
        assert by_concept[c].status == "a", f"{label}: {c} is {by_concept[c].status}, not China-only"
        for r in store.select(PREFIXES + "SELECT ?c ?r WHERE { ?c skos:related ?r }", {"c": _iri(c)}):
            if r["r"] in by_concept and by_concept[r["r"]].mentions_b:
                related_in_west.add(r["r"])
    assert related_in_west == {str(n) for n in nearest}, (
        f"{label}: the Western-reported concepts only skos:related to it are {sorted(related_in_west)}, "
        f"the stated explanation names {sorted(map(str, nearest))}")
