"""The nested lists of the vocabulary types (a dimension's or role's mentions, a place's, focus's or purpose's
studies, a concept's mentions, studies and claims) page with `first` and `after`: every list, read a page at a time,
is the whole list, in IRI order; without `first` the whole list comes at once."""

from __future__ import annotations

from typing import Any

import pytest

# (root list, the nested field, its arguments besides first/after)
LISTS = [
    ("dimensions", "mentions", ""),
    ("roles", "mentions", ""),
    ("countries", "studies", ""),
    ("regions", "studies", ""),
    ("researchFoci", "studies", ""),
    ("purposes", "studies", ""),
]
# (the concept's list, its other arguments, the shortest list worth paging, how many concepts must have one)
CONCEPT_LISTS = [
    ("mentions", "", 2, 5), ("mentions", 'role: "issue"', 2, 5), ("studies", "", 2, 5), ("claims", "", 1, 1),
]


def args(extra: str, paged: bool) -> str:
    parts = [p for p in (extra, "first: $first, after: $after" if paged else "") if p]
    return f"({', '.join(parts)})" if parts else ""


def read_pages(gql, query: str, pick, first: int) -> list[str]:
    out: list[str] = []
    after = None
    for _ in range(500):
        page = [x["iri"] for x in pick(gql(query, {"first": first, "after": after})["data"])]
        assert len(page) <= first, f"a page of {first} holds {len(page)}"
        out += page
        if len(page) < first:
            return out
        after = page[-1]
    raise AssertionError("paging did not end")


@pytest.mark.parametrize(("root", "field", "extra"), LISTS, ids=[f"{r}.{f}" for r, f, _ in LISTS])
def test_nested_lists_page_to_the_whole_list(root: str, field: str, extra: str, gql) -> None:
    whole = gql(f"{{ {root} {{ iri {field}{args(extra, False)} {{ iri }} }} }}")["data"][root]
    checked = 0
    for owner in whole:
        expected = [x["iri"] for x in owner[field]]
        assert expected == sorted(expected), f"{owner['iri']}: {field} in IRI order"
        if len(expected) < 3:
            continue
        q = (f"query($first: Int!, $after: String) {{ {root} {{ iri {field}{args(extra, True)} {{ iri }} }} }}")

        def pick(data: dict[str, Any], iri: str = owner["iri"]) -> list[dict[str, Any]]:
            return next(o for o in data[root] if o["iri"] == iri)[field]

        for first in (1, 2, len(expected)):
            assert read_pages(gql, q, pick, first) == expected, f"{owner['iri']}: {field}, {first} at a time"
        checked += 1
    assert checked, f"no {root} with three or more {field}"


@pytest.mark.parametrize(("field", "extra", "shortest", "needed"), CONCEPT_LISTS,
                         ids=[f"{f}-{e or 'all'}" for f, e, _, _ in CONCEPT_LISTS])
def test_a_concepts_lists_page_to_the_whole_list(field: str, extra: str, shortest: int, needed: int, gql) -> None:
    concepts = gql("{ concepts(first: 100) { edges { node { iri } } } }")["data"]["concepts"]["edges"]
    checked = 0
    for edge in concepts:
        iri = edge["node"]["iri"]
        whole = gql(f'{{ concept(iri: "{iri}") {{ {field}{args(extra, False)} {{ iri }} }} }}')["data"]["concept"]
        expected = [x["iri"] for x in whole[field]]
        if len(expected) < shortest:
            continue
        assert expected == sorted(expected), f"{iri}: {field} in IRI order"
        q = (f'query($first: Int!, $after: String) {{ concept(iri: "{iri}") '
             f'{{ {field}{args(extra, True)} {{ iri }} }} }}')
        assert read_pages(gql, q, lambda d: d["concept"][field], 1) == expected, f"{iri}: {field} one at a time"
        checked += 1
    assert checked >= needed, f"only {checked} concepts with {shortest} or more {field}"


@pytest.mark.parametrize(
    ("selection", "message"),
    [("mentions(first: -1) { iri }", "must not be negative"),
     ("mentions(first: 101) { iri }", "above the maximum of 100"),
     ('mentions(first: 2, after: "not a key") { iri }', "is not a valid mention key or IRI")],
)
def test_bad_page_arguments_answer_readable_errors(selection: str, message: str, gql_client) -> None:
    r = gql_client.post("/graphql", json={"query": "{ dimensions { " + selection + " } }"})
    errors = r.json().get("errors")
    assert errors and message in errors[0]["message"], r.json()
