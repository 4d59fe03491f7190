"""The semantics of ``compare.rq`` (through ``kg.compare.compare``) on a tiny hand-made KG.

A concept one side reports is matched ``exact`` when the other side reports the same concept, ``broader`` when the
other side reports only a broader one (transitively), ``narrower`` when it reports only a narrower one, and not at
all when the other side reports only a ``skos:related`` concept. See ``fixtures/compare-tiny.ttl``.
"""

from pathlib import Path

import pytest
import synthetic
from rdflib import Dataset, URIRef

from kg import compare as cmp
from kg.namespaces import CONCEPT, STUDY
from kg.store import OxigraphStore, Store

FIXTURE = Path(__file__).parent / "fixtures" / "compare-tiny.ttl"

EXPECTED: dict[str, tuple[str, str | None]] = {
    "deep": ("both", "broader"),      # b reports fc:wide, two steps up
    "mid": ("absent", None),          # nobody reports it: only a link in the chain
    "wide": ("both", "narrower"),     # a reports fc:deep below it
    "child": ("both", "broader"),
    "parent": ("both", "narrower"),
    "both": ("both", "exact"),
    "left": ("a", None),              # skos:related is not a match
    "right": ("b", None),
    "mixed": ("both", "exact"),       # exact beats the narrower match a's own fc:mixed-child would give
    "mixed-child": ("both", "broader"),
    "lonely": ("absent", None),       # only study c, in neither group
}


@pytest.fixture(scope="module")
def tiny() -> Store:
    ds = Dataset()
    ds.graph(URIRef("https://w3id.org/egovkg/graph/study/tiny")).parse(FIXTURE, format="turtle")
    store = OxigraphStore()
    store.load_dataset(ds)
    return store


@pytest.fixture(scope="module")
def result(tiny: Store) -> cmp.Comparison:
    return cmp.compare(tiny, [str(STUDY.a)], [str(STUDY.b)])


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_concept_match(result: cmp.Comparison, key: str) -> None:
    by_concept = {c.concept: c for c in result.concepts}
    entry = by_concept.get(str(CONCEPT[key]))
    got = (entry.status, entry.strength) if entry else ("absent", None)
    assert got == EXPECTED[key], f"fc:{key}: compare gives {got}, expected {EXPECTED[key]}"


def test_only_the_expected_concepts(result: cmp.Comparison) -> None:
    present = {c.concept for c in result.concepts}
    expected = {str(CONCEPT[k]) for k, (status, _) in EXPECTED.items() if status != "absent"}
    assert present == expected, f"compared concepts {sorted(present)}, expected {sorted(expected)}"


def test_mentions_behind_each_side(result: cmp.Comparison) -> None:
    by_concept = {c.concept: c for c in result.concepts}
    both = by_concept[str(CONCEPT.both)]
    assert [m.mention.rsplit("/", 1)[-1] for m in both.mentions_a] == ["a.both"], "side a of fc:both"
    assert [m.mention.rsplit("/", 1)[-1] for m in both.mentions_b] == ["b.both"], (
        "side b of fc:both must hold b's mention only, not study c's")
    deep = by_concept[str(CONCEPT.deep)]
    assert [m.label for m in deep.mentions_a] == ["a deep"] and deep.mentions_b == [], (
        "a broader match lists the other side's mentions under the broader concept, not under this one")
    assert {m.study for m in both.mentions_a} == {str(STUDY.a)}, "mentions carry their study"


def test_sides_are_symmetric(tiny: Store, result: cmp.Comparison) -> None:
    swapped = cmp.compare(tiny, [str(STUDY.b)], [str(STUDY.a)])
    flip = {"a": "b", "b": "a", "both": "both"}
    forward = {c.concept: (flip[c.status], c.strength) for c in result.concepts}
    backward = {c.concept: (c.status, c.strength) for c in swapped.concepts}
    assert forward == backward, "swapping the groups must swap only-a and only-b and keep every match strength"


def test_classify_rule() -> None:
    rows = [
        {"concept": "x", "side": "a"}, {"concept": "x", "side": "b"},
        {"concept": "y", "side": "a", "best": 1},
        {"concept": "z", "side": "b", "best": 2},
        {"concept": "w", "side": "a"},
    ]
    assert cmp.classify(rows) == {"x": ("both", "exact"), "y": ("both", "broader"), "z": ("both", "narrower"),
                                  "w": ("a", None)}, "classify must map compare.rq rows to (status, strength)"


def test_empty_groups(tiny: Store) -> None:
    res = cmp.compare(tiny, [], [])
    assert res.concepts == [], "comparing nothing reports nothing"


def test_summary_counts_what_compare_lists(tiny: Store, result: cmp.Comparison) -> None:
    """compare.rq's counts and labels equal the whole comparison's mention lists, concept by concept."""
    summary = cmp.summarize(tiny, [str(STUDY.a)], [str(STUDY.b)])
    assert summary.sparql == result.sparql, "the summary is the comparison query kg.compare runs"
    assert [(c.concept, c.label, c.status, c.strength) for c in summary.concepts] == [
        (c.concept, c.label, c.status, c.strength) for c in result.concepts], "the same concepts, in the same order"
    counted = 0
    for s, c in zip(summary.concepts, result.concepts, strict=True):
        for side, refs in (("a", c.mentions_a), ("b", c.mentions_b)):
            assert s.mentions[side] == len(refs), f"{c.concept} side {side}: mention count"
            assert s.studies[side] == len({m.study for m in refs}), f"{c.concept} side {side}: study count"
            counted += bool(refs)
    assert counted >= 8, f"only {counted} non-empty sides"


