"""``/sparql``: the SPARQL 1.1 Protocol endpoint (query only), with a hard deadline, a row cap and per-client limits.

Queries run in worker processes (``api.sparql.pool``) that are killed at the deadline; the event loop only waits,
so a cheap query is answered while an expensive one runs on another worker.
"""

from __future__ import annotations

import asyncio
import functools
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from api.config import Settings
from api.sparql import description, inspect
from api.sparql import negotiation as n
from api.sparql.cache import Cached, Key, ResultCache
from api.sparql.limits import ClientLimiter, TooManyQueries
from api.sparql.pool import Outcome, QueryTimeout, WorkerFailed, WorkerPool
from api.sparql.rdf import serialize_graph
from api.sparql.snapshot import Snapshot, SnapshotFailed
from api.templates import templates
from kg import config
from kg.namespaces import PREFIXES

ROW_CAP_HEADER = "X-SPARQL-Row-Cap"
TRUNCATED_HEADER = "X-SPARQL-Truncated"
ROWS_HEADER = "X-SPARQL-Rows"
ELAPSED_HEADER = "X-SPARQL-Elapsed"
CACHE_HEADER = "X-SPARQL-Cache"
EXPOSED_HEADERS = [ROW_CAP_HEADER, TRUNCATED_HEADER, ROWS_HEADER, ELAPSED_HEADER, CACHE_HEADER, "Retry-After"]
"""Headers a cross-origin script may read (see the CORS middleware in ``api.main``)."""

READ_ONLY = "This endpoint is read-only: SPARQL Update is not accepted, and nothing was changed."
NO_SERVICE = "SERVICE (federated query) is disabled on this endpoint; the query was not run."
DEFAULT_QUERY = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)"
"""The query in the form shown to browsers without JavaScript."""
SD_TYPES = [n.TURTLE, n.JSONLD, n.NTRIPLES, n.RDFXML, n.TRIG, n.HTML]


@dataclass
class SparqlService:
    """What the endpoint needs at run time: the workers, the dataset snapshot they load, the client limiter."""

    pool: WorkerPool
    snapshot: Snapshot
    limiter: ClientLimiter
    settings: Settings
    cache: ResultCache = field(default_factory=lambda: ResultCache(0))
    running: dict[Key, asyncio.Future[Outcome]] = field(default_factory=dict)
    """Queries running on a worker now, which an identical request waits for (with the cache on)."""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the worker pool once the app's store is open, and stop it at shutdown."""
    settings: Settings = app.state.settings
    snapshot = Snapshot(app.state.store)
    await asyncio.to_thread(snapshot.write)
    pool = WorkerPool(settings.sparql_workers, snapshot=snapshot)
    await pool.start()
    app.state.sparql = SparqlService(pool, snapshot, ClientLimiter(settings.sparql_max_concurrent_per_client), settings,
                                     ResultCache(settings.sparql_cache_bytes))
    try:
        yield
    finally:
        await pool.close()
        snapshot.close()


router = APIRouter(prefix="/sparql", tags=["sparql"], lifespan=lifespan)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers={"Vary": "Accept", **(headers or {})})


def _prefixes() -> dict[str, str]:
    return _prefixes_for(config.base_iri())


@functools.lru_cache(maxsize=4)
def _prefixes_for(base: str) -> dict[str, str]:
    return {p: config.rebase(ns, base) for p, ns in PREFIXES.items()}


@functools.lru_cache(maxsize=256)
def _negotiated(accept: str | None, fmt: str | None) -> tuple[str | None, str | None]:
    """The media types a result set and a graph would be sent as (None: not acceptable); remembered, since clients
    send the same few ``Accept`` headers again and again."""
    return n.choose(accept, fmt, n.RESULT_TYPES), n.choose(accept, fmt, n.GRAPH_TYPES)


INTERNAL_QUERY_PREFIXES = ("gql_", "pages_")
"""Queries that implement the GraphQL API and the pages (parametrised building blocks, not examples)."""


def examples() -> list[dict[str, str]]:
    """The project's example queries as editor tabs: the competency questions first, then ``kg/queries/*.rq``."""
    paths = sorted(config.QUERIES_DIR.glob("**/*.rq"), key=lambda p: (p.parent == config.QUERIES_DIR, str(p)))
    out = []
    for path in paths:
        if path.name.startswith(INTERNAL_QUERY_PREFIXES):
            continue
        rel = path.relative_to(config.QUERIES_DIR).with_suffix("")
        out.append({"name": str(rel), "query": config.rebase(path.read_text(encoding="utf-8"))})
    return out


def _endpoint(request: Request) -> str:
    """The endpoint's absolute URL: the configured public URL, or where this request came in."""
    settings: Settings = request.app.state.settings
    if settings.public_url:
        return settings.public_url.rstrip("/") + "/sparql"
    return str(request.url_for("sparql_get")).split("?")[0]


