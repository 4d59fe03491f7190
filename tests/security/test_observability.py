"""Observability: /health says 503 quickly when the store is unavailable, /metrics counts what happened in the
Prometheus text format, and every request has an id and one structured access-log line."""

from __future__ import annotations

import json
import logging
import threading
import time

from apps import router_app
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.routers import health
from kg.store import OxigraphStore, StoreError


class HangingStore(OxigraphStore):
    """A store whose engine stopped answering."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def version(self) -> str:
        self.release.wait(60)
        return "never"


class BrokenStore(OxigraphStore):
    """A store whose engine is unreachable."""

    def version(self) -> str:
        raise StoreError("SPARQL engine at http://10.1.2.3:7878/query unreachable: connection refused")


def health_app(store) -> TestClient:
    return TestClient(router_app(store, health.router))


def test_health_ok(client):
    r = client.get("/health")
    body = r.json()
    assert r.status_code == 200 and body["status"] == "ok", r.text
    assert body["version"] == client.app.state.store.version() and body["triples"] == len(client.app.state.store)


def test_health_503_quickly_when_the_store_hangs():
    store = HangingStore()
    try:
        with health_app(store) as c:
            for _ in range(3):  # concurrent or repeated checks share the one probe, and each answers in time
                start = time.monotonic()
                r = c.get("/health")
                took = time.monotonic() - start
                assert r.status_code == 503 and r.json()["status"] == "unavailable", r.text
                assert took < health.TIMEOUT_S + 1.0, f"answered after {took:.1f} s"
                assert r.headers["retry-after"]
    finally:
        store.release.set()


def test_health_503_when_the_store_fails_without_leaking_internals():
    with health_app(BrokenStore()) as c:
        r = c.get("/health")
    assert r.status_code == 503 and r.json()["status"] == "unavailable"
    assert "10.1.2.3" not in r.text, "the engine's internal address is for the log, not for the public"


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_metrics_count_requests_latencies_and_rejections(make_client):
    with make_client(rate_limit_per_minute=3) as c:
        for _ in range(2):
            c.get("/health")
        c.get("/dumps/no-such-dump")
        for _ in range(4):
            c.get("/sparql", params={"query": "ASK {}"})
        r = c.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain; version="), r.headers
    m = _samples(r.text)
    assert m[("egovkg_http_requests_total", (("method", "GET"), ("route", "/health"), ("status", "200")))] == 2
    assert m[("egovkg_http_requests_total", (("method", "GET"), ("route", "/dumps/{name}"), ("status", "404")))] == 1
    assert m[("egovkg_http_requests_total", (("method", "GET"), ("route", "/sparql"), ("status", "200")))] == 3
    assert m[("egovkg_rejections_total", (("limit", "rate"),))] == 1
    assert m[("egovkg_http_request_duration_seconds_count", (("method", "GET"), ("route", "/sparql")))] == 4
    bucket = ("egovkg_http_request_duration_seconds_bucket", (("le", "0.1"), ("method", "GET"), ("route", "/health")))
    assert bucket in m
    assert not any(k[0] == "egovkg_http_requests_total" and ("route", "/dumps/no-such-dump") in k[1] for k in m), (
        "routes are labelled by template, so that clients cannot blow up the number of series")


def test_metrics_count_query_timeouts(make_client):
    expensive = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with make_client(sparql_timeout_s=1) as c:
        r = c.get("/sparql", params={"query": expensive}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 503, r.text
        m = _samples(c.get("/metrics").text)
    assert m[("egovkg_query_timeouts_total", (("api", "sparql"),))] == 1


def test_access_log_line_and_request_id(client, caplog):
    caplog.set_level(logging.INFO, logger="egovkg.access")
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123", "a sane client request id is kept and echoed"
    r2 = client.get("/health", headers={"X-Request-ID": "evil id\" <script>"})
    assert "evil" not in r2.headers["x-request-id"] and len(r2.headers["x-request-id"]) == 32, "an odd id is replaced"
    lines = [json.loads(rec.getMessage()) for rec in caplog.records if rec.name == "egovkg.access"]
    line = next(x for x in lines if x["request_id"] == "abc-123")
    assert line["method"] == "GET" and line["path"] == "/sparql" and line["route"] == "/sparql"
    assert line["status"] == 200 and line["duration_ms"] >= 0 and line["bytes_out"] > 0
    assert line["query"] == "query=ASK+%7B%7D"
