"""The bounded comparison: counts equal the whole lists, paging through any list gives the whole list back, limits
answer readable errors, and the flagship China-vs-West answer is kg.compare's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.graphql.types.comparison import MAX_FIRST, SIDE_FIRST, Compared
from kg import compare as cmp
from kg.store import Store

ROOT = Path(__file__).resolve().parents[2]
ID = "https://w3id.org/egovkg/id/"
CHINA, WEST = {"studies": ["zheng-2013"]}, {"place": "western"}
GROUPS = [
    (CHINA, WEST),
    ({"place": "china"}, {"place": "western"}),
    ({"focus": "microblogging"}, {"focus": "social-media-in-general", "yearFrom": 2010, "yearTo": 2011}),
]
LISTS = {"both": "both", "a": "onlyA", "b": "onlyB"}

SIDE = "studyCount mentionCount studies(first: 100) { iri } mentions(first: 100) { iri study { iri } }"
WHOLE = f"""query($a: StudyGroup!, $b: StudyGroup!) {{ compare(a: $a, b: $b) {{
  studyCountA studyCountB bothCount onlyACount onlyBCount
  studiesA {{ iri }} studiesB {{ iri }}
  both {{ concept {{ iri }} strength a {{ {SIDE} }} b {{ {SIDE} }} }}
  onlyA {{ concept {{ iri }} strength a {{ {SIDE} }} b {{ {SIDE} }} }}
  onlyB {{ concept {{ iri }} strength a {{ {SIDE} }} b {{ {SIDE} }} }} }} }}"""


def group(g: dict[str, Any]) -> cmp.StudyGroup:
    return cmp.StudyGroup(place=g.get("place"), focus=g.get("focus"), year_from=g.get("yearFrom"),
                          year_to=g.get("yearTo"), studies=tuple(g.get("studies", ())))


@pytest.mark.parametrize(("a", "b"), GROUPS, ids=["china-vs-west", "chinese-vs-western", "focus"])
def test_counts_and_members_equal_the_whole_comparison(a, b, gql, gql_store: Store) -> None:
    got = gql(WHOLE, {"a": a, "b": b})["data"]["compare"]
    whole = cmp.compare(gql_store, group(a), group(b))
    assert whole.concepts, "pick groups that share or differ in something"
    assert (got["studyCountA"], got["studyCountB"]) == (len(whole.studies_a), len(whole.studies_b))
    assert [s["iri"] for s in got["studiesA"]] == whole.studies_a and [s["iri"] for s in got["studiesB"]] == (
        whole.studies_b), "the group study lists are whole on the shipped KG"
    checked = 0
    for status, key in LISTS.items():
        expected = [c for c in whole.concepts if c.status == status]
        assert got[f"{key}Count" if key != "both" else "bothCount"] == len(expected), f"{key}: count"
        assert [e["concept"]["iri"] for e in got[key]] == [c.concept for c in expected], f"{key}: concepts, by label"
        for entry, c in zip(got[key], expected, strict=True):
            assert (entry["strength"] or "").lower() == (c.strength or ""), f"{c.concept}: strength"
            for side, refs in (("a", c.mentions_a), ("b", c.mentions_b)):
                s = entry[side]
                assert s["mentionCount"] == len(refs), f"{c.concept} side {side}: mentionCount"
                assert s["studyCount"] == len({m.study for m in refs}), f"{c.concept} side {side}: studyCount"
                assert [m["iri"] for m in s["mentions"]] == sorted(m.mention for m in refs), (
                    f"{c.concept} side {side}: the mentions, by IRI")
                assert [x["iri"] for x in s["studies"]] == sorted({m.study for m in refs}), (
                    f"{c.concept} side {side}: the studies, by IRI")
                assert all(m["study"]["iri"] in {x["iri"] for x in s["studies"]} for m in s["mentions"]), (
                    f"{c.concept} side {side}: each mention's study is among the side's studies")
                checked += bool(refs)
    assert checked >= 10, f"only {checked} non-empty sides compared"


def test_default_sides_are_complete_on_the_shipped_kg(gql, gql_store: Store) -> None:
    """The defaults cut nothing on the shipped KG: every side's mentions fit in the default page."""
    q = """query($a: StudyGroup!, $b: StudyGroup!) { compare(a: $a, b: $b) {
      both { a { mentionCount mentions { iri } studyCount studies { iri } }
             b { mentionCount mentions { iri } studyCount studies { iri } } } } }"""
    largest = 0
    for a, b in GROUPS:
        for e in gql(q, {"a": a, "b": b})["data"]["compare"]["both"]:
            for s in (e["a"], e["b"]):
                assert len(s["mentions"]) == s["mentionCount"] and len(s["studies"]) == s["studyCount"], s
                largest = max(largest, s["mentionCount"])
    assert 1 < largest <= SIDE_FIRST, f"the largest side holds {largest} mentions"


