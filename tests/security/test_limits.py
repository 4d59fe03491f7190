"""Rate limits, size limits and the work cap: each refusal is the right 4xx/503 with a readable message, and the
server keeps answering cheap requests while expensive work is queued."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from api.middleware.limits import RateLimitMiddleware, SizeLimitMiddleware, TokenBuckets, WorkLimitMiddleware
from api.middleware.metrics import Metrics

TOKEN = "portal-token-for-rate-tests"


async def _echo(request: Request) -> PlainTextResponse:
    body = await request.body()
    await asyncio.sleep(float(request.query_params.get("sleep", "0")))
    return PlainTextResponse(f"ok {len(body)}")


def tiny_app() -> Starlette:
    return Starlette(routes=[Route("/{path:path}", _echo, methods=["GET", "POST", "OPTIONS"])])


def asgi_client(app, client=("10.0.0.1", 1234)) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=client), base_url="http://t")


# -- rate ------------------------------------------------------------------------------------------------------------
def test_token_bucket_refills_continuously():
    now = [0.0]
    b = TokenBuckets(60, clock=lambda: now[0])
    assert all(b.take("a") == 0 for _ in range(60)), "a full minute's allowance is available at once"
    wait = b.take("a")
    assert wait == pytest.approx(1.0), "60 a minute refills one token a second"
    now[0] += 1.0
    assert b.take("a") == 0, "after the wait a request is granted"
    assert b.take("b") == 0, "another client has its own bucket"


def test_token_bucket_forgets_old_clients_beyond_its_bound():
    b = TokenBuckets(1, max_keys=3)
    for key in "abcde":
        b.take(key)
    assert list(b.buckets) == ["c", "d", "e"], "memory stays bounded whatever the number of clients"


async def _rate_app(per_minute: int, tokens=(TOKEN,)):
    metrics = Metrics()
    app = RateLimitMiddleware(tiny_app(), metrics=metrics, per_minute=per_minute, paths=("/graphql", "/sparql"),
                              exempt=("/graphql/static",), tokens=lambda: tokens)
    return app, metrics


@pytest.mark.anyio
async def test_rate_limit_by_address_with_retry_after():
    app, metrics = await _rate_app(3)
    async with asgi_client(app) as c:
        codes = [(await c.get("/sparql")).status_code for _ in range(3)]
        r = await c.post("/graphql", json={"query": "{__typename}"})
        assert codes == [200, 200, 200], "within the allowance every request passes"
        assert r.status_code == 429, "the fourth request in a minute is refused"
        assert r.headers["retry-after"] == "20", "3 a minute: one more in 20 s"
        assert "at most 3 a minute" in r.json()["errors"][0]["message"], "GraphQL clients get a GraphQL error body"
        assert (await c.get("/pages")).status_code == 200, "paths outside GraphQL and SPARQL are not rate-limited"
        assert (await c.get("/graphql/static/x.js")).status_code == 200, "GraphiQL's files are exempt"
        assert (await c.options("/sparql")).status_code == 200, "CORS preflights are not counted"
    async with asgi_client(app, client=("10.0.0.2", 1)) as other:
        assert (await other.get("/sparql")).status_code == 200, "another address has its own allowance"
    assert metrics.rejections.labels("rate")._value.get() == 1


@pytest.mark.anyio
async def test_rate_limit_keyed_by_configured_token_not_by_any_token():
    app, _ = await _rate_app(1)
    async with asgi_client(app) as c:
        assert (await c.get("/sparql")).status_code == 200
        assert (await c.get("/sparql")).status_code == 429, "the address has used its allowance"
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert (await c.get("/sparql", headers=auth)).status_code == 200, "the configured token has its own quota"
        assert (await c.get("/sparql", headers=auth)).status_code == 429, "…which is limited too"
        minted = {"Authorization": "Bearer made-up-token-1"}
        assert (await c.get("/sparql", headers=minted)).status_code == 429, (
            "an unknown token does not buy a fresh quota (else a client would send a new one with each request)")


@pytest.mark.anyio
async def test_rate_limit_zero_is_off():
    app, _ = await _rate_app(0)
    async with asgi_client(app) as c:
        assert {(await c.get("/sparql")).status_code for _ in range(20)} == {200}


def test_rate_limit_through_the_app(make_client):
    with make_client(rate_limit_per_minute=2) as c:
        assert c.get("/graphql", params={"query": "{__typename}"}).status_code == 200
        assert c.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"}
                     ).status_code == 200
        r = c.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://portal.example"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1, r.text
        assert r.headers.get("access-control-allow-origin") == "*", "a cross-origin script can read the 429"
        assert c.get("/health").status_code == 200, "health is never rate-limited"
        text = c.get("/metrics").text
        assert 'egovkg_rejections_total{limit="rate"} 1.0' in text, text


# -- sizes -----------------------------------------------------------------------------------------------------------
def _size_app():
    metrics = Metrics()
    return SizeLimitMiddleware(tiny_app(), metrics=metrics, max_header_bytes=2000, max_body_bytes=1000,
                               upload_paths=("/studies",), max_upload_bytes=5000), metrics


@pytest.mark.anyio
async def test_declared_body_too_large_413_without_reading():
    app, metrics = _size_app()
    async with asgi_client(app) as c:
        assert (await c.post("/graphql", content=b"x" * 1000)).text == "ok 1000", "at the limit passes"
        r = await c.post("/graphql", content=b"x" * 1001)
        assert r.status_code == 413 and "1000 bytes" in r.json()["errors"][0]["message"]
        r = await c.post("/studies", content=b"x" * 6000)
        assert r.status_code == 200, "uploads to /studies have the upload limit (plus multipart framing)"
        r = await c.post("/studies", content=b"x" * 80_000)
        assert r.status_code == 413
    assert metrics.rejections.labels("body")._value.get() == 2


@pytest.mark.anyio
async def test_streamed_body_too_large_413():
    app, _ = _size_app()

    async def chunks():
        for _ in range(20):
            yield b"y" * 100

    async with asgi_client(app) as c:
        r = await c.post("/sparql", content=chunks(), headers={"Accept": "text/plain"})
        assert "content-length" not in r.request.headers, "the body is sent chunked, with no declared length"
        assert r.status_code == 413, r.text
        assert "longer than 1000 bytes" in r.text


@pytest.mark.anyio
async def test_headers_431_and_url_414():
    app, metrics = _size_app()
    async with asgi_client(app) as c:
        assert (await c.get("/", headers={"X-Big": "a" * 2500})).status_code == 431
        assert (await c.get("/?q=" + "a" * 2500)).status_code == 414
        r = await c.post("/", content=b"1", headers={"Content-Length": "abc"})
        assert r.status_code == 400, "a Content-Length that is not a number"
    assert metrics.rejections.labels("headers")._value.get() == 1
    assert metrics.rejections.labels("url")._value.get() == 1


def test_size_limits_through_the_app(client):
    r = client.post("/sparql", content=b"ASK {}" + b" " * 1_100_000,
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413, r.text
    r = client.get("/", headers={"X-Padding": "p" * 20_000})
    assert r.status_code == 431, r.text
    r = client.get("/graphql", params={"query": "{__typename}" + " " * 20_000})
    assert r.status_code == 414, r.text


# -- work cap --------------------------------------------------------------------------------------------------------
@pytest.mark.anyio
async def test_work_cap_queues_then_refuses_and_health_never_waits():
    metrics = Metrics()
    app = WorkLimitMiddleware(tiny_app(), metrics=metrics, max_running=1, max_waiting=1, wait_s=0.5)
    async with asgi_client(app) as c:
        slow = asyncio.create_task(c.get("/graphql", params={"sleep": "1.5"}))
        await asyncio.sleep(0.1)
        queued = asyncio.create_task(c.get("/sparql", params={"sleep": "0"}))
        await asyncio.sleep(0.1)
        full = await c.get("/sparql")
        assert full.status_code == 503 and full.headers["retry-after"] == "1", "the queue is full: refused at once"
        health = await asyncio.wait_for(c.get("/health"), 0.3)
        assert health.status_code == 200, "health bypasses the cap while the slot is taken"
        queued_r = await queued
        assert queued_r.status_code == 503 and "within 0.5 s" in queued_r.text, "a queued request waits at most wait_s"
        assert (await slow).status_code == 200
        assert (await c.get("/sparql")).status_code == 200, "once the slot is free, work is served again"
    assert metrics.rejections.labels("work")._value.get() == 2
    assert metrics.work_running._value.get() == 0 and metrics.work_waiting._value.get() == 0, "gauges return to 0"


@pytest.fixture()
def anyio_backend():
    return "asyncio"


def test_refusals_are_json_for_json_clients():
    import asyncio as _a

    async def run():
        app, _ = _size_app()
        async with asgi_client(app) as c:
            r = await c.post("/sparql", content=b"x" * 2000, headers={"Accept": "application/json"})
            return r

    r = _a.run(run())
    assert r.status_code == 413 and json.loads(r.text)["detail"].startswith("The request body is longer")


def test_work_cap_leaves_sparql_to_its_own_limits():
    """SPARQL queries wait for a worker process, not for one of the slots pages and GraphQL need."""
    from api.config import Settings
    from api.main import create_app

    app = create_app(Settings(store="memory:"))
    work = [m for m in app.user_middleware if m.cls is WorkLimitMiddleware]
    assert len(work) == 1
    cheap = work[0].kwargs["cheap"]
    assert "/sparql" in cheap and "/health" in cheap and "/metrics" in cheap and "/graphql" not in cheap


def test_size_limits_on_the_real_server(live):
    """Through uvicorn itself: its HTTP parser passes the headers and body on, and the app answers 431/413/414."""
    import httpx as _httpx

    with _httpx.Client(base_url=live.url, timeout=60) as c:
        assert c.get("/", headers={"X-Padding": "p" * 20_000}).status_code == 431
        big = c.post("/graphql", content=b"{" + b" " * 1_100_000 + b"}", headers={"Content-Type": "application/json"})
        assert big.status_code == 413 and "longer than" in big.json()["errors"][0]["message"], big.text[:200]

        def chunks():
            for _ in range(12):
                yield b" " * 100_000

        streamed = c.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
        assert streamed.status_code == 413, streamed.text[:200]
        assert c.get("/sparql", params={"query": "ASK {}" + " " * 20_000}).status_code == 414
        assert c.get("/health").status_code == 200, "the server still answers"
