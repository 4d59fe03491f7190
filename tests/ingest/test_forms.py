"""Every fixture form goes in through the HTTP write routes and comes back out through GraphQL and SPARQL; a study
shows up in compare and the table views without a restart, and the dataset version (the ETag basis) changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef

from api.config import Settings
from api.main import create_app
from kg import compare as cmp
from kg import tables
from kg.build import Built, load_store
from kg.store import OxigraphStore, Store

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "test-write-token-7f3a"
# fixture file -> (study key, labels as written that must come back, tool variant it stands for)
EXPECTED = {
    "sheet-comma.csv": ("ana-2021", {"Limited staff time", "Residents on Twitter", "Records retention", "Privacy"}),
    "sheet-bom.csv": ("bom-2022", {"Lack of funds", "Participación ciudadana"}),
    "sheet-semicolon.csv": ("semi-2020", {"Datenschutz (data protection)", "Fehlende Schulung"}),
    "study-file.ttl": ("tur-2019", {"Slow approval of posts"}),
    "cb-nested.qdc": ("roe-2023", {"Lack of trained staff", "No budget for social media", "Privacy of residents"}),
    "cb-bom.qdc": ("nvivo-2022", {"Platforms change too fast"}),
    "cb-atlasti.qdc": ("atlas-2021", {"Every post needs sign-off"}),
    "cb-flat.qdc": ("flat-2020", {"Public expects U.S. agencies online", "Accuracy of posts", "Records kept"}),
    "cb-empty-sets.qdc": ("qualcoder-2024", {"Distrust of official posts"}),
}
SPARQL_LABELS = """PREFIX egov: <https://w3id.org/egovkg/ontology/>
SELECT ?s ?label WHERE { ?m egov:reportedIn ?s ; egov:labelAsWritten ?label }"""


@pytest.fixture(scope="module")
def store(built: Built) -> Store:
    return load_store(OxigraphStore(), built)


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    app = create_app(Settings(store="memory:", write_token=TOKEN, graphql_cache_enabled=True), store)
    with TestClient(app) as c:
        yield c


def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def test_every_fixture_listed() -> None:
    found = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".csv", ".ttl", ".qdc"))
    assert found == sorted(EXPECTED), f"fixtures and expectations differ: {found}"


GQL_STUDY = "query($k: String!) { study(iri: $k) { iri mentions { labelAsWritten concepts { iri } } } }"
CACHED = {"query": '{ study(iri: "zheng-2013") { label } }'}


@pytest.fixture(scope="module")
def added(client: TestClient, store: Store) -> dict[str, dict]:
    """Post every fixture once (in one worker, whatever the test distribution); record what each write changed."""
    out = {}
    for name in sorted(EXPECTED):
        key = EXPECTED[name][0]
        absent = client.post("/graphql", json={"query": GQL_STUDY, "variables": {"k": key}}).json()["data"]["study"]
        version, etag = store.version(), client.get("/graphql", params=CACHED).headers["etag"]
        r = client.post("/studies?accept_suggestions=true&agent=Fixture%20Tester",
                        files={"file": (name, (FIXTURES / name).read_bytes())}, headers=auth())
        out[name] = {"absent_before": absent is None, "status": r.status_code, "body": r.json(),
                     "header_version": r.headers.get("x-dataset-version"), "version_before": version,
                     "version_after": store.version(), "etag_before": etag,
                     "etag_after": client.get("/graphql", params=CACHED).headers["etag"]}
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_goes_in_and_comes_back(client: TestClient, store: Store, added: dict, name: str) -> None:
    key, labels = EXPECTED[name]
    w = added[name]
    assert w["absent_before"], f"{key} existed before it was added"
    assert w["status"] == 201, f"{name}: {w['status']} {w['body']}"
    assert w["body"]["written"] and w["body"]["study"] == key, w["body"]
    assert w["version_after"] != w["version_before"], "the dataset version did not change"
    assert w["header_version"] == w["version_after"], "X-Dataset-Version is not the new version"
    assert w["etag_after"] != w["etag_before"], "the ETag of a cached GraphQL answer did not change"

    # GraphQL
    data = client.post("/graphql", json={"query": GQL_STUDY, "variables": {"k": key}}).json()["data"]["study"]
    assert data is not None, f"{key} not found through GraphQL"
    got = {m["labelAsWritten"] for m in data["mentions"]}
    assert got == labels, f"{key}: GraphQL mentions {got}, expected {labels}"
    assert all(m["concepts"] for m in data["mentions"]), f"{key}: a mention came back without a concept"

    # SPARQL, over HTTP and on the store
    r = client.post("/sparql", data={"query": SPARQL_LABELS.replace("?s ;", f"<{data['iri']}> ;")},
                    headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    rows = {b["label"]["value"] for b in r.json()["results"]["bindings"]}
    assert rows == labels, f"{key}: SPARQL labels {rows}"
    assert {r["label"] for r in store.select(SPARQL_LABELS, {"s": URIRef(data["iri"])})} == labels


def test_added_studies_in_compare_and_tables(client: TestClient, store: Store, added: dict) -> None:
    res = cmp.compare(store, cmp.StudyGroup.parse("studies=roe-2023"), cmp.StudyGroup.parse("place=china"))
    concepts = {c.concept.rsplit("/", 1)[-1] for c in res.both + res.only_a}
    assert {"skills-and-training", "funding", "privacy"} <= concepts, f"roe-2023 not in compare: {concepts}"
    # Table 1 is the paper's literature table: only studies it reviews have a row (the shapes require it).
    assert not any(r["Study"].startswith("Ana") for r in tables.table1(store).as_records())
    t2 = tables.table2(store, "roe-2023").as_records()
    weak = next(r for r in t2 if r["Dimension"].startswith("Organizational"))["Internal weaknesses"]
    assert weak == "Lack of trained staff; No budget for social media", f"Table 2 of roe-2023: {weak}"
    r = client.post("/graphql", json={"query": '{ table2(study: "roe-2023") { rows { header cells { text } } } }'})
    assert "No budget for social media" in r.text, f"GraphQL table2 of roe-2023: {r.text[:300]}"


def test_codebook_sets_become_collections(store: Store, added: dict) -> None:
    rows = store.select("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?label (COUNT(?m) AS ?n) WHERE { ?c a skos:Collection ; skos:prefLabel ?label ; skos:member ?m }
        GROUP BY ?label""")
    assert {"label": "Resource constraints", "n": 2} in rows, f"collections: {rows}"
