"""The HTTP write routes: size limits, unknown forms, a PUT whose file names another study, raw bodies; and the
provenance query of docs/ingest.md, run against a store after writes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from apps import router_app
from fastapi.testclient import TestClient

from api.routers import studies
from kg import config
from kg.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "http-token-91b2"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CSV = (FIXTURES / "sheet-comma.csv").read_bytes()


@pytest.fixture()
def client(fresh_store: Store) -> Iterator[TestClient]:
    with TestClient(router_app(fresh_store, studies.router, write_token=TOKEN, max_upload_bytes=20_000)) as c:
        yield c


def test_oversized_upload_is_413(client: TestClient, fresh_store: Store) -> None:
    before = fresh_store.dump()
    big = CSV + b"#" * 30_000
    for r in (client.post("/studies", files={"file": ("s.csv", big)}, headers=AUTH),
              client.post("/studies", content=big, headers={**AUTH, "Content-Type": "text/csv"})):
        assert r.status_code == 413, f"{r.status_code}: {r.text[:200]}"
    assert fresh_store.dump() == before


def test_unknown_form_is_415(client: TestClient) -> None:
    r = client.post("/studies", files={"file": ("notes.docx", b"\x00\x01binary", "application/msword")},
                    headers=AUTH)
    assert r.status_code == 415, r.text
    assert ".csv coding sheet" in r.json()["detail"]


def test_put_with_another_key_is_422(client: TestClient) -> None:
    r = client.put("/studies/other-2021", files={"file": ("s.csv", CSV)}, headers=AUTH)
    assert r.status_code == 422 and "the URL names 'other-2021'" in r.json()["detail"], r.text


def test_put_creates_then_replaces_and_invalid_is_422(client: TestClient) -> None:
    r = client.put("/studies/ana-2021?filename=sheet.csv", content=CSV, headers={**AUTH, "Content-Type": "text/csv"})
    assert r.status_code == 201 and r.json()["action"] == "add", r.text
    r = client.put("/studies/ana-2021", files={"file": ("s.csv", CSV)}, headers=AUTH)
    assert r.status_code == 200 and r.json()["action"] == "replace", r.text
    bad = CSV.replace(b"internal weakness", b"internal worry")
    r = client.put("/studies/ana-2021", files={"file": ("s.csv", bad)}, headers=AUTH)
    assert r.status_code == 422, r.text
    found = r.json()["results"]
    assert any(x["line"] == 15 and x["field"] == "D (role)" and "internal worry" in x["message"] for x in found), found


def test_docs_provenance_query_runs(client: TestClient, fresh_store: Store) -> None:
    client.post("/studies", files={"file": ("sheet.csv", CSV)}, headers=AUTH)
    client.delete("/studies/ana-2021?agent=Remover", headers=AUTH)
    docs = (config.ROOT / "docs" / "ingest.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sparql\n(.*?)```", docs, flags=re.S)
    assert blocks, "docs/ingest.md has no SPARQL example"
    rows = fresh_store.select(config.rebase(blocks[0]), union=False)
    assert [(r["label"], r["who"]) for r in rows] == [("add study ana-2021", "api-client"),
                                                     ("remove study ana-2021", "Remover")], rows
    assert rows[0]["file"] == "sheet.csv"
