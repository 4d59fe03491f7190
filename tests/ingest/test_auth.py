"""Writes need the bearer token from the settings: with no token configured every write path is off and says so;
tokens are compared in constant time (hmac.compare_digest) and never logged or echoed."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from apps import router_app
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.config import get_settings
from api.routers import graphql, studies
from kg.cli import app as cli
from kg.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "s3cr3t-token-4c1e9"
CSV = (FIXTURES / "sheet-comma.csv").read_bytes()
ADD = """mutation($f: StudyFileInput!, $t: String) {
  addStudy(file: $f, token: $t, acceptSuggestions: true) { written status results { message } } }"""
VALIDATE = """mutation($f: StudyFileInput!, $t: String) {
  validateStudy(file: $f, token: $t) { written conforms status results { message } } }"""


def make_app(store: Store, token: str | None) -> FastAPI:
    """The write routes and GraphQL on ``store`` with the given write token."""
    return router_app(store, studies.router, graphql.router, write_token=token, graphql_cache_enabled=False)


@pytest.fixture()
def off(fresh_store: Store) -> Iterator[TestClient]:
    with TestClient(make_app(fresh_store, None)) as c:
        yield c


@pytest.fixture()
def on(fresh_store: Store) -> Iterator[TestClient]:
    with TestClient(make_app(fresh_store, TOKEN)) as c:
        yield c


def gql_vars(token: str | None) -> dict:
    return {"f": {"filename": "sheet.csv", "content": CSV.decode()}, "t": token}


def test_every_http_write_path_is_off_without_a_token(off: TestClient, fresh_store: Store) -> None:
    before = fresh_store.dump()
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    answers = [
        off.post("/studies", files={"file": ("s.csv", CSV)}, headers=bearer),
        off.post("/studies?dry_run=true", files={"file": ("s.csv", CSV)}, headers=bearer),
        off.put("/studies/ana-2021", files={"file": ("s.csv", CSV)}, headers=bearer),
        off.delete("/studies/bertot-2012", headers=bearer),
    ]
    for r in answers:
        assert r.status_code == 403, f"{r.request.method} {r.request.url}: {r.status_code}"
        assert "Writes are off" in r.json()["detail"], r.json()
    for q in (ADD, VALIDATE):
        data = off.post("/graphql", json={"query": q, "variables": gql_vars(TOKEN)}).json()["data"]
        report = next(iter(data.values()))
        assert report["status"] == "forbidden" and not report["written"], report
        assert "Writes are off" in report["results"][0]["message"], report
    assert fresh_store.dump() == before, "a write path wrote although writes are off"


def test_cli_writes_are_off_without_a_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("EGOVKG_WRITE_TOKEN", raising=False)
    monkeypatch.setenv("EGOVKG_STORE", f"oxigraph:{tmp_path / 'store'}")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        for args in (["add", str(FIXTURES / "sheet-comma.csv")], ["remove", "bertot-2012"]):
            r = runner.invoke(cli, args)
            assert r.exit_code == 3, f"{args}: exit {r.exit_code}: {r.output}"
            assert "Writes are off" in r.output, r.output
    finally:
        get_settings.cache_clear()


def test_missing_and_wrong_tokens_are_refused(on: TestClient, fresh_store: Store) -> None:
    before = fresh_store.dump()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": TOKEN}):
        r = on.post("/studies", files={"file": ("s.csv", CSV)}, headers=headers)
        assert r.status_code == 401, f"{headers}: {r.status_code}"
        assert r.headers["www-authenticate"].startswith("Bearer"), r.headers
        r = on.delete("/studies/bertot-2012", headers=headers)
        assert r.status_code == 401
    for token in (None, "wrong"):
        data = on.post("/graphql", json={"query": ADD, "variables": gql_vars(token)}).json()["data"]["addStudy"]
        assert data["status"] == "unauthorized" and not data["written"], data
    assert fresh_store.dump() == before


def test_tokens_compared_in_constant_time(on: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a, b):  # type: ignore[no-untyped-def]
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    on.post("/studies?dry_run=true", files={"file": ("s.csv", CSV)}, headers={"Authorization": "Bearer wrong"})
    on.post("/graphql", json={"query": VALIDATE, "variables": gql_vars("wrong-too")})
    assert (b"wrong", TOKEN.encode()) in calls, f"HTTP did not use hmac.compare_digest: {calls}"
    assert (b"wrong-too", TOKEN.encode()) in calls, f"GraphQL did not use hmac.compare_digest: {calls}"


def test_tokens_never_logged_or_echoed(on: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    texts = []
    for token in (TOKEN, "wrong-" + TOKEN):
        r = on.post("/studies?accept_suggestions=true", files={"file": ("s.csv", CSV)},
                    headers={"Authorization": f"Bearer {token}"})
        texts.append(r.text + str(r.headers))
        r = on.post("/graphql", json={"query": ADD.replace(", $t: String", "").replace("$t", '"' + token + '"'),
                                      "variables": {"f": gql_vars(None)["f"]}})
        texts.append(r.text)
        r = on.post("/graphql", json={"query": VALIDATE, "variables": gql_vars(token)})
        texts.append(r.text)
    texts += [rec.getMessage() + " " + str(rec.args) + " " + (rec.exc_text or "") for rec in caplog.records]
    leaks = [t for t in texts if TOKEN in t]
    assert not leaks, f"the token appears in a log record or a response: {leaks[0][:300]}"