def _service_description(request: Request) -> Response:
    media = n.choose(request.headers.get("accept"), request.query_params.get("format"), SD_TYPES)
    if media is None:
        return _error(406, "Without a query this endpoint returns its service description; available: "
                      + ", ".join(SD_TYPES))
    if media == n.HTML:
        settings: Settings = request.app.state.settings
        root = request.scope.get("root_path", "")
        ctx = {"endpoint": f"{root}/sparql", "examples_url": f"{root}/sparql/examples", "root_path": root,
               "timeout": settings.sparql_timeout_s, "row_cap": settings.sparql_row_cap,
               "default_query": DEFAULT_QUERY}
        resp = templates.TemplateResponse(request, "sparql.html", ctx)
        resp.headers["Vary"] = "Accept"
        return resp
    store = request.app.state.store
    g = description.service_description(_endpoint(request), store.named_graphs(),
                                        request.app.state.settings.sparql_allow_service)
    return Response(serialize_graph(g, media), media_type=media, headers={"Vary": "Accept"})


async def answer(request: Request, params: dict[str, Any]) -> Response:
    """Run one protocol request: refuse updates and SERVICE, negotiate, answer from the result cache or run on a
    worker within the deadline."""
    svc: SparqlService = request.app.state.sparql
    s = svc.settings
    if params.get("update") is not None:
        return _error(403, READ_ONLY)
    query = params.get("query")
    if query is None:
        return _service_description(request)
    fmt = params.get("format") or None
    accept = request.headers.get("accept")
    medias = _negotiated(accept, fmt)
    default, named = params.get("default_graph"), params.get("named_graphs")
    try:
        version = await svc.snapshot.store_version()
    except SnapshotFailed as e:
        return _error(503, f"The dataset is unavailable: {e}.", {"Retry-After": "1"})
    key: Key = (version, query, None if default is None else tuple(default), None if named is None else tuple(named),
                *medias, s.sparql_row_cap)
    # Only complete answers to queries that passed every check below are kept, under the same settings: a hit needs
    # no check again, but it counts against the client's concurrent queries like any other.
    hit = svc.cache.get(key)
    client = request.client.host if request.client else "unknown"
    if hit is not None:
        if svc.limiter.running.get(client, 0) >= svc.limiter.max_per_client:
            return _too_many(svc)
        return _from_cache(hit, "hit")
    if len(query.encode("utf-8")) > s.max_body_bytes:
        return _error(413, f"The query is longer than {s.max_body_bytes} bytes.")
    update, service = inspect.inspect(query)
    if update:
        return _error(403, READ_ONLY)
    if service and not s.sparql_allow_service:
        return _error(403, NO_SERVICE)
    if fmt and n.from_format(fmt) is None:
        return _error(406, f"Unknown format {fmt!r}; use one of {', '.join(sorted(n.ALIASES))} or a media type.")
    if medias == (None, None):
        return _error(406, "None of the requested media types is offered; results: " + ", ".join(n.RESULT_TYPES)
                      + "; graphs: " + ", ".join(n.GRAPH_TYPES))
    busy = {"Retry-After": "1"}
    try:
        with svc.limiter.slot(client):
            job = {"query": query, "default_graph": default, "named_graphs": named, "accept": accept, "format": fmt,
                   "row_cap": s.sparql_row_cap, "prefixes": _prefixes()}
            outcome = await (_shared(svc, key, job) if svc.cache.enabled else _execute(svc, version, job))
    except TooManyQueries:
        return _too_many(svc)
    except TimeoutError:
        return _error(503, "Query stopped: the dataset snapshot of a new version was not ready before the "
                      f"{s.sparql_timeout_s:g} s deadline. Retry.", busy)
    except SnapshotFailed as e:
        return _error(503, f"The dataset is unavailable: {e}.", busy)
    except (QueryTimeout, WorkerFailed) as e:
        return _error(503, f"Query stopped: {e}. Simplify it, add a LIMIT, or use the dumps.", busy)
    if not outcome.ok:
        return _error(outcome.status, outcome.message)
    media = outcome.media or "application/octet-stream"
    if media.startswith("text/") or media in (n.NTRIPLES, n.NQUADS):
        media += "; charset=utf-8"
    entry = Cached(outcome.body, media, (
        ("Vary", "Accept"), (ROW_CAP_HEADER, str(s.sparql_row_cap)), (ROWS_HEADER, str(outcome.rows)),
        (TRUNCATED_HEADER, "true" if outcome.truncated else "false"), (ELAPSED_HEADER, f"{outcome.seconds:.3f}")))
    if outcome.version is not None:
        svc.cache.put((outcome.version, *key[1:]), entry)  # type: ignore[arg-type]
    return _from_cache(entry, "miss" if svc.cache.enabled else "off")