def pages(gql, query: str, pick: Callable[[dict[str, Any]], list[dict[str, Any]]], first: int) -> list[str]:
    """Page through a list with ``first`` and ``after`` (the last IRI received) until it ends; the IRIs in order."""
    out: list[str] = []
    after = None
    for _ in range(200):
        items = pick(gql(query, {"first": first, "after": after})["data"]["compare"])
        iris = [x["concept"]["iri"] if "concept" in x else x["iri"] for x in items]
        assert len(iris) <= first, f"a page of {first} returned {len(iris)}"
        if not iris:
            return out
        out += iris
        after = iris[-1]
    raise AssertionError("paging did not end")


def test_paging_through_a_side_gives_the_whole_side(gql, gql_store: Store) -> None:
    whole = cmp.compare(gql_store, group({"place": "china"}), group(WEST))
    c = max(whole.both, key=lambda c: len(c.mentions_b))
    assert len(c.mentions_b) >= 3 and len({m.study for m in c.mentions_b}) >= 3, "a side worth paging through"
    i = whole.both.index(c)
    after = "null" if i == 0 else f'"{whole.both[i - 1].concept}"'  # makes c the first entry of the page
    for field, expected in (("mentions", sorted(m.mention for m in c.mentions_b)),
                            ("studies", sorted({m.study for m in c.mentions_b}))):
        q = f"""query($first: Int!, $after: String) {{ compare(a: {{place: "china"}}, b: {{place: "western"}}) {{
              both(first: 1, after: {after}) {{ concept {{ iri }}
                b {{ {field}(first: $first, after: $after) {{ iri }} }} }}
            }} }}"""
        for first in (1, 2):
            got = pages(gql, q, lambda d, f=field: d["both"][0]["b"][f], first)
            assert got == expected, f"{c.concept}: b's {field}, {first} at a time, give {got}, expected {expected}"


@pytest.mark.parametrize("key", ["both", "onlyA", "onlyB", "studiesA", "studiesB"])
def test_paging_through_a_list_gives_the_whole_list(key: str, gql, gql_store: Store) -> None:
    whole = cmp.compare(gql_store, group({"place": "china"}), group(WEST))
    expected = {"both": [c.concept for c in whole.both], "onlyA": [c.concept for c in whole.only_a],
                "onlyB": [c.concept for c in whole.only_b], "studiesA": whole.studies_a,
                "studiesB": whole.studies_b}[key]
    assert len(expected) >= 5, f"{key}: a list worth paging through"
    inner = "concept { iri }" if key in LISTS.values() else "iri"
    q = f"""query($first: Int!, $after: String) {{ compare(a: {{place: "china"}}, b: {{place: "western"}}) {{
          {key}(first: $first, after: $after) {{ {inner} }} }} }}"""
    for first in (2, 3):
        assert pages(gql, q, lambda d: d[key], first) == expected, f"{key}, {first} at a time"


def post(client: TestClient, query: str) -> tuple[int, str]:
    r = client.post("/graphql", json={"query": query})
    body = r.json()
    assert body.get("errors"), f"expected an error: {body}"
    return r.status_code, body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("selection", "status", "message"),
    [
        (f"both(first: {MAX_FIRST + 1}) {{ strength }}", 400, f"above the maximum of {MAX_FIRST}"),
        (f"studiesB(first: {MAX_FIRST + 1}) {{ iri }}", 400, f"above the maximum of {MAX_FIRST}"),
        (f"both {{ b {{ mentions(first: {MAX_FIRST + 1}) {{ iri }} }} }}", 400, f"above the maximum of {MAX_FIRST}"),
        (f"both {{ b {{ studies(first: {MAX_FIRST + 1}) {{ iri }} }} }}", 400, f"above the maximum of {MAX_FIRST}"),
        ("onlyA(first: -1) { strength }", 200, "`first` must not be negative"),
        ("both { a { mentions(first: -2) { iri } } }", 200, "`first` must not be negative"),
        ('both(after: "no-such-concept") { strength }', 200, "is not a concept of this list"),
        ('both { b { mentions(after: "not an iri") { iri } } }', 200, "is not a valid mention key or IRI"),
        ('studiesA(after: "a<b") { iri }', 200, "is not a valid study key or IRI"),
    ],
    ids=["concepts", "group-studies", "side-mentions", "side-studies", "negative", "negative-side", "after-unknown",
         "after-bad-iri", "after-bad-study"],
)
def test_limits_and_bad_arguments_answer_readable_errors(selection: str, status: int, message: str,
                                                          gql_client: TestClient) -> None:
    q = '{ compare(a: {studies: ["zheng-2013"]}, b: {place: "western"}) { ' + selection + " } }"
    got_status, got = post(gql_client, q)
    assert message in got, f"{selection}: {got!r}"
    assert got_status == status, f"{selection}: HTTP {got_status}, expected {status}"


