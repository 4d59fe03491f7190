"""The SPARQL 1.1 Protocol at /sparql, queried over HTTP by real clients (SPARQLWrapper, rdflib's SPARQLStore) and
by plain HTTP, every result format parsed back and compared with the store's own answer."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from kg.namespaces import EGOV, STUDY
from kg.store import Store

pytestmark = pytest.mark.server

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
STUDIES = f"""PREFIX egov: <{EGOV._NS}> PREFIX dcterms: <{DCTERMS}>
SELECT ?study ?title WHERE {{ ?study a egov:Study ; dcterms:title ?title }} ORDER BY ?study"""
ZHENG_CBD = f"CONSTRUCT {{ <{STUDY['zheng-2013']}> ?p ?o }} WHERE {{ <{STUDY['zheng-2013']}> ?p ?o }}"
ASK_ZHENG = f"PREFIX egov: <{EGOV._NS}> ASK {{ <{STUDY['zheng-2013']}> a egov:Study }}"


def _expected_studies(store: Store) -> set[tuple[str, str]]:
    rows = store.select(STUDIES)
    assert len(rows) >= 17, f"the KG should hold the paper and its 16 reviewed studies, found {len(rows)}"
    return {(r["study"], r["title"]) for r in rows}


def _pairs(result: Result) -> set[tuple[str, str]]:
    return {(str(row["study"]), str(row["title"])) for row in result}  # type: ignore[index]


def _expected_zheng(store: Store) -> Graph:
    return store.construct(ZHENG_CBD)


def wrapper(server_url: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    w = SPARQLWrapper(server_url + "/sparql")
    w.setReturnFormat(fmt)
    w.setMethod(POST if method != "GET" else "GET")
    if method == "POSTDIRECTLY":
        w.setRequestMethod(POSTDIRECTLY)
    elif method == "POST":
        w.setRequestMethod(URLENCODED)
    return w


# -- SELECT and ASK in every result format, by every request method -------------------------------------------------
@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
@pytest.mark.parametrize("fmt,rdflib_format", [(JSON, "json"), (XML, "xml"), (CSV, "csv"), (TSV, "tsv")])
def test_select_every_format_and_method(ld_server, store, method, fmt, rdflib_format):
    w = wrapper(ld_server.url, fmt, method)
    w.setQuery(STUDIES)
    resp = w.query()
    raw = resp.response.read()
    ctype = resp.response.headers["Content-Type"]
    expected_type = {JSON: "application/sparql-results+json", XML: "application/sparql-results+xml",
                     CSV: "text/csv", TSV: "text/tab-separated-values"}[fmt]
    assert ctype.startswith(expected_type), f"{fmt} by {method}: got Content-Type {ctype}"
    got = _pairs(Result.parse(io.BytesIO(raw), format=rdflib_format))
    assert got == _expected_studies(store), f"{fmt} by {method}: the bindings differ from the store's"


def _ask_value(converted: object) -> bool:
    """The boolean of an ASK result as SPARQLWrapper converts it (a dict for JSON, a DOM document for XML)."""
    if isinstance(converted, dict):
        return bool(converted["boolean"])
    return converted.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask_through_sparqlwrapper(ld_server, fmt):
    w = wrapper(ld_server.url, fmt)
    w.setQuery(ASK_ZHENG)
    assert _ask_value(w.queryAndConvert()) is True, "ASK for the paper should be true"
    w.setQuery(ASK_ZHENG.replace("zheng-2013", "no-such-study"))
    assert _ask_value(w.queryAndConvert()) is False, "ASK for an unknown study should be false"


@pytest.mark.parametrize("media,rdflib_format", [("text/csv", "csv"), ("text/tab-separated-values", "tsv"),
                                                 ("application/sparql-results+xml", "xml"),
                                                 ("application/sparql-results+json", "json")])
def test_ask_every_format(ld_server, media, rdflib_format):
    r = ld_server.get("/sparql", params={"query": ASK_ZHENG}, headers={"Accept": media})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media), r.text
    if rdflib_format in ("csv", "tsv"):
        assert r.text.splitlines()[1].strip() == "true", f"ASK as {media}: {r.text!r}"
    else:
        assert Result.parse(io.BytesIO(r.content), format=rdflib_format).askAnswer is True, f"ASK as {media}"


# -- CONSTRUCT and DESCRIBE in every graph format ------------------------------------------------------------------
@pytest.mark.parametrize("fmt,rdflib_format", [(TURTLE, "turtle"), (N3, "turtle"), (RDFXML, "xml"),
                                               (JSONLD, "json-ld")])
def test_construct_through_sparqlwrapper(ld_server, store, fmt, rdflib_format):
    w = wrapper(ld_server.url, fmt)
    w.setQuery(ZHENG_CBD)
    raw = w.query().response.read()
    g = Graph().parse(data=raw, format=rdflib_format)
    assert isomorphic(g, _expected_zheng(store)), f"CONSTRUCT as {fmt}: the triples differ from the store's"


@pytest.mark.parametrize("media,rdflib_format", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                                 ("application/ld+json", "json-ld"),
                                                 ("application/rdf+xml", "xml"), ("application/trig", "trig"),
                                                 ("application/n-quads", "nquads")])
def test_construct_every_graph_format(ld_server, store, media, rdflib_format):
    r = ld_server.post("/sparql", data={"query": ZHENG_CBD}, headers={"Accept": media})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media), r.text[:300]
    if rdflib_format in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(data=r.content, format=rdflib_format)
        g = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
    else:
        g = Graph().parse(data=r.content, format=rdflib_format)
    assert isomorphic(g, _expected_zheng(store)), f"CONSTRUCT as {media}: the triples differ from the store's"


def test_describe(ld_server, store):
    r = ld_server.get("/sparql", params={"query": f"DESCRIBE <{STUDY['zheng-2013']}>"},
                      headers={"Accept": "text/turtle"})
    assert r.status_code == 200, r.text
    g = Graph().parse(data=r.content, format="turtle")
    assert set(_expected_zheng(store)) <= set(g), "DESCRIBE should hold every triple of the study"


# -- rdflib's SPARQLStore -------------------------------------------------------------------------------------------
def test_rdflib_sparqlstore_select_ask_construct(ld_server, store):
    remote = Graph(store=SPARQLStore(ld_server.url + "/sparql", returnFormat="json"))
    assert _pairs(remote.query(STUDIES)) == _expected_studies(store), "SELECT through SPARQLStore"
    assert remote.query(ASK_ZHENG).askAnswer is True, "ASK through SPARQLStore"
    # A graph result cannot be sent as SPARQL JSON (the server answers 406), so CONSTRUCT goes through a store
    # whose Accept header names RDF/XML, rdflib's default.
    g = Graph(store=SPARQLStore(ld_server.url + "/sparql")).query(ZHENG_CBD).graph
    assert isomorphic(g, _expected_zheng(store)), "CONSTRUCT through SPARQLStore"
    labels = set(remote.objects(STUDY["zheng-2013"], RDFS.label))
    assert labels == {Literal("Zheng (2013)", lang="en")}, f"triple pattern through SPARQLStore: {labels}"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_rdflib_sparqlstore_post(ld_server, store, fmt):
    remote = SPARQLStore(ld_server.url + "/sparql", method="POST", returnFormat=fmt)
    assert _pairs(remote.query(STUDIES)) == _expected_studies(store), f"SELECT through SPARQLStore POST {fmt}"


# -- the dataset: union default graph, default-graph-uri, named-graph-uri -----------------------------------------
def test_default_graph_is_union(ld_server, store):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = ld_server.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    n = int(r.json()["results"]["bindings"][0]["n"]["value"])
    assert n == store.select(q)[0]["n"], "the default graph should be the union of the named graphs"
    assert n > 1000, f"the union default graph should hold the whole KG, holds {n} triples"


def test_default_graph_uri_and_named_graph_uri(ld_server, store):
    g_zheng = str(store.named_graphs()[0])
    graphs = sorted(store.named_graphs())
    zheng = next(g for g in graphs if g.endswith("study/zheng-2013"))
    ctg = next(g for g in graphs if g.endswith("study/ctg-2009"))
    del g_zheng
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = ld_server.get("/sparql", params={"query": q, "default-graph-uri": zheng},
                      headers={"Accept": "application/sparql-results+json"})
    n = int(r.json()["results"]["bindings"][0]["n"]["value"])
    expected = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{zheng}> {{ ?s ?p ?o }} }}")[0]["n"]
    assert n == expected, "default-graph-uri should make that graph the default graph"
    q2 = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = ld_server.post("/sparql", data={"query": q2, "named-graph-uri": [zheng, ctg]},
                       headers={"Accept": "application/sparql-results+json"})
    got = {b["g"]["value"] for b in r.json()["results"]["bindings"]}
    assert got == {zheng, ctg}, f"named-graph-uri should restrict the named graphs, got {got}"
    r = ld_server.post(f"/sparql?named-graph-uri={ctg}", content=q2,
                       headers={"Content-Type": "application/sparql-query",
                                "Accept": "application/sparql-results+json"})
    got = {b["g"]["value"] for b in r.json()["results"]["bindings"]}
    assert got == {ctg}, f"named-graph-uri in the URL of a direct POST, got {got}"


# -- negotiation ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("accept,expected", [
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/tab-separated-values, application/sparql-results+json;q=0.1", "text/tab-separated-values"),
    ("text/*;q=0.8, application/*;q=0.2", "text/csv"),
    ("*/*", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
])
def test_accept_q_values_select(ld_server, accept, expected):
    r = ld_server.get("/sparql", params={"query": STUDIES}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(expected), \
        f"Accept {accept!r} should give {expected}, gave {r.headers.get('content-type')}"
    assert "Accept" in r.headers.get("vary", ""), "results vary with Accept"


def test_accept_q_values_construct(ld_server):
    r = ld_server.get("/sparql", params={"query": ZHENG_CBD},
                      headers={"Accept": "application/rdf+xml;q=0.4, application/n-triples;q=0.9, text/csv"})
    assert r.headers["content-type"].startswith("application/n-triples"), r.headers.get("content-type")


@pytest.mark.parametrize("fmt,expected", [("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
                                          ("xml", "application/sparql-results+xml"),
                                          ("application/sparql-results+json", "application/sparql-results+json")])
def test_format_parameter(ld_server, fmt, expected):
    r = ld_server.get("/sparql", params={"query": STUDIES, "format": fmt}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(expected), r.text[:200]


def test_format_parameter_on_graph_query(ld_server, store):
    r = ld_server.get("/sparql", params={"query": ZHENG_CBD, "format": "xml"})
    assert r.headers["content-type"].startswith("application/rdf+xml"), "format=xml on CONSTRUCT means RDF/XML"
    assert isomorphic(Graph().parse(data=r.content, format="xml"), _expected_zheng(store))


@pytest.mark.parametrize("query,accept", [(STUDIES, "text/turtle"), (ZHENG_CBD, "text/csv"),
                                          (STUDIES, "image/png"), (ASK_ZHENG, "application/n-triples")])
def test_406_when_nothing_fits(ld_server, query, accept):
    r = ld_server.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 406, f"Accept {accept} for {query[:30]}…: {r.status_code}"
    assert "available" in r.text or "offered" in r.text, r.text


def test_unknown_format_parameter(ld_server):
    r = ld_server.get("/sparql", params={"query": STUDIES, "format": "yaml"})
    assert r.status_code == 406 and "yaml" in r.text, r.text


# -- errors -----------------------------------------------------------------------------------------------------
def test_malformed_query_400_with_parser_message(ld_server):
    r = ld_server.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert r.status_code == 400, r.status_code
    assert "error at 1:" in r.text and "Malformed query" in r.text, f"the parser's message: {r.text!r}"
    w = wrapper(ld_server.url, JSON)
    w.setQuery("SELEC * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryBadFormed):
        w.query()


def _count(server) -> int:
    r = server.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                   headers={"Accept": "application/sparql-results+json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


INSERT = "INSERT DATA { GRAPH <urn:x-test:g> { <urn:x-test:s> <urn:x-test:p> \"injected\" } }"


def test_every_update_form_refused_and_nothing_written(ld_server):
    before, version = _count(ld_server), ld_server.get("/health").json()["version"]
    attempts = {
        "form update=": ld_server.post("/sparql", data={"update": INSERT}),
        "application/sparql-update": ld_server.post("/sparql", content=INSERT,
                                                    headers={"Content-Type": "application/sparql-update"}),
        "update as query= (GET)": ld_server.get("/sparql", params={"query": INSERT}),
        "update as query= (POST form)": ld_server.post("/sparql", data={"query": INSERT}),
        "update as sparql-query body": ld_server.post("/sparql", content=INSERT,
                                                      headers={"Content-Type": "application/sparql-query"}),
        "GET update=": ld_server.get("/sparql", params={"update": INSERT}),
        "DROP ALL as query": ld_server.get("/sparql", params={"query": "DROP ALL"}),
        "LOAD as query": ld_server.get("/sparql", params={"query": "LOAD <http://example.org/x.ttl>"}),
        "prologue then DELETE": ld_server.get("/sparql", params={
            "query": "PREFIX ex: <urn:x-test:> # SELECT\nDELETE WHERE { ?s ?p ?o }"}),
    }
    for name, r in attempts.items():
        assert 400 <= r.status_code < 500, f"{name}: expected a 4xx refusal, got {r.status_code} {r.text[:200]}"
    w = SPARQLWrapper(ld_server.url + "/sparql")
    w.setMethod(POST)
    w.setQuery(INSERT)
    with pytest.raises((SPARQLWrapperException, Exception)):
        w.query()
    assert _count(ld_server) == before, "an update changed the number of triples"
    assert ld_server.get("/health").json()["version"] == version, "an update changed the dataset version"
    r = ld_server.get("/sparql", params={"query": "ASK { GRAPH ?g { <urn:x-test:s> ?p ?o } }"},
                      headers={"Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is False, "the injected triple must not exist"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { ?x ?y ?z . service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "PREFIX ex: <http://example.org/>\nSELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } VALUES ?endpoint { ex:x } }",
])
def test_service_refused(ld_server, query):
    r = ld_server.get("/sparql", params={"query": query})
    assert r.status_code == 403 and "SERVICE" in r.text, f"{r.status_code}: {r.text}"


def test_service_word_in_strings_and_iris_is_not_refused(ld_server):
    q = 'SELECT ?s WHERE { ?s ?service "SERVICE" } # SERVICE'
    r = ld_server.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text


# -- service description, editor, examples, CORS ---------------------------------------------------------------
@pytest.mark.parametrize("accept,rdflib_format", [("text/turtle", "turtle"), ("*/*", "turtle"),
                                                  ("application/ld+json", "json-ld"),
                                                  ("application/rdf+xml", "xml")])
def test_service_description(ld_server, store, accept, rdflib_format):
    r = ld_server.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200, r.text
    g = Graph().parse(data=r.content, format=rdflib_format)
    svc = URIRef(ld_server.url + "/sparql")
    assert (svc, RDF.type, SD.Service) in g, "the endpoint should describe itself as sd:Service"
    assert (svc, SD.endpoint, svc) in g
    assert (svc, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (svc, SD.feature, SD.UnionDefaultGraph) in g
    names = {str(o) for o in g.objects(None, SD.name)}
    assert names == set(store.named_graphs()), "the service description should list every named graph"


def test_browser_gets_yasgui(ld_server):
    r = ld_server.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), r.headers
    assert "/static/yasgui/yasgui.min.js" in r.text and 'id="yasgui"' in r.text, "the page loads the vendored YASGUI"
    assert "cdn" not in r.text.lower() and "unpkg" not in r.text.lower(), "no asset from a CDN"
    assert "<script>" not in r.text, "no inline script"
    js = ld_server.get("/static/yasgui/yasgui.min.js")
    assert js.status_code == 200 and len(js.content) > 500_000, "the YASGUI bundle is served from the package"


def test_examples_are_the_projects_queries(ld_server):
    from kg import config

    examples = ld_server.get("/sparql/examples").json()
    files = [p for p in config.QUERIES_DIR.glob("**/*.rq") if not p.name.startswith(("gql_", "pages_"))]
    assert files, "kg/queries should hold example queries"
    assert len(examples) == len(files), "one tab per .rq file (but the GraphQL and pages building blocks)"
    assert all(e["query"].strip() for e in examples), "every example has a query"
    competency = [e for e in examples if e["name"].startswith("competency/")]
    if competency:
        assert examples[: len(competency)] == competency, "the competency questions come first"


def test_cors_for_reads(ld_server):
    r = ld_server.get("/sparql", params={"query": ASK_ZHENG}, headers={"Origin": "https://example.org"})
    assert r.headers.get("access-control-allow-origin") == "*", r.headers
    assert "x-sparql-truncated" in r.headers.get("access-control-expose-headers", "").lower()
    pre = httpx.options(ld_server.url + "/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200 and "POST" in pre.headers.get("access-control-allow-methods", ""), pre.headers


def test_unsupported_post_content_type(ld_server):
    r = ld_server.post("/sparql", content=json.dumps({"query": STUDIES}), headers={"Content-Type": "application/json"})
    assert r.status_code == 415, r.status_code



def test_results_larger_than_a_pipe_buffer_arrive_whole(ld_server):
    # A worker's answer travels over a pipe (64 KiB buffer); a bigger one must never be cut or fail half-read.
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    for _ in range(10):
        r = ld_server.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+xml"})
        assert r.status_code == 200 and len(r.content) > 65536, (r.status_code, len(r.content))
        assert len(list(Result.parse(io.BytesIO(r.content), format="xml"))) == int(r.headers["X-SPARQL-Rows"])