async def _execute(svc: SparqlService, version: str, job: dict[str, Any]) -> Outcome:
    """Run ``job`` on a worker, on a snapshot at least as new as ``version``, within the deadline."""
    s = svc.settings
    loop = asyncio.get_running_loop()
    started = loop.time()
    if svc.snapshot.version != version:  # a new version's snapshot: one dump that every waiting query shares
        await asyncio.wait_for(svc.snapshot.ensure(version), s.sparql_timeout_s)
    return await svc.pool.run(job, s.sparql_timeout_s - (loop.time() - started))


async def _shared(svc: SparqlService, key: Key, job: dict[str, Any]) -> Outcome:
    """Run ``job``, or wait for the same query already running (same key: same version, text, dataset, media types
    and cap), so that the clients that all ask one query after a write cost one worker job, not one each."""
    while (running := svc.running.get(key)) is not None:
        try:
            return await asyncio.wait_for(asyncio.shield(running), svc.settings.sparql_timeout_s)
        except TimeoutError as e:
            raise QueryTimeout(f"the query ran past the {svc.settings.sparql_timeout_s:g} s deadline") from e
        except asyncio.CancelledError:
            if not running.cancelled():
                raise  # this request was cancelled (its client went away)
            # The client that ran it went away and its worker was stopped: run it for this one.
    fut: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
    svc.running[key] = fut
    try:
        outcome = await _execute(svc, key[0], job)
    except asyncio.CancelledError:
        fut.cancel()
        raise
    except BaseException as e:
        fut.set_exception(e)
        fut.exception()  # retrieved: nobody may be waiting
        raise
    else:
        fut.set_result(outcome)
        return outcome
    finally:
        if svc.running.get(key) is fut:
            del svc.running[key]


def _too_many(svc: SparqlService) -> Response:
    return _error(429, f"You already have {svc.limiter.max_per_client} queries running; retry when one has finished.",
                  {"Retry-After": str(max(1, math.ceil(svc.settings.sparql_timeout_s)))})


def _from_cache(entry: Cached, state: str) -> Response:
    """The response for a (new or kept) answer; ``X-SPARQL-Elapsed`` is the time the query took when it ran."""
    headers = dict(entry.headers)
    headers[CACHE_HEADER] = state
    return Response(entry.body, headers=headers, media_type=entry.media_type)


def _graphs(values: list[str]) -> list[str] | None:
    return [v for v in values if v] or None


def _dataset_params(get: Any) -> dict[str, Any]:
    default, named = _graphs(get("default-graph-uri")), _graphs(get("named-graph-uri"))
    if default is None and named is None:
        return {}
    return {"default_graph": default or [], "named_graphs": named or []}


@router.get("", name="sparql_get", summary="SPARQL query (GET), or the service description / query editor")
async def sparql_get(request: Request) -> Response:
    """``?query=`` runs a query; without it, machines get the service description and browsers YASGUI."""
    qp = request.query_params
    params = {"query": qp.get("query"), "update": qp.get("update"), "format": ",".join(qp.getlist("format")),
              **_dataset_params(qp.getlist)}
    return await answer(request, params)


@router.post("", summary="SPARQL query (POST form or application/sparql-query)")
async def sparql_post(request: Request) -> Response:
    """Run a query sent as a form (``query=``) or as the body (``application/sparql-query``); refuse updates."""
    s: Settings = request.app.state.settings
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    length = int(request.headers.get("content-length") or 0)
    if length > s.max_body_bytes:
        return _error(413, f"The request body is longer than {s.max_body_bytes} bytes.")
    qp = request.query_params
    if ctype == "application/sparql-update":
        return _error(403, READ_ONLY)
    if ctype == "application/x-www-form-urlencoded":
        form = await request.form()

        def getlist(key: str) -> list[str]:
            return [str(v) for v in form.getlist(key)] + qp.getlist(key)

        params = {"query": form.get("query"), "update": form.get("update"),
                  "format": ",".join(getlist("format")), **_dataset_params(getlist)}
        return await answer(request, {k: (str(v) if isinstance(v, str) else v) for k, v in params.items()})
    if ctype == "application/sparql-query":
        body = await request.body()
        if len(body) > s.max_body_bytes:
            return _error(413, f"The request body is longer than {s.max_body_bytes} bytes.")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _error(400, "The query is not UTF-8.")
        return await answer(request, {"query": text, "format": ",".join(qp.getlist("format")),
                                      **_dataset_params(qp.getlist)})
    return _error(415, "POST a query as application/x-www-form-urlencoded (query=...) or application/sparql-query.")


@router.get("/examples", summary="The example queries shown as editor tabs")
def sparql_examples() -> JSONResponse:
    """The project's example queries, name and text."""
    return JSONResponse(examples())


__all__ = ["EXPOSED_HEADERS", "examples", "router"]