def test_flagship_example_answers_china_vs_west(gql, gql_store: Store) -> None:
    """The example query: shared and China-only concepts are kg.compare's, with counts and bounded members."""
    data = gql((ROOT / "api/examples/compare_china_west.graphql").read_text(encoding="utf-8"))["data"]["compare"]
    whole = cmp.compare(gql_store, group(CHINA), group(WEST))
    assert data["onlyA"] and data["both"], "China shares some factors and has some of its own"
    assert [e["concept"]["iri"] for e in data["onlyA"]] == [c.concept for c in whole.only_a], "China-only concepts"
    assert [e["concept"]["iri"] for e in data["both"]] == [c.concept for c in whole.both], "shared concepts"
    assert (data["onlyACount"], data["bothCount"], data["studyCountB"]) == (
        len(whole.only_a), len(whole.both), len(whole.studies_b))
    for e, c in zip(data["both"], whole.both, strict=True):
        assert e["b"]["mentionCount"] == len(c.mentions_b) and e["a"]["mentionCount"] == len(c.mentions_a), c.concept
        assert [m["iri"] for m in e["b"]["mentions"]] == sorted(m.mention for m in c.mentions_b)[:SIDE_FIRST]


def test_counts_alone_run_no_member_query(gql) -> None:
    """Selecting only counts runs the comparison query and nothing per member; selecting members runs one more."""
    base = '{ compare(a: {studies: ["zheng-2013"]}, b: {place: "western"}) { bothCount both { strength '
    counts = gql(base + "b { studyCount mentionCount } } } }", extensions={"sparql": True})
    members = gql(base + "b { studyCount mentions { iri } studies { iri } } } } }", extensions={"sparql": True})
    ran = [[q["query"] for q in body["extensions"]["sparql"]] for body in (counts, members)]
    assert all(any("COUNT(DISTINCT ?s)" in q for q in r) for r in ran), "both count the concepts (compare_counts.rq)"
    assert not any("GROUP_CONCAT" in q for q in ran[0]), "counts alone need no member query"
    assert sum("GROUP_CONCAT" in q for q in ran[1]) == 1, "the members of every side come from one query"


def test_label_only_selections_answer_as_whole_objects(gql) -> None:
    """Members of which a query selects only iri and label load their type and labels alone: the same answer."""
    q = """{ compare(a: {place: "china"}, b: {place: "western"}) { both {
      concept { %s } a { studies { %s } mentions { %s } } b { studies { %s } mentions { %s } } } } }"""
    light = gql(q % (("id iri label __typename",) * 5))["data"]["compare"]["both"]
    whole = gql(q % ("id iri label __typename broader { iri }", "id iri label __typename year",
                     "id iri label __typename role { iri }", "id iri label __typename year",
                     "id iri label __typename role { iri }"))["data"]["compare"]["both"]

    def strip(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in ("broader", "year", "role")}
        return [strip(v) for v in x] if isinstance(x, list) else x

    assert light == strip(whole), "selecting only iri and label must not change them"
    labels = [m["label"] for e in light for s in ("a", "b") for m in e[s]["mentions"] + e[s]["studies"]]
    assert len(labels) > 50 and all(labels), "every member has its label"


