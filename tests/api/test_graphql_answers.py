"""Same answer both ways: every computed GraphQL answer equals the kg function and the .rq SPARQL run directly on the
same store; the paper's tables and claim come out of GraphQL as the foundation's tests expect."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rdflib import Literal, URIRef

from kg import compare as cmp
from kg import queries, tables
from kg.store import Store

ROOT = Path(__file__).resolve().parents[2]
ID = "https://w3id.org/egovkg/id/"
ANY = URIRef("urn:egovkg:any")


def load_foundation(name: str) -> ModuleType:
    """The foundation's test module (its transcribed expectations), loaded by path."""
    spec = importlib.util.spec_from_file_location(f"foundation_{name}", ROOT / "tests" / "kg" / f"{name}.py")
    assert spec and spec.loader, f"tests/kg/{name}.py not found"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COMPARE = """query($a: StudyGroup!, $b: StudyGroup!) { compare(a: $a, b: $b) {
  studiesA { iri } studiesB { iri }
  both { concept { iri label } strength a { studies { iri } mentions { iri evidence { iri quote section } } }
         b { studies { iri } mentions { iri } } }
  onlyA { concept { iri label } strength a { studies { iri } mentions { iri evidence { iri quote section } } }
          b { mentions { iri } } }
  onlyB { concept { iri } strength a { mentions { iri } } b { studies { iri } mentions { iri } } } } }"""
CHINA = {"studies": ["zheng-2013"]}
WEST = {"place": "western"}


def as_sets(c: dict[str, Any]) -> dict[str, Any]:
    """A GraphQL compare answer as {status: {concept: (strength, a mentions, b mentions)}}."""
    out: dict[str, Any] = {}
    for status, key in (("both", "both"), ("a", "onlyA"), ("b", "onlyB")):
        out[status] = {
            x["concept"]["iri"]: (
                (x["strength"] or "").lower() or None,
                {m["iri"] for m in x["a"]["mentions"]},
                {m["iri"] for m in x["b"]["mentions"]},
            )
            for x in c[key]
        }
    return out


def kg_sets(result: cmp.Comparison) -> dict[str, Any]:
    """kg.compare's answer in the same shape."""
    out: dict[str, Any] = {"both": {}, "a": {}, "b": {}}
    for c in result.concepts:
        out[c.status][c.concept] = (c.strength, {m.mention for m in c.mentions_a}, {m.mention for m in c.mentions_b})
    return out


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (CHINA, WEST),
        ({"place": "china"}, {"place": "western"}),
        ({"focus": "microblogging"}, {"focus": "social-media-in-general", "yearFrom": 2010, "yearTo": 2011}),
        ({"place": "united-states"}, {"studies": ["zheng-2013", "qu-2011"]}),
    ],
    ids=["china-vs-west", "chinese-vs-western", "focus", "us-vs-named"],
)
def test_compare_equals_kg_compare_and_its_sparql(a, b, gql, gql_store: Store) -> None:
    body = gql(COMPARE, {"a": a, "b": b}, extensions={"sparql": True})
    got = body["data"]["compare"]

    def group(g: dict[str, Any]) -> cmp.StudyGroup:
        return cmp.StudyGroup(
            place=g.get("place"),
            focus=g.get("focus"),
            year_from=g.get("yearFrom"),
            year_to=g.get("yearTo"),
            studies=tuple(g.get("studies", ())),
        )

    direct = cmp.compare(gql_store, group(a), group(b))
    assert [s["iri"] for s in got["studiesA"]] == direct.studies_a and [
        s["iri"] for s in got["studiesB"]
    ] == direct.studies_b
    assert as_sets(got) == kg_sets(direct), "GraphQL compare differs from kg.compare"
    # the SPARQL the response carries, run as is on the same store, classifies the concepts the same way
    ran = [q["query"] for q in body["extensions"]["sparql"]]
    assert len(direct.sparql) == 2 and all(q in ran for q in direct.sparql), (
        "the response's SPARQL extension must carry the comparison's queries (counts, then ancestors)")
    ancestors: dict[str, set[str]] = {}
    for r in gql_store.select(direct.sparql[1]):
        ancestors.setdefault(r["concept"], set()).add(r["ancestor"])
    classified = cmp.classify(cmp.rank(gql_store.select(direct.sparql[0]), ancestors))
    from_gql = {c: (s, st) for s, d in as_sets(got).items() for c, (st, _, _) in d.items()}
    assert classified == from_gql, "the comparison's queries run directly disagree with the GraphQL answer"


