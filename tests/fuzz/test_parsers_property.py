"""Property tests of the input parsers: coding sheets, codebooks and study files (kg.ingest), SPARQL protocol
parameters and GraphQL variables. Whatever comes in, the answer is a located refusal (IngestError) or a result,
never another exception; over HTTP never a 5xx, a stack trace or an internal path."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from kg.build import build_dataset, load_store
from kg.ingest import IngestError, Parsed, read_input
from kg.ingest import qdc as qdc_mod
from kg.ingest.problems import Collector
from kg.store import OxigraphStore
from kg.write import add_study

FIXTURES = Path(__file__).resolve().parents[1] / "ingest" / "fixtures"
SHEETS = sorted(FIXTURES.glob("*.csv"))
CODEBOOKS = sorted(FIXTURES.glob("*.qdc"))
STUDY_FILES = sorted(FIXTURES.glob("*.ttl"))
LEAKS = re.compile(r"Traceback|/work/|\.py\"|File \"/|site-packages|\.venv/|line \d+, in ")
FAST = settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), database=None)
SLOW = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


def test_fixtures_found():
    assert SHEETS and CODEBOOKS and STUDY_FILES, "the ingest fixtures the mutations start from"


@pytest.fixture(scope="module")
def kg_store():
    return load_store(OxigraphStore(), build_dataset(validate=False))


def read(data: bytes, name: str, store=None) -> Parsed | None:
    """read_input, which may refuse (IngestError) but nothing else; the refusal is located and readable."""
    try:
        parsed = read_input(data, name, store=store, max_bytes=200_000)
        event("read")
        return parsed
    except IngestError as e:
        event("refused")
        assert e.problems, "a refusal names at least one problem"
        for p in e.problems:
            d = p.as_dict()
            assert d["message"] and d["file"] == name, d
            assert not LEAKS.search(json.dumps(d, ensure_ascii=False)), d
        return None


# -- raw bytes, every form -----------------------------------------------------------------------------------------
@FAST
@given(data=st.binary(max_size=2000), ext=st.sampled_from([".csv", ".qdc", ".ttl", ".tsv", ".xml", ".txt", ""]))
def test_arbitrary_bytes(data, ext):
    read(data, "upload" + ext)


# -- coding sheets: the fixtures with cells replaced, rows dropped or duplicated, other delimiters ----------------
def _sheet_rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    delim = ";" if path.name.endswith("semicolon.csv") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delim)]


@st.composite
def mutated_sheet(draw) -> bytes:
    rows = [list(r) for r in _sheet_rows(draw(st.sampled_from(SHEETS)))]
    for _ in range(draw(st.integers(0, 3))):  # 0: the fixture as it is, so that the accepting path runs too
        kind = draw(st.sampled_from(["cell", "cell", "cell", "drop-row", "dup-row", "drop-col", "blank"]))
        r = draw(st.integers(0, len(rows) - 1))
        if kind == "cell" and rows[r]:
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(TEXT)
        elif kind == "drop-row" and len(rows) > 1:
            rows.pop(r)
        elif kind == "dup-row":
            rows.insert(r, list(rows[r]))
        elif kind == "drop-col" and rows[r]:
            rows[r].pop(draw(st.integers(0, len(rows[r]) - 1)))
        else:
            rows[r] = []
    out = io.StringIO()
    csv.writer(out, delimiter=draw(st.sampled_from([",", ",", ";", "\t", "|"]))).writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    return out.getvalue().encode(encoding, "replace")


@SLOW
@given(data=mutated_sheet())
def test_coding_sheets(kg_store, data):
    parsed = read(data, "sheet.csv", kg_store)
    if parsed is not None:  # a sheet that reads is validated with the KG (dry run): a report, never a crash
        outcome = add_study(kg_store, parsed, dry_run=True)
        assert outcome.written is False


# -- codebooks: the fixtures with names, descriptions and attributes replaced, elements cut ------------------------
@st.composite
def mutated_codebook(draw) -> bytes:
    text = draw(st.sampled_from(CODEBOOKS)).read_bytes().decode("utf-8-sig")
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["name", "description", "guid", "truncate", "tag", "nest"]))
        value = draw(TEXT).replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        if kind == "name":
            names = re.findall(r'name="[^"]*"', text)
            text = text.replace(draw(st.sampled_from(names)), f'name="{value}"', 1) if names else text
        elif kind == "description":
            descs = re.findall(r"<Description>[^<]*</Description>", text)
            if descs:
                text = text.replace(draw(st.sampled_from(descs)), f"<Description>{value}</Description>", 1)
        elif kind == "guid":
            guids = re.findall(r'guid="[^"]*"', text)
            text = text.replace(draw(st.sampled_from(guids)), f'guid="{value}"', 1) if guids else text
        elif kind == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif kind == "tag":
            text = text.replace("<Code ", f"<{draw(st.sampled_from(['Set', 'Codes', 'X', 'Code']))} ", 1)
        else:
            text = text.replace("</Codes>", '<Code guid="{0A1B2C3D-0000-4000-8000-00000000FFFF}" name="n">'
                                "<Code name=\"m\"/></Code></Codes>", 1)
    return text.encode("utf-8")


@SLOW
@given(data=mutated_codebook())
def test_codebooks_as_studies(kg_store, data):
    parsed = read(data, "book.qdc", kg_store)
    if parsed is not None:
        assert add_study(kg_store, parsed, dry_run=True).written is False


@FAST
@given(data=mutated_codebook())
def test_codebooks_as_schemes(data):
    out = Collector("scheme.qdc")
    book = qdc_mod.parse(data, out)
    if book is not None and not out.problems:
        qdc_mod.read_scheme(book, {}, out)
    for p in out.problems:
        assert p.as_dict()["message"]


# -- study files: Turtle with terms replaced ------------------------------------------------------------------------
@SLOW
@given(data=st.data())
def test_study_files(kg_store, data):
    source = STUDY_FILES[0].read_text(encoding="utf-8").splitlines()
    lines = [re.findall(r'"[^"\n]*"(?:@[\w-]+|\^\^\S+)?|\S+', line) for line in source]
    for _ in range(data.draw(st.integers(0, 3))):
        tokens = lines[data.draw(st.integers(0, len(lines) - 1))]
        if not tokens or tokens[0].startswith(("#", "@prefix", "PREFIX")):
            continue
        i = data.draw(st.integers(0, len(tokens) - 1))
        tokens[i] = data.draw(st.sampled_from(['""', '"x"@en', "<urn:x>", "<>", "42", "egov:y", ".", ";", "a", "_:b",
                                               '"' + data.draw(TEXT).replace('"', "").replace("\\", "") + '"']))
    text = "\n".join(" ".join(tokens) for tokens in lines)
    parsed = read(text.encode("utf-8"), "study.ttl", kg_store)
    if parsed is not None:
        assert add_study(kg_store, parsed, dry_run=True).written is False


# -- SPARQL protocol parameters -------------------------------------------------------------------------------------
FRAGMENTS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "?s", "?p", "?o", "<urn:x>", "a", ".", ";",
             "FILTER", "(", ")", "LIMIT 5", "OFFSET 1", "PREFIX x: <urn:x#>", "x:y", '"str"', "42", "GRAPH", "?g",
             "OPTIONAL", "UNION", "VALUES ?s { <urn:a> }", "BIND(1 AS ?n)", "COUNT(*)", "GROUP BY ?s", "ORDER BY ?s",
             "INSERT DATA", "DELETE", "SERVICE", "LOAD", "BASE <urn:b>", "#", "\n", "*", "REGEX(?o, \"(a+)+$\")"]
ACCEPTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/turtle",
           "application/ld+json", "*/*", "text/html", "application/x-nonsense", "text/*;q=0.1, */*;q=0",
           "application/json;q=abc", ""]


@FAST
@given(query=st.one_of(st.lists(st.sampled_from(FRAGMENTS), max_size=14).map(" ".join), TEXT),
       fmt=st.one_of(st.none(), st.sampled_from(["json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "bogus", ""])),
       accept=st.sampled_from(ACCEPTS), graph=st.one_of(st.none(), TEXT, st.just("urn:x")),
       method=st.sampled_from(["get", "form", "body"]))
def test_sparql_parameters(app_client, clean, query, fmt, accept, graph, method):
    assume("\x00" not in (graph or ""))
    params = {"query": query, **({"format": fmt} if fmt is not None else {}),
              **({"default-graph-uri": graph} if graph is not None else {})}
    headers = {"Accept": accept} if accept else {}
    if method == "get":
        r = app_client.get("/sparql", params=params, headers=headers)
    elif method == "form":
        r = app_client.post("/sparql", data=params, headers=headers)
    else:
        r = app_client.post("/sparql", content=query.encode("utf-8"),
                            params={k: v for k, v in params.items() if k != "query"},
                            headers={**headers, "Content-Type": "application/sparql-query"})
    clean(r.status_code, r.content, f"{method} {params} {headers}")
    if r.status_code >= 400:
        assert r.text.strip(), "every refusal says why"


# -- GraphQL variables ----------------------------------------------------------------------------------------------
SCALARS = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False, allow_infinity=False)
SCALARS = SCALARS | TEXT
JSON_VALUES = st.recursive(SCALARS,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                           max_leaves=12)
GQL = {
    "mentions": ("query($f: MentionFilter, $n: Int, $after: String) { mentions(filter: $f, first: $n, after: $after) "
                 "{ totalCount edges { cursor node { iri label } } } }",
                 {"f": st.fixed_dictionaries({}, optional={"place": TEXT, "role": TEXT, "dimension": TEXT,
                                                           "text": TEXT, "concept": TEXT, "study": TEXT,
                                                           "yearFrom": st.integers(-10**6, 10**6)}),
                  "n": st.integers(-5, 10**6), "after": TEXT}),
    "compare": ("query($a: StudyGroup!, $b: StudyGroup!) { compare(a: $a, b: $b) { both { concept { iri } } } }",
                {"a": st.fixed_dictionaries({}, optional={"place": TEXT, "studies": st.lists(TEXT, max_size=3),
                                                          "yearFrom": st.integers(-10**9, 10**9)}),
                 "b": st.fixed_dictionaries({}, optional={"focus": TEXT, "purpose": TEXT,
                                                          "yearTo": st.integers(-10**9, 10**9)})}),
    "study": ("query($iri: String!) { study(iri: $iri) { iri label } }", {"iri": TEXT}),
    "node": ("query($id: ID!) { node(id: $id) { id } }", {"id": TEXT}),
    "table2": ("query($s: String) { table2(study: $s) { columnKeys } }", {"s": TEXT}),
}


@FAST
@given(data=st.data(), name=st.sampled_from(sorted(GQL)), junk=st.booleans())
def test_graphql_variables(app_client, clean, data, name, junk):
    query, shapes = GQL[name]
    if junk:  # anything JSON, in place of the typed variables
        variables = data.draw(st.dictionaries(st.sampled_from([*shapes, "x"]), JSON_VALUES, max_size=4))
    else:
        variables = {k: data.draw(v) for k, v in shapes.items()}
    r = app_client.post("/graphql", json={"query": query, "variables": variables})
    clean(r.status_code, r.content, f"{name} {variables}")
    body = r.json()
    assert "data" in body or r.status_code >= 400, body
    masked = [e for e in body.get("errors", []) if e.get("message") == "Internal error."]
    assert not masked, f"a resolver crashed on variables {variables}: {masked}"
