"""The remote backend answers exactly as the embedded one: every stored query, compare, CONSTRUCT, dumps, writes."""

from __future__ import annotations

import json

import list_criteria
import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from kg import compare as cmp
from kg import queries
from kg.remote import RemoteSparqlStore, bind_values
from kg.store import QuerySyntaxError, Store, StoreError, open_store

ANY = URIRef("urn:egovkg:any")


def rows_key(rows: list[dict]) -> list[str]:
    """Rows as a sorted list (engines may order ties differently)."""
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


# -- binding parameters without pyoxigraph's substitutions -----------------------------------------------------
def test_bind_values_goes_into_the_outermost_where_group() -> None:
    q = "SELECT ?s WHERE { ?s ?p ?o }"
    assert bind_values(q, {"p": URIRef("http://x/p")}) == "SELECT ?s WHERE { VALUES (?p) { (<http://x/p>) }  ?s ?p ?o }"


def test_bind_values_skips_braces_in_comments_iris_and_strings() -> None:
    q = '# a { comment\nPREFIX x: <http://x/{odd}>\nSELECT ?s ("{" AS ?b) WHERE { ?s ?p "}" }'
    out = bind_values(q, {"s": URIRef("http://x/s")})
    assert out.index("VALUES") > out.index("WHERE {"), f"VALUES must follow the WHERE brace: {out}"
    assert '"{" AS ?b' in out and "<http://x/{odd}>" in out


def test_bind_values_uses_the_where_group_of_construct() -> None:
    q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    out = bind_values(q, {"s": URIRef("http://x/s")})
    assert out.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s)"), out


def test_bind_values_serializes_literals_safely() -> None:
    out = bind_values("SELECT * { ?s ?p ?t }", {"t": Literal('a" } DROP ALL #')})
    assert '"a\\" } DROP ALL #"' in out, f"the literal must be escaped, not pasted: {out}"


def test_bind_values_refuses_bad_variable_names() -> None:
    with pytest.raises(ValueError):
        bind_values("SELECT * { ?s ?p ?o }", {"o) } DROP": Literal(1)})


def test_spec_parsing() -> None:
    s = RemoteSparqlStore.from_spec("http://h/q,http://h/u,http://h/s,union=native,timeout=5")
    assert (s.query_url, s.update_url, s.gsp_url, s.union) == ("http://h/q", "http://h/u", "http://h/s", "native")
    with pytest.raises(StoreError):
        RemoteSparqlStore.from_spec("ftp://h/q")
    with pytest.raises(StoreError):
        RemoteSparqlStore.from_spec("http://h/q,bogus=1")
    assert isinstance(open_store("sparql:http://h/q"), RemoteSparqlStore)


# -- parity with the embedded store ------------------------------------------------------------------------------
def test_same_version_size_and_graphs(embedded: Store, remote: RemoteSparqlStore) -> None:
    assert remote.version() == embedded.version()
    assert len(remote) == len(embedded), "the remote engine must hold exactly the embedded quads"
    assert sorted(remote.named_graphs()) == sorted(embedded.named_graphs())


PARAMETERLESS = [
    n
    for n in queries.names()
    if "# SIDES" not in queries.text(n)
    and "Bind ?" not in queries.text(n)
    and "?dimension = <urn:egovkg:any>" not in queries.text(n)
]


def test_found_parameterless_queries() -> None:
    assert len(PARAMETERLESS) >= 5, f"expected the stored queries, found {PARAMETERLESS}"


@pytest.mark.parametrize("name", PARAMETERLESS)
def test_every_stored_query_answers_the_same(name: str, embedded: Store, remote: RemoteSparqlStore) -> None:
    try:
        expected = queries.select(embedded, name)
    except (TypeError, ValueError, AttributeError):  # not a SELECT
        pytest.skip(f"{name} is not a SELECT query")
    got = queries.select(remote, name)
    assert rows_key(got) == rows_key(expected), f"{name}: remote rows differ from embedded"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("studies=zheng-2013", "place=western"),
        ("place=china", "place=western"),
        ("focus=microblogging", "from=2011;to=2012"),
    ],
)
def test_compare_answers_the_same(a: str, b: str, embedded: Store, remote: RemoteSparqlStore) -> None:
    ga, gb = cmp.StudyGroup.parse(a), cmp.StudyGroup.parse(b)
    assert cmp.compare(remote, ga, gb).as_dict() == cmp.compare(embedded, ga, gb).as_dict()


@pytest.mark.parametrize(
    "spec",
    [
        "place=western;from=2010;to=2012",
        "place=china;focus=microblogging",
        "purpose=transparency;to=2011",
        "studies=zheng-2013,nope,han-2012",
        "studies=zheng-2013,han-2012,bertot-2010;place=western;from=2010",
    ],
)
def test_group_members_with_bound_parameters(spec: str, embedded: Store, remote: RemoteSparqlStore) -> None:
    """The criteria as bound parameters (VALUES on the remote engine) and the studies as a VALUES block."""
    g = cmp.StudyGroup.parse(spec)
    got = cmp.resolve_group(remote, g)
    assert got and got == cmp.resolve_group(embedded, g), "bound parameters must select the same studies"


