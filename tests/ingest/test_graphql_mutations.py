"""The GraphQL mutations addStudy and validateStudy: a study goes in through GraphQL and comes back out of it."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from apps import router_app
from fastapi.testclient import TestClient

from api.routers import graphql
from kg.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "gql-token-5d1"
ADD = """mutation($f: StudyFileInput!, $t: String, $accept: [AlignmentChoice!]) {
  addStudy(file: $f, token: $t, accept: $accept, agent: "Grace") {
    written conforms status study versionBefore versionAfter
    results { severity message file line field expected focus path value }
    suggestions { mention label accepted candidates { concept score } } } }"""
VALIDATE = """mutation($f: StudyFileInput!, $t: String) {
  validateStudy(file: $f, token: $t) { written conforms status results { severity message line field focus path } } }"""


@pytest.fixture()
def client(fresh_store: Store) -> Iterator[TestClient]:
    with TestClient(router_app(fresh_store, graphql.router, write_token=TOKEN)) as c:
        yield c


def run(client: TestClient, query: str, **variables: object) -> dict:
    r = client.post("/graphql", json={"query": query, "variables": variables})
    assert r.status_code == 200 and "errors" not in r.json(), r.text
    return r.json()["data"]


def test_add_study_through_graphql(client: TestClient, fresh_store: Store) -> None:
    raw = (FIXTURES / "cb-bom.qdc").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    f = {"filename": "cb-bom.qdc", "content": base64.b64encode(raw).decode(), "base64": True}
    v = run(client, VALIDATE, f=f, t=TOKEN)["validateStudy"]
    assert v["conforms"] and not v["written"], v
    before = fresh_store.version()
    a = run(client, ADD, f=f, t=TOKEN)["addStudy"]
    assert a["written"] and a["study"] == "nvivo-2022" and a["versionBefore"] == before != a["versionAfter"], a
    got = run(client, '{ study(iri: "nvivo-2022") { mentions { labelAsWritten role { iri } concepts { iri } } } }')
    m = got["study"]["mentions"]
    assert [x["labelAsWritten"] for x in m] == ["Platforms change too fast"], m
    assert m[0]["role"]["iri"].endswith("/external-challenge") and m[0]["concepts"][0]["iri"].endswith(
        "/technological-change"), m


def test_validate_reports_located_results_and_accept_by_choice(client: TestClient) -> None:
    text = (FIXTURES / "sheet-comma.csv").read_text(encoding="utf-8")
    bad = text.replace("internal weakness,staffing,", "internal weakness,,").replace("year,2021", "year,20x1")
    v = run(client, VALIDATE, f={"filename": "s.csv", "content": bad}, t=TOKEN)["validateStudy"]
    assert not v["conforms"] and v["status"] == "invalid", v
    assert {"line": 6, "field": "year"} in [{"line": r["line"], "field": r["field"]} for r in v["results"]], v
    ok = text.replace("internal weakness,staffing,", "internal weakness,,")
    v = run(client, VALIDATE, f={"filename": "s.csv", "content": ok}, t=TOKEN)["validateStudy"]
    assert any(r["line"] == 15 and "has no concept" in r["message"] for r in v["results"]), v
    a = run(client, ADD, f={"filename": "s.csv", "content": ok}, t=TOKEN,
            accept=[{"mention": "ana-2021.limited-staff-time", "concept": "staffing"}])["addStudy"]
    assert a["written"], a
    s = next(x for x in a["suggestions"] if x["label"] == "Limited staff time")
    assert s["accepted"].endswith("/staffing"), s


def test_bearer_header_authorizes_graphql(client: TestClient) -> None:
    f = {"filename": "s.csv", "content": (FIXTURES / "sheet-comma.csv").read_text(encoding="utf-8")}
    for headers, status in (({"Authorization": f"Bearer {TOKEN}"}, "ok"), ({"Authorization": "Bearer nope"},
                                                                           "unauthorized"), ({}, "unauthorized")):
        r = client.post("/graphql", json={"query": VALIDATE, "variables": {"f": f}}, headers=headers)
        assert r.json()["data"]["validateStudy"]["status"] == status, (headers, r.text)