def test_flagship_china_vs_west_reproduces_the_paper(gql, gql_store: Store) -> None:
    claim = load_foundation("test_paper_claim")
    got = gql(COMPARE, {"a": CHINA, "b": WEST})["data"]["compare"]
    only_a = {x["concept"]["iri"]: x for x in got["onlyA"]}
    for concept in claim.UNIQUE_CONCEPTS:
        assert str(concept) in only_a, f"{concept} should be China-only"
        mentions = only_a[str(concept)]["a"]["mentions"]
        assert mentions and all(m["evidence"] for m in mentions), f"{concept}: each China-only finding has evidence"
    explained = {str(c) for _, (_, related) in claim.DISAGREEMENTS.items() for c in related}
    extra = set(only_a) - {str(c) for c in claim.UNIQUE_CONCEPTS}
    assert extra == {ID + "concept/public-trust"}, (
        f"only the stated disagreement may be China-only besides the three: {extra}"
    )
    assert explained, "the foundation lists its disagreement"
    # every other Table 2 factor is shared: its concept is in `both`, with the Western studies behind it
    both = {x["concept"]["iri"]: x for x in got["both"]}
    table2 = gql("{ table2 { rows { cells { mentions { iri concepts { iri } } } } } }")["data"]["table2"]
    for row in table2["rows"]:
        for cell in row["cells"]:
            for m in cell["mentions"]:
                concepts = {c["iri"] for c in m["concepts"]}
                if concepts & (set(only_a)):
                    continue
                shared = concepts & set(both)
                assert shared, f"{m['iri']} should be shared with a Western study"


def test_table1_equals_the_paper_and_table1_rq(gql, gql_store: Store) -> None:
    t = load_foundation("test_tables")
    got = gql(
        "{ table1 { columns columnKeys rows { key header cells { column text original mentions { iri label } } } } }"
    )["data"]["table1"]
    assert [tuple(r["header"]) for r in got["rows"]] == [(s, f, p) for s, f, p, _ in t.TABLE1]
    assert got["columns"][3:] == t.TABLE1_HEADINGS
    for row, (study, _, _, cells) in zip(got["rows"], t.TABLE1, strict=True):
        for dim, cell in zip(t.DIMENSION_ORDER, row["cells"], strict=True):
            paper_text, issues = cells.get(dim, ("", []))
            assert [m["label"] for m in cell["mentions"]] != [] or issues == [], f"{study}/{dim}"
            assert cell["text"] == ", ".join(issues), f"{study} / {dim}: {cell['text']!r}"
            if cell["original"] is not None:
                assert cell["original"] == paper_text, f"{study} / {dim}: original {cell['original']!r}"
    # table1.rq run directly on the same store: the same (study, dimension, mention) triples
    rows = queries.select(gql_store, "table1")
    direct = {(r["study"], r["dimension"], r["mention"]) for r in rows if "mention" in r}
    via_gql = {
        (row["key"], key, m["iri"])
        for row in got["rows"]
        for key, cell in zip(got["columnKeys"], row["cells"], strict=True)
        for m in cell["mentions"]
    }
    assert via_gql == direct, "GraphQL Table 1 differs from table1.rq"
    assert (
        got["rows"]
        == gql(
            "{ table1 { columns columnKeys rows { key header cells { column text original "
            "mentions { iri label } } } } }"
        )["data"]["table1"]["rows"]
    )
    assert len(tables.table1(gql_store).rows) == len(got["rows"])


def test_table2_equals_the_paper_and_table2_rq(gql, gql_store: Store) -> None:
    t = load_foundation("test_tables")
    got = gql("{ table2 { columns columnKeys rows { key header cells { text mentions { iri label } } } } }")["data"][
        "table2"
    ]
    assert got["columns"] == ["Dimension", *t.TABLE2_COLUMNS]
    assert [(r["header"][0], [[m["label"] for m in c["mentions"]] for c in r["cells"]]) for r in got["rows"]] == [
        (d, cols) for d, cols in t.TABLE2
    ], "GraphQL Table 2 differs from the paper"
    rows = queries.select(gql_store, "table2", study=URIRef(ID + "study/zheng-2013"))
    direct = {(r["dimension"], r["role"], r["mention"]) for r in rows}
    via_gql = {
        (row["key"], key, m["iri"])
        for row in got["rows"]
        for key, cell in zip(got["columnKeys"], row["cells"], strict=True)
        for m in cell["mentions"]
    }
    assert via_gql == direct, "GraphQL Table 2 differs from table2.rq"


def test_statistics_equal_gql_counts_rq_and_the_lists(gql, gql_store: Store) -> None:
    body = gql(
        "{ datasetStatistics { version triples types { key count } dimensions { key count } roles { key count } "
        "polarities { key count } places { key label count } foci { key count } purposes { key count } } "
        "studies { totalCount } mentions { totalCount } concepts { totalCount } evidence { totalCount } }",
        extensions={"sparql": True},
    )
    d = body["data"]
    s = d["datasetStatistics"]
    direct: dict[str, dict[str, int]] = {}
    for r in queries.select(gql_store, "gql_counts"):
        direct.setdefault(r["facet"], {})[r["key"]] = r["count"]
    for facet, field in (
        ("type", "types"),
        ("dimension", "dimensions"),
        ("role", "roles"),
        ("polarity", "polarities"),
        ("place", "places"),
        ("focus", "foci"),
        ("purpose", "purposes"),
    ):
        assert {c["key"]: c["count"] for c in s[field]} == direct[facet], f"{field} differ from gql_counts.rq"
    types = {c["key"].rsplit("/", 1)[1]: c["count"] for c in s["types"]}
    assert (types["Study"], types["FactorMention"], types["FactorConcept"], types["Evidence"]) == (
        d["studies"]["totalCount"],
        d["mentions"]["totalCount"],
        d["concepts"]["totalCount"],
        d["evidence"]["totalCount"],
    )
    assert types["Study"] == 17 and sum(c["count"] for c in s["dimensions"]) == types["FactorMention"]
    assert s["version"] == gql_store.version() and s["triples"] == len(gql_store)
    assert any("gql_counts" in q["query"] or "COUNT(DISTINCT ?x)" in q["query"] for q in body["extensions"]["sparql"])