def test_sides_read_ahead_answer_as_sides_loaded_lazily(gql, gql_store: Store, monkeypatch) -> None:
    """The members a query selects are read ahead in one query and give kg's answer, whatever the aliases, pages,
    variables and fragments; without reading ahead (every side loaded as its field resolves) the answer is the
    same."""
    whole = cmp.compare(gql_store, group({"place": "china"}), group(WEST))
    big = [c for c in whole.both if len(c.mentions_b) >= 3]
    assert len(whole.both) >= 4 and big, "lists and sides worth paging"
    second = whole.both[1].concept
    q = """query($after: String, $first: Int!) { compare(a: {place: "china"}, b: {place: "western"}) {
      head: both(first: 3) { concept { iri } b { one: mentions(first: 1) { iri label }
                                                 rest: mentions(first: $first, after: $after) { iri label }
                                                 studies { iri label } } }
      tail: both(after: "%s") { concept { iri } a { mentions { iri label } } %s }
      onlyA { concept { iri label } a { mentions { iri label } } } } }"""
    plain = "b { mentions { iri label } studies { iri label } }"
    fragment = "b { ...Side }"
    frag_def = """
    fragment Side on ComparisonSide { mentions { ... on FactorMention { iri label } } studies { iri label } }"""
    after = sorted(m.mention for m in big[0].mentions_b)[0]
    variables = {"after": after, "first": 2}
    ahead = gql(q % (second, plain), variables, extensions={"sparql": True})
    in_fragments = gql(q % (second, fragment) + frag_def, variables)
    monkeypatch.setattr(Compared, "prefetch", lambda self, selected: None)
    lazy = gql(q % (second, plain), variables, extensions={"sparql": True})
    assert ahead["data"] == lazy["data"] == in_fragments["data"], "read ahead or not, the answer is the same"
    ran = [r["query"] for r in ahead["extensions"]["sparql"]]
    assert sum("GROUP_CONCAT" in r for r in ran) == 1, "every side's members come from one query"
    assert any("GROUP_CONCAT" in r["query"] for r in lazy["extensions"]["sparql"]), "without it, sides load lazily"

    data = ahead["data"]["compare"]
    by = {c.concept: c for c in whole.concepts}
    assert [e["concept"]["iri"] for e in data["head"]] == [c.concept for c in whole.both[:3]]
    assert [e["concept"]["iri"] for e in data["tail"]] == [c.concept for c in whole.both[2:]]
    checked = 0
    for e in data["head"]:
        mentions = sorted(m.mention for m in by[e["concept"]["iri"]].mentions_b)
        assert [m["iri"] for m in e["b"]["one"]] == mentions[:1]
        start = next((i for i, m in enumerate(mentions) if m > after), len(mentions))
        assert [m["iri"] for m in e["b"]["rest"]] == mentions[start : start + 2], "page after a mention IRI"
        checked += len(e["b"]["rest"])
    for e in data["tail"] + data["onlyA"]:
        refs = by[e["concept"]["iri"]].mentions_a
        assert [m["iri"] for m in e["a"]["mentions"]] == sorted(m.mention for m in refs)[:SIDE_FIRST]
    labelled = [m for e in data["head"] + data["tail"] for s in ("a", "b") if s in e
                for m in e[s].get("mentions", []) + e[s].get("studies", [])]
    assert labelled and all(m["label"] for m in labelled), "every member read ahead has its label"
    assert checked, "some page after a mention was not empty"


def test_paging_through_a_comparison_runs_its_comparison_once(fresh_store: Store) -> None:
    """The service keeps a comparison for the dataset version: the next page of a side (and the same comparison
    asked with other fields) reuses it, and after a write, the comparison is computed again."""
    from apps import router_app

    from api.routers import graphql

    q = """query($after: String) { compare(a: {place: "china"}, b: {place: "western"}) {
      bothCount both(first: 1) { b { mentions(first: 1, after: $after) { iri } } } } }"""

    def ask(client: TestClient, after: str | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        r = client.post("/graphql", json={"query": q, "variables": {"after": after}, "extensions": {"sparql": True}})
        body = r.json()
        assert r.status_code == 200 and "errors" not in body, body
        ran = [e for e in body["extensions"]["sparql"] if "COUNT(DISTINCT ?s)" in e["query"]]
        assert len(ran) == 1, "one comparison query per request, run or kept"
        return body["data"]["compare"], ran

    with TestClient(router_app(fresh_store, graphql.router, graphql_cache_enabled=False)) as client:
        first, ran = ask(client)
        assert not ran[0].get("cached"), "the first request runs the comparison"
        after = first["both"][0]["b"]["mentions"][0]["iri"]
        second, ran = ask(client, after)
        assert ran[0].get("cached"), "the next page reuses it"
        assert second["bothCount"] == first["bothCount"]
        assert second["both"][0]["b"]["mentions"] != first["both"][0]["b"]["mentions"], "and is the next page"
        fresh_store.replace_graphs({}, version="after-a-write")  # any write moves the version
        assert not ask(client, after)[1][0].get("cached"), "after a write the comparison runs again"
        assert ask(client, after)[1][0].get("cached"), "and is kept for the new version"

    with TestClient(router_app(fresh_store, graphql.router, graphql_cache_enabled=False,
                               graphql_compare_cache_rows=0)) as client:
        assert not ask(client)[1][0].get("cached") and not ask(client)[1][0].get("cached"), "0 keeps none"
