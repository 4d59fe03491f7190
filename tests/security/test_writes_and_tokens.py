"""No write without the token; tokens compared in constant time and never logged."""

from __future__ import annotations

import ast
import hmac
import json
import logging
import time
from pathlib import Path

import httpx
import pytest

TOKEN = "tok-7f3a9c1e5b2d4a68-never-log-me"  # the conftest's write token
ROOT = Path(__file__).resolve().parents[2]
SHEET = (ROOT / "tests" / "ingest" / "fixtures" / "sheet-comma.csv").read_bytes()
ADD = """mutation($f: StudyFileInput!, $t: String) {
  addStudy(file: $f, token: $t) { written status results { message } } }"""


def _state(client) -> tuple[str, list[str]]:
    store = client.app.state.store
    return store.version(), sorted(store.named_graphs())


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                                     {"Authorization": "Bearer "}, {"Authorization": TOKEN},
                                     {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": f"Bearer {TOKEN[:-1]}"}])
def test_no_write_without_the_token(client, headers):
    before = _state(client)
    files = {"file": ("sheet.csv", SHEET, "text/csv")}
    answers = [client.post("/studies", files=files, headers=headers),
               client.put("/studies/ana-2021", files=files, headers=headers),
               client.delete("/studies/zheng-2013", headers=headers)]
    for r in answers:
        assert r.status_code == 401, f"{r.request.method} {r.request.url.path} with {headers}: {r.status_code} {r.text}"
        assert r.json()["written"] is False
        assert "WWW-Authenticate" in r.headers
    for t in (None, "wrong", TOKEN[:-1]):
        variables = {"f": {"filename": "s.csv", "content": SHEET.decode()}, "t": t}
        gql = client.post("/graphql", json={"query": ADD, "variables": variables}, headers=headers)
        assert gql.status_code == 200 and gql.json()["data"]["addStudy"]["written"] is False, gql.text
    assert _state(client) == before, "nothing was written: same version, same graphs"


def test_writes_off_without_a_configured_token(make_client):
    with make_client(write_token=None) as c:
        before = _state(c)
        r = c.post("/studies", files={"file": ("s.csv", SHEET, "text/csv")}, headers={"Authorization": "Bearer x"})
        assert r.status_code == 403 and "no write token is configured" in r.json()["detail"], r.text
        assert c.delete("/studies/zheng-2013").status_code == 403
        assert _state(c) == before


def test_the_token_does_write(client):
    """The control: with the token, the same request is accepted (as a dry run, so the module's store stays)."""
    r = client.post("/studies", params={"dry_run": "true"}, files={"file": ("sheet.csv", SHEET, "text/csv")},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200 and r.json()["conforms"] is True, r.text
    assert r.json()["written"] is False


def test_tokens_compared_in_constant_time(client, monkeypatch):
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    client.delete("/studies/nobody", headers={"Authorization": "Bearer guess-1"}, params={"dry_run": "true"})
    variables = {"f": {"filename": "s.csv", "content": "x"}, "t": "guess-2"}
    client.post("/graphql", json={"query": ADD, "variables": variables})
    given = {a if isinstance(a, bytes) else a.encode() for a, _ in calls}
    assert b"guess-1" in given, "the REST write path compares with hmac.compare_digest"
    assert b"guess-2" in given, "the GraphQL mutations compare with hmac.compare_digest"


def test_no_token_compared_with_equality_operators():
    """A source check: nothing compares a token with ``==``/``!=``/``in`` (which stop at the first differing byte)."""
    offenders = []
    for path in [*ROOT.joinpath("api").rglob("*.py"), *ROOT.joinpath("kg").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and not all(isinstance(o, (ast.Is, ast.IsNot)) for o in node.ops):
                text = ast.unparse(node)
                operands = [node.left, *node.comparators]
                if any(isinstance(o, ast.Constant) and (o.value is None or isinstance(o.value, (int, float)))
                       for o in operands):
                    continue  # a presence or count check, not a comparison of secrets
                if any("token" in ast.unparse(o).lower() for o in operands):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text}")
    assert not offenders, "\n".join(offenders)


def test_tokens_never_logged_in_process(client, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    auth = {"Authorization": f"Bearer {TOKEN}", "X-Request-ID": "tokentest"}
    client.post("/studies", params={"dry_run": "true", "token": TOKEN}, files={"file": ("s.csv", SHEET, "text/csv")},
                headers=auth)
    client.post("/studies", files={"file": ("s.csv", b"garbage", "text/csv")}, headers=auth)
    client.delete("/studies/nobody", headers=auth)
    client.post("/graphql", json={"query": ADD, "variables": {"f": {"filename": "s.csv", "content": "x"}, "t": TOKEN}})
    client.get("/sparql", params={"query": "ASK {}", "access_token": TOKEN}, headers=auth)
    client.get("/graphql", params={"query": "{ __typename }", "api_key": TOKEN}, headers=auth)
    out, err = capfd.readouterr()
    err = "\n".join(line for line in err.splitlines() if not line.startswith("HTTP Request:"))
    # the test's own HTTP client (httpx) logs the URLs it requests; only the server's logs matter here
    server = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    records = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in server)
    assert "tokentest" in records, "the access log was captured (else this test proves nothing)"
    assert TOKEN not in records and TOKEN not in out and TOKEN not in err, "a token reached a log"
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "egovkg.access"]
    assert any(line["query"].endswith("access_token=%5Bredacted%5D") for line in lines), lines
    assert all(set(line) >= {"request_id", "duration_ms", "status", "method", "path"} for line in lines)


def test_tokens_never_logged_by_the_real_server(live):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=live.url, timeout=60) as c:
        c.post("/studies", files={"file": ("s.csv", b"study,label\n", "text/csv")}, headers=auth)
        c.delete("/studies/nobody", headers=auth, params={"dry_run": "true"})
        c.put("/studies/x", headers={"Authorization": f"Bearer {TOKEN}-wrong"}, content=b"x")
        c.get("/sparql", params={"query": "ASK {}", "token": TOKEN}, headers=auth)
        c.post("/graphql", json={"query": ADD, "variables": {"f": {"filename": "s.csv", "content": "x"}, "t": TOKEN}})
        rid = c.get("/health", headers={"X-Request-ID": "live-health-1"}).headers["x-request-id"]
    deadline = time.monotonic() + 5  # the access line is written when the response has gone out
    while '"live-health-1"' not in (text := live.log_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert rid == "live-health-1" and '"request_id": "live-health-1"' in text, "the access log is written"
    assert TOKEN not in text, "the token reached the server's log"