LIST_CASES = [
    ("mentions", "gql_mentions", {"place": "china", "role": "internal-weakness"}),
    ("mentions", "gql_mentions", {"dimension": "information", "yearFrom": 2010, "yearTo": 2011}),
    ("mentions", "gql_mentions", {"polarity": "external", "text": "divide"}),
    ("studies", "gql_studies", {"place": "western", "focus": "social-media-in-general"}),
    ("studies", "gql_studies", {"purpose": "emergency-response"}),
    ("studies", "gql_studies", {"text": "government", "dimension": "technological"}),
    ("concepts", "gql_concepts", {"polarity": "internal", "place": "china"}),
    ("concepts", "gql_concepts", {"text": "security"}),
]
VARS = {
    "place": "place",
    "role": "role",
    "dimension": "dimension",
    "polarity": "polarity",
    "focus": "focus",
    "purpose": "purpose",
    "study": "study",
    "concept": "concept",
}


@pytest.mark.parametrize(("field", "rq", "flt"), LIST_CASES, ids=[f"{f}-{'-'.join(x)}" for f, _, x in LIST_CASES])
def test_filtered_lists_equal_their_rq(field: str, rq: str, flt: dict[str, Any], gql, gql_store: Store) -> None:
    got: list[str] = []
    after = None
    while True:  # walk every page, 3 at a time
        d = gql(
            f"query($f: {field[:-1].capitalize() if field != 'studies' else 'Study'}Filter, $after: String) "
            f"{{ {field}(filter: $f, first: 3, after: $after) {{ totalCount pageInfo {{ hasNextPage endCursor }} "
            f"nodes {{ iri }} }} }}".replace("ConceptFilter", "ConceptFilter").replace(
                "MentionFilter", "MentionFilter"
            ),
            {"f": flt, "after": after},
        )["data"][field]
        got += [n["iri"] for n in d["nodes"]]
        if not d["pageInfo"]["hasNextPage"]:
            break
        after = d["pageInfo"]["endCursor"]
    template = queries.text(rq)
    bindings: dict[str, Any] = {v: ANY for v in VARS if f"?{v}" in template.split("WHERE")[0]}
    bindings.update(
        {"yearFrom": Literal(0), "yearTo": Literal(9999), "text": Literal("")} if "?text" in template else {}
    )
    bindings = {k: v for k, v in bindings.items() if f"?{k}" in template.split("WHERE")[0]}
    for k, v in flt.items():
        bindings[k] = Literal(v) if k in ("yearFrom", "yearTo", "text") else URIRef(cmp.expand(VARS[k], v))
    direct = sorted({r["item"] for r in gql_store.select(template, bindings)})
    assert got == direct, f"{field} {flt}: GraphQL pages differ from {rq}.rq"
    assert len(got) == d["totalCount"]
    assert direct, f"{field} {flt}: pick a filter that matches something"


def test_counterparts_name_the_western_studies_behind_every_shared_factor(gql, gql_store: Store) -> None:
    """Each shared concept comes with the entries through which the other group matches it (itself, or a broader or
    narrower concept that group reports), so every shared Table 2 factor is answered with its Western studies."""
    q = """{ compare(a: {studies: ["zheng-2013"]}, b: {place: "western"}) { both { concept { iri } strength
             a { mentions { iri } } b { mentions { iri } }
             counterparts { concept { iri } a { mentions { iri } } b { studies { iri } mentions { iri } } } } } }"""
    both = gql(q)["data"]["compare"]["both"]
    assert both, "the flagship comparison shares concepts"
    for e in both:
        iri, strength, cps = e["concept"]["iri"], e["strength"], e["counterparts"]
        assert cps, f"{iri} ({strength}) has no counterpart"
        china_side = bool(e["a"]["mentions"])
        for cp in cps:
            other = cp["b"] if china_side else cp["a"]
            assert other["mentions"], f"{iri}: counterpart {cp['concept']['iri']} is not reported by the other group"
            if china_side:
                assert other["studies"], f"{iri}: no Western study behind {cp['concept']['iri']}"
            up, down = (iri, cp["concept"]["iri"]) if strength == "NARROWER" else (cp["concept"]["iri"], iri)
            if strength == "EXACT":
                assert cp["concept"]["iri"] == iri
            else:
                ask = "ASK { ?x <http://www.w3.org/2004/02/skos/core#broader>+ ?y }"
                rows = gql_store.query(ask, {"x": URIRef(down), "y": URIRef(up)})
                assert bool(rows), f"{down} is not under {up} ({strength})"
