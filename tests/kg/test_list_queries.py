"""The list queries of the GraphQL connections (``kg/queries/gql_*.rq``) specialized to the criteria given
(``kg.queries.specialize``) select exactly what the whole template selects with the other criteria at "any", and
their ``COUNT`` form (``kg.queries.count_query``) counts exactly those items."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest
from rdflib import Literal, URIRef

from kg import queries
from kg.compare import expand
from kg.store import Store

ANY = URIRef("urn:egovkg:any")
IRI_KINDS = {
    "dimension": "dimension",
    "role": "role",
    "polarity": "polarity",
    "concept": "concept",
    "place": "place",
    "focus": "focus",
    "purpose": "purpose",
    "study": "study",
}
VALUES: dict[str, list[Any]] = {
    "dimension": ["information", "technological"],
    "role": ["internal-weakness"],
    "polarity": ["internal", "external"],
    "concept": ["funding", "information-security"],
    "place": ["china", "western", "united-states"],
    "focus": ["microblogging", "social-media-in-general"],
    "purpose": ["transparency", "emergency-response"],
    "study": ["zheng-2013", "han-2012"],
    "years": [(2010, 2011), (2012, 9999), (0, 2010), (0, 9999)],
    "text": ["government", "Security"],
}
QUERIES = {
    "gql_studies": ["dimension", "role", "polarity", "concept", "place", "focus", "purpose", "years", "text"],
    "gql_mentions": ["dimension", "role", "polarity", "study", "concept", "place", "focus", "purpose", "years", "text"],
    "gql_concepts": ["dimension", "role", "polarity", "place", "text"],
    "gql_items": ["study", "text"],
}
ITEM_CLASSES = ["Evidence", "Statistic", "Claim", "Recommendation", "Method", "FactorRelation", "Interpretation"]


def given(criterion: str, value: Any) -> dict[str, Any]:
    """The bindings of one criterion given."""
    if criterion == "years":
        return {"yearFrom": Literal(value[0]), "yearTo": Literal(value[1])}
    if criterion == "text":
        return {"text": Literal(value)}
    return {criterion: URIRef(expand(IRI_KINDS[criterion], value))}


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


def cases() -> list[tuple[str, dict[str, Any]]]:
    """Per query: nothing given, each value of each criterion alone, pairs of criteria, all of them."""
    out: list[tuple[str, dict[str, Any]]] = []
    for name, criteria in QUERIES.items():
        out.append((name, {}))
        for c in criteria:
            out += [(name, given(c, v)) for v in VALUES[c]]
        for a, b in combinations(criteria, 2):
            out.append((name, given(a, VALUES[a][0]) | given(b, VALUES[b][-1])))
        out.append((name, {k: v for c in criteria for k, v in given(c, VALUES[c][0]).items()}))
    return out


CASES = cases()


def rows(store: Store, text: str, bindings: dict[str, Any]) -> list[str]:
    return sorted({r["item"] for r in store.select(text, bindings or None)})


def count(store: Store, text: str, bindings: dict[str, Any]) -> int:
    found = store.select(queries.count_query(text), bindings or None)
    return int(found[0]["count"]) if found else 0


@pytest.mark.parametrize(("name", "bound"), CASES, ids=[f"{n}-{'-'.join(b) or 'none'}" for n, b in CASES])
def test_specialized_query_selects_what_the_whole_template_selects(
    name: str, bound: dict[str, Any], store: Store
) -> None:
    whole = queries.text(name)
    classes = ITEM_CLASSES if name == "gql_items" else [None]
    found = 0
    for cls in classes:
        extra = {"class": URIRef(f"https://w3id.org/egovkg/ontology/{cls}")} if cls else {}
        expected = rows(store, whole, at_any(QUERIES[name]) | bound | extra)
        special = queries.specialize(whole, bound)
        assert rows(store, special, bound | extra) == expected, f"{name} {sorted(bound)} {cls}"
        assert count(store, special, bound | extra) == len(expected), f"{name} {sorted(bound)} {cls}: count"
        found += len(expected)
    if not bound:
        assert found, f"{name}: the shipped KG has items"


def test_most_cases_select_something_and_leave_something_out(store: Store) -> None:
    """The cases above are a test of the criteria only if they do something."""
    some = leave = 0
    for name, bound in CASES:
        if name == "gql_items" or not bound:
            continue
        n = len(rows(store, queries.specialize(queries.text(name), bound), bound))
        whole = len(rows(store, queries.specialize(queries.text(name), {}), {}))
        some += n > 0
        leave += n < whole
    assert some > 60 and leave > 90, (some, leave)


def test_specialize_leaves_out_the_blocks_and_parameters_not_given() -> None:
    template = """PREFIX x: <urn:x:>
SELECT DISTINCT ?item ?a ?b ?c ?fixed
WHERE {
  ?item a ?fixed .
  # IF ?a
  FILTER(?a = <urn:egovkg:any> || ?item = ?a)
  # END
  # IF ?b ?c
  FILTER(?b != ?c)
  # END
}
"""
    only_a = queries.specialize(template, {"a"})
    assert "SELECT DISTINCT ?item ?a ?fixed\n" in only_a and "?item = ?a" in only_a and "?b" not in only_a
    assert "# IF" not in only_a and "# END" not in only_a
    only_c = queries.specialize(template, ["c"])
    assert "SELECT DISTINCT ?item ?b ?c ?fixed\n" in only_c and "?b != ?c" in only_c and "?a" not in only_c
    assert queries.count_query(only_c).splitlines()[1] == "SELECT ?b ?c ?fixed (COUNT(DISTINCT ?item) AS ?count)"
    assert queries.count_query(only_c).rstrip().endswith("GROUP BY ?b ?c ?fixed")
    bare = queries.count_query("SELECT DISTINCT ?item\nWHERE { ?item a ?t }\n")
    assert bare == "SELECT (COUNT(DISTINCT ?item) AS ?count)\nWHERE { ?item a ?t }\n"
    for broken in ("# IF ?a\n# IF ?b\n# END\n# END\n", "# END\n", "# IF ?a\nSELECT ?item\n"):
        with pytest.raises(ValueError):
            queries.specialize(broken, {"a"})
    with pytest.raises(ValueError):
        queries.count_query("ASK { ?s ?p ?o }")
