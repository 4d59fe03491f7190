"""``/sparql``: the SPARQL 1.1 Protocol endpoint (query only), with a hard deadline, a row cap and per-client limits.

Queries run in worker processes (``api.sparql.pool``) that are killed at the deadline; the event loop only waits,
so a cheap query is answered while an expensive one runs on another worker.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from api.config import Settings
from api.sparql import description, inspect
from api.sparql import negotiation as n
from api.sparql.limits import ClientLimiter, TooManyQueries
from api.sparql.pool import QueryTimeout, Snapshot, WorkerFailed, WorkerPool
from api.sparql.rdf import serialize_graph
from api.templates import templates
from kg import config
from kg.namespaces import PREFIXES

ROW_CAP_HEADER = "X-SPARQL-Row-Cap"
TRUNCATED_HEADER = "X-SPARQL-Truncated"
ROWS_HEADER = "X-SPARQL-Rows"
ELAPSED_HEADER = "X-SPARQL-Elapsed"
EXPOSED_HEADERS = [ROW_CAP_HEADER, TRUNCATED_HEADER, ROWS_HEADER, ELAPSED_HEADER, "Retry-After"]
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


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the worker pool once the app's store is open, and stop it at shutdown."""
    settings: Settings = app.state.settings
    snapshot = Snapshot(app.state.store)
    snapshot.current()
    pool = WorkerPool(settings.sparql_workers, snapshot=snapshot)
    await pool.start()
    app.state.sparql = SparqlService(pool, snapshot, ClientLimiter(settings.sparql_max_concurrent_per_client), settings)
    try:
        yield
    finally:
        await pool.close()
        snapshot.close()


router = APIRouter(prefix="/sparql", tags=["sparql"], lifespan=lifespan)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers={"Vary": "Accept", **(headers or {})})


def _prefixes() -> dict[str, str]:
    return {p: config.rebase(ns) for p, ns in PREFIXES.items()}


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
    """Run one protocol request: refuse updates and SERVICE, negotiate, run on a worker within the deadline."""
    svc: SparqlService = request.app.state.sparql
    s = svc.settings
    if params.get("update") is not None:
        return _error(403, READ_ONLY)
    query = params.get("query")
    if query is None:
        return _service_description(request)
    if len(query.encode("utf-8")) > s.max_body_bytes:
        return _error(413, f"The query is longer than {s.max_body_bytes} bytes.")
    if inspect.is_update(query):
        return _error(403, READ_ONLY)
    if inspect.uses_service(query) and not s.sparql_allow_service:
        return _error(403, NO_SERVICE)
    fmt = params.get("format") or None
    accept = request.headers.get("accept")
    if fmt and n.from_format(fmt) is None:
        return _error(406, f"Unknown format {fmt!r}; use one of {', '.join(sorted(n.ALIASES))} or a media type.")
    if n.choose(accept, fmt, n.RESULT_TYPES + n.GRAPH_TYPES) is None:
        return _error(406, "None of the requested media types is offered; results: " + ", ".join(n.RESULT_TYPES)
                      + "; graphs: " + ", ".join(n.GRAPH_TYPES))
    client = request.client.host if request.client else "unknown"
    try:
        with svc.limiter.slot(client):
            version, snapshot = await asyncio.to_thread(svc.snapshot.current)
            job = {"query": query, "default_graph": params.get("default_graph"),
                   "named_graphs": params.get("named_graphs"), "accept": accept, "format": fmt,
                   "row_cap": s.sparql_row_cap, "version": version, "snapshot": snapshot, "prefixes": _prefixes()}
            outcome = await svc.pool.run(job, s.sparql_timeout_s)
    except TooManyQueries:
        return _error(429, f"You already have {svc.limiter.max_per_client} queries running; retry when one has "
                      "finished.", {"Retry-After": str(max(1, math.ceil(s.sparql_timeout_s)))})
    except QueryTimeout as e:
        return _error(503, f"Query stopped: {e}. Simplify it, add a LIMIT, or use the dumps.",
                      {"Retry-After": "1"})
    except WorkerFailed as e:
        return _error(503, f"Query stopped: {e}. Simplify it, add a LIMIT, or use the dumps.",
                      {"Retry-After": "1"})
    if not outcome.ok:
        return _error(outcome.status, outcome.message)
    headers = {"Vary": "Accept", ROW_CAP_HEADER: str(s.sparql_row_cap), ROWS_HEADER: str(outcome.rows),
               TRUNCATED_HEADER: "true" if outcome.truncated else "false",
               ELAPSED_HEADER: f"{outcome.seconds:.3f}"}
    media = outcome.media or "application/octet-stream"
    if media.startswith("text/") or media in (n.NTRIPLES, n.NQUADS):
        media += "; charset=utf-8"
    return Response(outcome.body, headers=headers, media_type=media)


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