LIST_CRITERIA = {  # the GraphQL list queries, their IRI criteria, and how to find every value of each in the store
    "gql_studies": ["dimension", "role", "polarity", "concept", "place", "focus", "purpose"],
    "gql_mentions": ["dimension", "role", "polarity", "study", "concept", "place", "focus", "purpose"],
    "gql_concepts": ["dimension", "role", "polarity", "place"],
    "gql_items": ["study"],
}
LIST_VALUES = list_criteria.VALUES


@pytest.mark.parametrize("name", sorted(LIST_CRITERIA))
def test_list_queries_with_bound_parameters(name: str, embedded: Store, remote: RemoteSparqlStore) -> None:
    """The GraphQL list queries, specialized to each value of each criterion in the KG (and a year range and a text
    with it), select the same items when the parameters are VALUES (remote) as when they are substituted
    (embedded): their sub-selects join on the parameters, and their text FILTERs are outside the sub-selects."""
    cases: list[dict] = []
    for c in LIST_CRITERIA[name]:
        found = embedded.select(
            f"PREFIX egov: <https://w3id.org/egovkg/ontology/> SELECT DISTINCT ?v WHERE {{ {LIST_VALUES[c]} }}")
        cases += [{c: URIRef(r["v"])} for r in found]
    cases += [case | {"text": Literal("GOVERNMENT")} for case in cases[:: max(1, len(cases) // 10)]]
    if name in ("gql_studies", "gql_mentions"):
        cases += [case | {"yearFrom": Literal(2010), "yearTo": Literal(2012)} for case in cases[:: 7]]
    classes = ["Evidence", "Interpretation", "Method"] if name == "gql_items" else [None]
    non_empty = 0
    for case in cases:
        for cls in classes:
            bound = case | ({"class": URIRef(f"https://w3id.org/egovkg/ontology/{cls}")} if cls else {})
            text = queries.specialize(queries.text(name), case)
            expected = sorted({r["item"] for r in embedded.select(text, bound)})
            assert sorted({r["item"] for r in remote.select(text, bound)}) == expected, f"{name} {bound}"
            non_empty += bool(expected)
    assert non_empty >= 10, (name, len(cases), non_empty)


def test_construct_and_ask(embedded: Store, remote: RemoteSparqlStore) -> None:
    q = "DESCRIBE <https://w3id.org/egovkg/id/study/zheng-2013>"
    g1, g2 = embedded.construct(q), remote.construct(q)
    assert len(g1) > 10 and g1.isomorphic(g2), "DESCRIBE must give the same graph"
    assert remote.ask("ASK { ?s a <https://w3id.org/egovkg/ontology/Study> }") is True
    res = remote.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3")
    assert type(res) is type(embedded.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3")), (
        "CONSTRUCT results must be pyoxigraph QueryTriples like the embedded store's"
    )


def test_union_default_graph_and_explicit_datasets(remote: RemoteSparqlStore, embedded: Store) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/egovkg/ontology/Study> }"
    assert remote.select(q) == embedded.select(q) and remote.select(q)[0]["n"] >= 17
    assert remote.select(q, union=False)[0]["n"] == 0, "without the union the default graph is empty"
    g = "https://w3id.org/egovkg/graph/study/zheng-2013"
    assert remote.select(q, default_graph=[g])[0]["n"] == 1 == embedded.select(q, default_graph=[g])[0]["n"]


def test_dump_reloads_isomorphic(remote: RemoteSparqlStore, embedded: Store) -> None:
    d1, d2 = Dataset(), Dataset()
    d1.parse(data=remote.dump("nquads"), format="nquads")
    d2.parse(data=embedded.dump("nquads"), format="nquads")
    assert len(d1) == len(d2) and len(list(d1.quads())) == len(list(d2.quads()))


def test_errors_are_the_store_errors(remote: RemoteSparqlStore) -> None:
    with pytest.raises(QuerySyntaxError):
        remote.select("SELECT * WHERE { ?s ?p ")
    with pytest.raises(StoreError):
        RemoteSparqlStore("http://127.0.0.1:9/query").select("SELECT * {}")
    with pytest.raises(StoreError, match="no update endpoint"):
        RemoteSparqlStore(remote.query_url).replace_graphs({"urn:x": None})


def test_writes_are_seen_and_versioned(oxigraph_server, built) -> None:  # type: ignore[no-untyped-def]
    s = oxigraph_server.store()
    g = Graph()
    g.add((URIRef("urn:egovkg:test:s"), URIRef("urn:egovkg:test:p"), Literal("o")))
    before = s.version()
    s.replace_graphs({"urn:egovkg:test:graph": g}, version="v-test")
    other = oxigraph_server.store()  # a second client, as a second server would be
    assert other.version() == "v-test" and other.ask("ASK { <urn:egovkg:test:s> ?p ?o }")
    s.replace_graphs({"urn:egovkg:test:graph": None}, version=before)
    assert not other.ask("ASK { <urn:egovkg:test:s> ?p ?o }") and other.version() == before