def test_members_are_the_whole_sides(tiny: Store, result: cmp.Comparison) -> None:
    keys = [(c.concept, side) for c in result.concepts for side in ("a", "b")]
    text, found = cmp.members(tiny, [str(STUDY.a)], [str(STUDY.b)], keys)
    assert "GROUP_CONCAT" in text and set(found) == set(keys), "one query answers every key"
    for c in result.concepts:
        for side, refs in (("a", c.mentions_a), ("b", c.mentions_b)):
            m = found[(c.concept, side)]
            assert m.mentions == sorted(r.mention for r in refs), f"{c.concept} side {side}: mentions by IRI"
            assert m.studies == sorted({r.study for r in refs}), f"{c.concept} side {side}: studies by IRI"
            assert m.study_of == {r.mention: r.study for r in refs}, f"{c.concept} side {side}: mention -> study"


def test_page_is_keyset() -> None:
    items = ["a", "c", "e", "g"]
    assert cmp.page(items, 2) == ["a", "c"] and cmp.page(items, 2, "c") == ["e", "g"]
    assert cmp.page(items, 2, "d") == ["e", "g"], "after need not be an item (it may have been removed)"
    assert cmp.page(items, 5, "g") == [] and cmp.page(items, 0) == []


# -- compare.rq, the one-query form SPARQL users read, answers what summarize computes ------------------------------
@pytest.fixture(scope="module")
def synthetic_store(built, tmp_path_factory: pytest.TempPathFactory):
    """The shipped KG plus 200 synthetic studies (seed 5): narrower synthetic concepts under the real scheme, so that
    every strength occurs across many groups."""
    s = synthetic.store(built, synthetic.corpus(tmp_path_factory.mktemp("compare-synth"), 200, 5))
    yield s
    s.close()


def compare_rq(store: Store, a: list[str], b: list[str]) -> dict[str, tuple[str, str | None, dict, dict, str]]:
    """Concept -> (status, strength, studies by side, mentions by side, label), from compare.rq alone."""
    from kg import queries

    rows = store.select(queries.fill(queries.text("compare"), cmp.sides_block(a, b))) if a or b else []
    counts: dict[str, tuple[dict, dict, str]] = {}
    for r in rows:
        studies, mentions, _ = counts.setdefault(r["concept"], ({"a": 0, "b": 0}, {"a": 0, "b": 0}, r.get("label")))
        studies[r["side"]], mentions[r["side"]] = int(r["studies"]), int(r["mentions"])
    return {c: (status, strength, *counts[c]) for c, (status, strength) in cmp.classify(rows).items()}


def test_compare_rq_answers_what_summarize_computes(synthetic_store: Store, tiny: Store) -> None:
    """kg.compare.summarize (counts, then ancestors, ranked in Python) and compare.rq (all in SPARQL) agree on every
    concept's status, strength, counts and label, for many pairs of groups."""
    pairs = [(tiny, [str(STUDY.a)], [str(STUDY.b)]), (tiny, [str(STUDY.b)], [str(STUDY.a), str(STUDY.c)])]
    places = [r["p"] for r in synthetic_store.select(
        "SELECT DISTINCT ?p WHERE { ?s <https://w3id.org/egovkg/ontology/country> ?p }")]
    regions = ["western", "china", "asia", "europe", "north-america"]
    groups = [cmp.StudyGroup(place=p) for p in places[:8] + regions] + [
        cmp.StudyGroup(year_from=2005, year_to=2011), cmp.StudyGroup(studies=("zheng-2013",))]
    for ga in groups:
        for gb in groups[::3]:
            if ga != gb:
                pairs.append((synthetic_store, cmp.resolve_group(synthetic_store, ga),
                              cmp.resolve_group(synthetic_store, gb)))
    strengths: set[str | None] = set()
    compared = 0
    for store, a, b in pairs:
        summary = cmp.summarize(store, a, b)
        got = {c.concept: (c.status, c.strength, c.studies, c.mentions, c.label) for c in summary.concepts}
        expected = compare_rq(store, a, b)
        assert got.keys() == expected.keys(), f"{len(a)} vs {len(b)} studies: the same concepts"
        for concept, (status, strength, studies, mentions, label) in expected.items():
            assert got[concept][:4] == (status, strength, studies, mentions), f"{concept}: {got[concept]}"
            assert got[concept][4] == (label if label is not None else concept), f"{concept}: label"
        strengths |= {v[1] for v in got.values()}
        compared += bool(got)
    assert compared >= 40, f"only {compared} non-empty comparisons"
    assert {"exact", "broader", "narrower", None} <= strengths, f"every strength occurs: {strengths}"
