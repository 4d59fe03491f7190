"""Paging the list connections: small pages forwards and backwards give the one big page, every combination of
first / last / after / before follows Relay's rules, cursors that are not ours are readable errors, filters page
like the whole list, and the list or its count is read only when the request selects it."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from api.graphql.resolvers.lists import encode_cursor
from kg.build import build_dataset, load_store
from kg.store import OxigraphStore, Store

LISTS = {
    "studies": "StudyFilter",
    "mentions": "MentionFilter",
    "concepts": "ConceptFilter",
    "evidence": "ItemFilter",
    "statistics": "ItemFilter",
    "claims": "ItemFilter",
    "recommendations": "ItemFilter",
    "methods": "ItemFilter",
    "factorRelations": "ItemFilter",
    "interpretations": "ItemFilter",
}
BIG = 500
"""The page size of the one big page (every shipped list is shorter)."""
PAGE = """query($f: {filter_type}, $first: Int, $after: String, $last: Int, $before: String) {{
  {field}(filter: $f, first: $first, after: $after, last: $last, before: $before) {{
    totalCount pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} edges {{ cursor node {{ iri }} }}
  }} }}"""


@pytest.fixture()
def client(gql_store: Store, gql_app_factory: Callable[..., Any]) -> Iterator[TestClient]:
    """The GraphQL app on the shipped KG with pages up to BIG and no response cache (every request executes)."""
    with TestClient(gql_app_factory(gql_store, graphql_cache_enabled=False, graphql_max_page_size=BIG)) as c:
        yield c


@pytest.fixture()
def uncached(gql_store: Store, gql_app_factory: Callable[..., Any]) -> Iterator[TestClient]:
    """The same without the kept lists: every request reads what it needs from the store."""
    app = gql_app_factory(gql_store, graphql_cache_enabled=False, graphql_max_page_size=BIG, graphql_list_cache_items=0)
    with TestClient(app) as c:
        yield c


def post(client: TestClient, query: str, variables: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    r = client.post("/graphql", json={"query": query, "variables": variables or {}, **extra})
    body = r.json()
    assert r.status_code == 200 and "errors" not in body, f"{r.status_code}: {body}"
    return body


def fetch(client: TestClient, field: str, flt: dict[str, Any] | None = None, **args: Any) -> dict[str, Any]:
    """One page of ``field`` (args: first, after, last, before)."""
    q = PAGE.format(field=field, filter_type=LISTS[field])
    conn = post(client, q, {"f": flt, **args})["data"][field]
    assert [e["cursor"] for e in conn["edges"]] == [encode_cursor(e["node"]["iri"]) for e in conn["edges"]]
    if conn["edges"]:
        assert conn["pageInfo"]["startCursor"] == conn["edges"][0]["cursor"]
        assert conn["pageInfo"]["endCursor"] == conn["edges"][-1]["cursor"]
    else:
        assert conn["pageInfo"]["startCursor"] is None and conn["pageInfo"]["endCursor"] is None
    return conn


def iris(conn: dict[str, Any]) -> list[str]:
    return [e["node"]["iri"] for e in conn["edges"]]


def forwards(client: TestClient, field: str, size: int, flt: dict[str, Any] | None = None) -> list[str]:
    """Every item, walking pages of ``size`` from the start."""
    got: list[str] = []
    after = None
    for _ in range(1000):
        conn = fetch(client, field, flt, first=size, after=after)
        got += iris(conn)
        assert len(conn["edges"]) <= size
        assert conn["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not conn["pageInfo"]["hasNextPage"]:
            return got
        assert len(conn["edges"]) == size, "a page short of `first` is the last one"
        after = conn["pageInfo"]["endCursor"]
    raise AssertionError("no end after 1,000 pages")


def backwards(client: TestClient, field: str, size: int, flt: dict[str, Any] | None = None) -> list[str]:
    """Every item, walking pages of ``size`` from the end (``last`` / ``before``), in list order."""
    got: list[str] = []
    before = None
    for _ in range(1000):
        conn = fetch(client, field, flt, last=size, before=before)
        got = iris(conn) + got
        assert len(conn["edges"]) <= size
        if not conn["pageInfo"]["hasPreviousPage"]:
            return got
        assert len(conn["edges"]) == size, "a page short of `last` is the first one"
        before = conn["pageInfo"]["startCursor"]
    raise AssertionError("no start after 1,000 pages")


@pytest.mark.parametrize("field", list(LISTS))
@pytest.mark.parametrize("size", [1, 3])
def test_small_pages_both_ways_give_the_big_page(field: str, size: int, client: TestClient) -> None:
    big = fetch(client, field, first=BIG)
    whole = iris(big)
    assert whole, f"{field}: the shipped KG has some"
    assert whole == sorted(set(whole)), "the list is in IRI order, without repeats"
    assert big["totalCount"] == len(whole)
    assert big["pageInfo"] == {**big["pageInfo"], "hasNextPage": False, "hasPreviousPage": False}
    assert forwards(client, field, size) == whole
    assert backwards(client, field, size) == whole


def reference(
    items: list[str], first: int | None, after: str | None, last: int | None, before: str | None, default: int
) -> tuple[list[str], bool, bool]:
    """Relay's pagination algorithm, written out: the window between the cursors, the first ``first`` of it, the
    last ``last`` of those; hasNextPage when ``first`` cut the window or items exist from ``before`` on (past
    ``after``), hasPreviousPage when ``last`` cut it or items exist up to ``after``."""
    window = [x for x in items if (after is None or x > after) and (before is None or x < before)]
    if first is None and last is None:
        first = default
    cut = window[:first] if first is not None else window
    shown = cut[len(cut) - last :] if last is not None else cut
    has_next = (first is not None and len(window) > first) or (
        before is not None and any(x >= before and (after is None or x > after) for x in items)
    )
    has_prev = (last is not None and len(cut) > last) or (after is not None and any(x <= after for x in items))
    return shown, has_next, has_prev


@pytest.mark.parametrize("field", ["studies", "evidence"])
def test_every_combination_follows_relay(field: str, client: TestClient) -> None:
    whole = iris(fetch(client, field, first=BIG))
    assert len(whole) > 12
    id_base = whole[0].split("/id/")[0] + "/id/"
    cursors = {
        None: None,
        "item 3": whole[3],
        "item 10": whole[10],
        "between 5 and 6": whole[5] + "~",  # no such item: the keyset still places it
        "before all": id_base + "0",
        "after all": id_base + "~",
    }
    checked = 0
    for first in (None, 0, 1, 4):
        for last in (None, 0, 2):
            for a_name, after in cursors.items():
                for b_name, before in cursors.items():
                    args = {
                        "first": first,
                        "last": last,
                        "after": encode_cursor(after) if after else None,
                        "before": encode_cursor(before) if before else None,
                    }
                    conn = fetch(client, field, **args)
                    page, has_next, has_prev = reference(whole, first, after, last, before, 20)
                    case = f"first={first} last={last} after={a_name} before={b_name}"
                    assert iris(conn) == page, case
                    assert conn["pageInfo"]["hasNextPage"] == has_next, case
                    assert conn["pageInfo"]["hasPreviousPage"] == has_prev, case
                    assert conn["totalCount"] == len(whole), case
                    checked += 1
    assert checked == 4 * 3 * len(cursors) ** 2


def test_first_and_last_rules(client: TestClient) -> None:
    whole = iris(fetch(client, "mentions", first=BIG))
    none = fetch(client, "mentions", first=0)
    assert none["edges"] == [] and none["pageInfo"]["hasNextPage"] and not none["pageInfo"]["hasPreviousPage"]
    assert none["totalCount"] == len(whole)
    none = fetch(client, "mentions", last=0)
    assert none["edges"] == [] and none["pageInfo"]["hasPreviousPage"] and not none["pageInfo"]["hasNextPage"]
    assert iris(fetch(client, "mentions")) == whole[:20], "the default page is the first 20"
    assert iris(fetch(client, "mentions", last=5)) == whole[-5:]
    both = fetch(client, "mentions", first=10, last=3)
    assert iris(both) == whole[7:10], "first and last: the last 3 of the first 10"
    assert both["pageInfo"]["hasNextPage"] and both["pageInfo"]["hasPreviousPage"]
    for args, message in (
        ({"first": -1}, "`first` must not be negative"),
        ({"last": -2}, "`last` must not be negative"),
        ({"first": BIG + 1}, f"above the maximum page size of {BIG}"),
        ({"last": BIG + 1}, f"above the maximum page size of {BIG}"),
    ):
        for selection in ("totalCount", "edges { cursor }", "pageInfo { hasNextPage }"):
            q = f"query($first: Int, $last: Int) {{ mentions(first: $first, last: $last) {{ {selection} }} }}"
            r = client.post("/graphql", json={"query": q, "variables": args})
            errors = r.json().get("errors") or []
            assert errors and message in errors[0]["message"], f"{args} {selection}: {r.text}"
            assert r.status_code == (400 if "maximum" in message else 200), r.text


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


@pytest.mark.parametrize(
    "cursor",
    ["not base64!", "bm9wZQ==", b64(b"\xff\xfe iri:x"), b64(b"id:https://w3id.org/egovkg/id/study/zheng-2013"), "="],
    ids=["not-base64", "not-ours", "not-utf8", "other-prefix", "padding-only"],
)
@pytest.mark.parametrize("arg", ["after", "before"])
@pytest.mark.parametrize("selection", ["totalCount", "edges { cursor }", "nodes { iri }"])
def test_invalid_cursors_are_graphql_errors_with_a_message(
    cursor: str, arg: str, selection: str, client: TestClient
) -> None:
    q = f"query($c: String) {{ studies({arg}: $c) {{ {selection} }} }}"
    r = client.post("/graphql", json={"query": q, "variables": {"c": cursor}})
    body = r.json()
    assert r.status_code == 200 and body["data"] is None, r.text
    assert body["errors"][0]["message"] == f"invalid cursor {cursor!r}", r.text
    assert body["errors"][0]["path"] == ["studies"]


def test_cursors_of_the_old_format_keep_working(client: TestClient) -> None:
    whole = iris(fetch(client, "studies", first=BIG))
    old = base64.urlsafe_b64encode(("iri:" + whole[4]).encode()).decode()
    assert iris(fetch(client, "studies", first=2, after=old)) == whole[5:7]
    assert iris(fetch(client, "studies", last=2, before=old)) == whole[2:4]


FILTERED = [
    ("studies", {"place": "western"}),
    ("studies", {"place": "western", "focus": "social-media-in-general", "yearFrom": 2010}),
    ("studies", {"dimension": "technological", "text": "government"}),
    ("studies", {"yearTo": 2011}),
    ("studies", {"yearFrom": 2013, "polarity": "internal"}),
    ("mentions", {"dimension": "information"}),
    ("mentions", {"place": "china", "role": "internal-weakness"}),
    ("mentions", {"study": "zheng-2013", "polarity": "external"}),
    ("mentions", {"yearFrom": 2010, "yearTo": 2011, "text": "social"}),
    ("concepts", {"polarity": "internal", "place": "china"}),
    ("concepts", {"text": "security"}),
    ("evidence", {"text": "public"}),
    ("interpretations", {"study": "han-2012"}),
    ("interpretations", {"text": "security"}),
    ("statistics", {"study": "zheng-2013", "text": "growth"}),
    ("claims", {"text": "government"}),
]


@pytest.mark.parametrize(("field", "flt"), FILTERED, ids=[f"{f}-{'-'.join(x)}" for f, x in FILTERED])
def test_filters_page_like_their_big_page(field: str, flt: dict[str, Any], client: TestClient) -> None:
    big = fetch(client, field, flt, first=BIG)
    whole = iris(big)
    everything = iris(fetch(client, field, first=BIG))
    assert whole, f"{field} {flt}: pick a filter that matches something"
    assert len(whole) < len(everything), f"{field} {flt}: pick a filter that leaves something out"
    assert set(whole) <= set(everything) and big["totalCount"] == len(whole)
    assert forwards(client, field, 2, flt) == whole
    assert backwards(client, field, 2, flt) == whole
    # a cursor taken from the unfiltered list (maybe not in the filtered one) still places the page
    middle = everything[len(everything) // 2]
    after = [x for x in whole if x > middle]
    assert iris(fetch(client, field, flt, first=2, after=encode_cursor(middle))) == after[:2]
    before = [x for x in whole if x < middle]
    assert iris(fetch(client, field, flt, last=2, before=encode_cursor(middle))) == before[-2:]


def test_an_unknown_filter_value_gives_an_empty_list(client: TestClient) -> None:
    conn = fetch(client, "studies", {"place": "atlantis"}, first=5)
    assert conn["edges"] == [] and conn["totalCount"] == 0
    assert not conn["pageInfo"]["hasNextPage"] and not conn["pageInfo"]["hasPreviousPage"]
    assert post(client, '{ mentions(filter: {study: "no-such-study"}) { totalCount } }')["data"]["mentions"] == {
        "totalCount": 0
    }


# -- what runs: the list only for a page, a count only for totalCount alone ------------------------------------


def ran(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[Any]]:
    """The data and the SPARQL log of a request."""
    body = post(client, query, variables, extensions={"sparql": True})
    return body["data"], body["extensions"]["sparql"]


def counts(log: list[dict[str, Any]]) -> list[bool]:
    """For each list query run: whether it was a COUNT."""
    return [("COUNT(DISTINCT ?item)" in e["query"]) for e in log if "?item" in e["query"]]


@pytest.mark.parametrize("field", list(LISTS))
def test_total_count_alone_is_a_count_query_equal_to_the_list(field: str, uncached: TestClient) -> None:
    data, log = ran(uncached, f"{{ {field} {{ totalCount }} }}")
    assert counts(log) == [True], log
    n = data[field]["totalCount"]
    data, log = ran(uncached, f"{{ {field}(first: {BIG}) {{ totalCount nodes {{ iri }} }} }}")
    assert counts(log) == [False], "a page and its total: the list alone, its length is the count"
    assert n == data[field]["totalCount"] == len(data[field]["nodes"]) > 0


def test_total_count_only_when_selected(uncached: TestClient) -> None:
    c = uncached
    _, log = ran(c, "{ studies(first: 2) { edges { cursor } } }")
    assert counts(log) == [False]
    _, log = ran(c, "{ studies { __typename } }")
    assert counts(log) == [], "nothing selected that needs the store"
    q = "query($n: Boolean!) { studies { totalCount @include(if: $n) pageInfo @skip(if: $n) { hasNextPage } } }"
    data, log = ran(c, q, {"n": False})
    assert counts(log) == [False] and "totalCount" not in data["studies"]
    data, log = ran(c, q, {"n": True})
    assert counts(log) == [True] and data["studies"]["totalCount"] == 17
    # through fragments, and an alias
    frag = "fragment T on StudyConnection { total: totalCount } { studies { ...T } }"
    data, log = ran(c, frag)
    assert counts(log) == [True] and data["studies"] == {"total": 17}
    data, log = ran(c, "{ studies { ... on StudyConnection { totalCount } } }")
    assert counts(log) == [True] and data["studies"] == {"totalCount": 17}
    data, log = ran(c, "{ a: studies(first: 1) { totalCount } b: studies(first: 1) { nodes { iri } } }")
    assert counts(log) == [True, False] and data["a"]["totalCount"] == 17 and len(data["b"]["nodes"]) == 1


def test_filtered_total_count_alone_equals_the_filtered_list(client: TestClient) -> None:
    for field, flt in FILTERED:
        q = f"query($f: {LISTS[field]}) {{ {field}(filter: $f) {{ totalCount }} }}"
        alone = post(client, q, {"f": flt})["data"][field]["totalCount"]
        assert alone == len(iris(fetch(client, field, flt, first=BIG))) > 0, f"{field} {flt}"


# -- the kept lists: read once per dataset version ---------------------------------------------------------------


def study(key: str) -> Graph:
    g = Graph()
    s = URIRef(f"https://w3id.org/egovkg/id/study/{key}")
    g.add((s, RDF.type, URIRef("https://w3id.org/egovkg/ontology/Study")))
    g.add((s, RDFS.label, Literal(f"Paging {key}", lang="en")))
    return g


@pytest.fixture()
def own_store() -> Store:
    return load_store(OxigraphStore(), build_dataset(validate=False))


def test_later_pages_reuse_the_list_until_a_write(own_store: Store, gql_app_factory: Callable[..., Any]) -> None:
    with TestClient(gql_app_factory(own_store, graphql_cache_enabled=False)) as c:
        q = "query($after: String) { studies(first: 5, after: $after) { totalCount edges { cursor node { iri } } } }"
        before = own_store.query_count
        first, log = ran(c, q)
        assert [e.get("cached", False) for e in log if "?item" in e["query"]] == [False]
        reads = own_store.query_count - before
        before = own_store.query_count
        second, log = ran(c, q, {"after": first["studies"]["edges"][-1]["cursor"]})
        assert [e.get("cached", False) for e in log if "?item" in e["query"]] == [True], "the kept list"
        assert own_store.query_count - before == reads - 1, "one store query fewer: the list's"
        assert second["studies"]["totalCount"] == 17
        # a write changes the version: the list is read again and shows the new study
        own_store.replace_graphs({"https://w3id.org/egovkg/graph/study/aaa-paging": study("aaa-paging")}, "v-paging")
        third, log = ran(c, q)
        assert [e.get("cached", False) for e in log if "?item" in e["query"]] == [False]
        assert third["studies"]["totalCount"] == 18
        assert third["studies"]["edges"][0]["node"]["iri"].endswith("/aaa-paging")
        # an old cursor still places its page in the new list
        fourth, _ = ran(c, q, {"after": first["studies"]["edges"][-1]["cursor"]})
        assert fourth["studies"]["edges"] == second["studies"]["edges"]


def test_the_kept_lists_are_bounded() -> None:
    from api.graphql.cache import ListCache

    cache = ListCache(max_items=10)
    cache.put("a", "v1", tuple("abcdef"))
    cache.put("b", "v1", tuple("ghij"))
    cache.put("n", "v1", 7)  # a count weighs 1
    assert cache.get("a", "v1") is None and cache.get("b", "v1") == tuple("ghij") and cache.get("n", "v1") == 7
    cache.put("huge", "v1", tuple(range(11)))  # type: ignore[arg-type]
    assert cache.get("huge", "v1") is None and cache.items <= 10, "a list longer than the bound is not kept"
    assert cache.get("b", "v2") is None and len(cache) == 0, "a new version drops everything"
