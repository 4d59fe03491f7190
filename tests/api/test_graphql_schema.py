"""The schema: SDL drift, lookups of every type, Relay node(id:), relations, and the example queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.graphql.schema import sdl

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "api" / "examples").glob("*.graphql"))
ID = "https://w3id.org/egovkg/id/"


def test_sdl_matches_exported_file() -> None:
    exported = (ROOT / "api" / "schema.graphql").read_text(encoding="utf-8")
    assert sdl() == exported, (
        "api/schema.graphql is out of date: regenerate it with "
        '`.venv/bin/python -c "from api.graphql.schema import sdl; '
        "open('api/schema.graphql','w').write(sdl())\"`"
    )


def test_examples_found() -> None:
    assert len(EXAMPLES) >= 8, f"expected the example queries in api/examples, found {EXAMPLES}"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs_on_real_data(path: Path, gql) -> None:
    data = gql(path.read_text(encoding="utf-8"))["data"]
    assert data and all(v not in (None, [], {}) for v in data.values()), f"{path.name} returned empty data: {data}"


LOOKUPS = [
    ("study", "zheng-2013", "Study", "title"),
    ("mention", "zheng-2013.lack-of-funds", "FactorMention", "label"),
    ("concept", "funding", "FactorConcept", "label"),
    ("dimension", "information", "Dimension", "label"),
    ("role", "internal-weakness", "Role", "label"),
    ("polarity", "internal", "Polarity", "label"),
    ("researchFocus", "microblogging", "ResearchFocus", "label"),
    ("purpose", "emergency-response", "Purpose", "label"),
    ("country", "china", "Country", "label"),
    ("region", "western", "Region", "label"),
    ("evidenceItem", "zheng-2013.q444a", "Evidence", "quote"),
    ("method", "zheng-2013.interviews", "Method", "label"),
    ("methodKind", "semi-structured-interview", "MethodKind", "label"),
    ("fieldwork", "zheng-2013.interviews.wave-3", "Fieldwork", "label"),
    ("statistic", "zheng-2013.microblog-users-2012", "Statistic", "label"),
    ("recommendation", "zheng-2013.decentralize-power", "Recommendation", "label"),
    ("claim", "zheng-2013.unique-water-army", "Claim", "label"),
    ("interpretation", "zheng-2013.lack-of-funds", "Interpretation", "justification"),
    ("factorRelation", "zheng-2013.funds-depend-on-leadership", "FactorRelation", "section"),
    ("relationType", "depends-on", "RelationType", "label"),
    ("reference", "cnnic-2013", "Reference", "title"),
]


@pytest.mark.parametrize(("field", "key", "typename", "scalar"), LOOKUPS, ids=[x[0] for x in LOOKUPS])
def test_lookup_by_iri_and_node(field: str, key: str, typename: str, scalar: str, gql) -> None:
    data = gql(f'{{ x: {field}(iri: "{key}") {{ __typename id iri {scalar} }} }}')["data"]["x"]
    assert data is not None, f"{field}({key}) found nothing"
    assert data["__typename"] == typename and data["id"] == data["iri"] and data["iri"].startswith(ID)
    assert data[scalar], f"{field}({key}).{scalar} is empty"
    node = gql(f'{{ node(id: "{data["iri"]}") {{ __typename id }} }}')["data"]["node"]
    assert node == {"__typename": typename, "id": data["iri"]}, f"node(id:) of {data['iri']}"
    full = gql(f'{{ x: {field}(iri: "{data["iri"]}") {{ iri }} }}')["data"]["x"]
    assert full == {"iri": data["iri"]}, "lookup by full IRI"


def test_lookup_of_wrong_type_or_unknown_is_null(gql) -> None:
    data = gql(
        '{ a: study(iri: "zheng-2013.lack-of-funds") { iri } b: node(id: "https://example.org/nothing") { id } }'
    )
    assert data["data"] == {"a": None, "b": None}


def test_relations_of_the_paper(gql) -> None:
    q = """{ m: mention(iri: "zheng-2013.lack-of-designated-staff") {
        study { iri } dimension { label } role { label } polarity { label } concepts { iri broader { iri } }
        evidence { section } relations { relationType { iri } to { iri } } recommendations { iri } claims { iri } }
      c: concept(iri: "information-security") { studies { iri } mentions(role: "internal-weakness") { iri } }
      s: study(iri: "zheng-2013") { reviews { iri } methods { iri } statistics { iri } recommendations { iri }
         claims { iri } evidence { iri } factorRelations { iri } countries { iri } regions { iri }
         mentions(dimension: "technological") { label } }
      r: region(iri: "western") { countries { label } studies { iri } } }"""
    d = gql(q)["data"]
    m = d["m"]
    assert m["study"]["iri"] == ID + "study/zheng-2013"
    assert (m["dimension"]["label"], m["role"]["label"], m["polarity"]["label"]) == (
        "Organizational and managerial",
        "Internal weakness",
        "Internal capability",
    )
    assert {c["iri"] for c in m["concepts"]} == {ID + "concept/staffing"}
    assert m["concepts"][0]["broader"] == [{"iri": ID + "concept/resources"}]
    assert {e["section"] for e in m["evidence"]} == {"4.4.3"}
    assert {(r["relationType"]["iri"].rsplit("/", 1)[1], r["to"]["iri"].rsplit("/", 1)[1]) for r in m["relations"]} == {
        ("caused-by", "zheng-2013.technological-substitution"),
        ("depends-on", "zheng-2013.low-leadership-attention"),
    }
    assert ID + "recommendation/zheng-2013.leaders-provide-support" in {r["iri"] for r in m["recommendations"]}
    assert {c["iri"] for c in m["claims"]} == {ID + "claim/zheng-2013.government-closed-centralized"}
    assert ID + "study/zheng-2013" in {s["iri"] for s in d["c"]["studies"]}
    assert ID + "mention/zheng-2013.information-security" in {x["iri"] for x in d["c"]["mentions"]}
    s = d["s"]
    assert (
        len(s["reviews"]),
        len(s["methods"]),
        len(s["statistics"]),
        len(s["recommendations"]),
        len(s["claims"]),
    ) == (16, 3, 12, 14, 10)
    assert len(s["evidence"]) > 20 and len(s["factorRelations"]) == 4
    assert [c["iri"] for c in s["countries"]] == [ID + "place/china"] and s["regions"] == []
    assert {x["label"] for x in s["mentions"]} == {
        "Pervasiveness of advanced IT devices",
        "Technological substitution",
        "Adequate ICT infrastructure in government",
    }
    assert {c["label"] for c in d["r"]["countries"]} == {"United States", "Mexico"}
    assert len(d["r"]["studies"]) == 8, "the Western studies of Table 1"
