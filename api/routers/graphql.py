"""GraphQL over HTTP at ``/graphql``: GET and POST, APQ, ETag/304, the response cache, and GraphiQL for browsers.

Strawberry executes; this router owns the HTTP side so that a cached or persisted GET is answered without parsing,
validating or executing anything (the response cache's whole point), and so that every status code is the one the
GraphQL-over-HTTP spec asks for.
"""

from __future__ import annotations

import gc
import hashlib
import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType as AllowedOperation

from api.config import Settings, get_settings
from api.graphql.cache import ComparisonCache, ListCache, ResponseCache, cache_key, document_hash
from api.graphql.context import get_context
from api.graphql.errors import LimitError
from api.graphql.persisted import PersistedQueries, PersistedQueryError, apq_hash
from api.graphql.schema import build_schema
from kg.store import DCTERMS_HAS_VERSION, OxigraphStore, Store, dataset_iri, meta_graph

router = APIRouter(tags=["graphql"])
"""No prefix, unlike the other routers: GET and POST /graphql are plain Starlette routes (see the end of the module),
and FastAPI versions differ in whether a router's prefix applies to those; so every path here is written in full."""

STATIC = Path(__file__).resolve().parents[1] / "static" / "graphiql"
GRAPHQL_RESPONSE = "application/graphql-response+json"
CONSISTENT_READ_TRIES = 4
"""How often a query runs at most when writes keep changing the dataset while it executes."""
JSON = "application/json"
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".txt": "text/plain"}
GRAPHIQL_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
    "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'"
)


class GraphQLService:
    """One per app: the schema (built with the app's settings), the response cache and the persisted queries."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.schema = build_schema(settings)
        self.cache = ResponseCache(settings.graphql_response_cache_size if settings.graphql_cache_enabled else 0)
        self.persisted = PersistedQueries(maxsize=max(settings.graphql_response_cache_size, 100))
        self.lists = ListCache(settings.graphql_list_cache_items)
        self.comparisons = ComparisonCache(settings.graphql_compare_cache_rows)
        self._op_types: dict[str, OperationType | str | None] = {}
        # Store.version()'s query, built once: every GraphQL request reads the version (ETag, cache key), and on
        # a cache hit that read is most of the work (a test checks that both give the same version).
        self._version_query = (
            f"SELECT ?v WHERE {{ GRAPH <{meta_graph()}> {{ <{dataset_iri()}> <{DCTERMS_HAS_VERSION}> ?v }} }}"
        )

    def version(self) -> str:
        """The dataset version, as ``Store.version()`` reads it, without its per-call set-up on the embedded store."""
        if type(self.store) is not OxigraphStore:  # subclasses (and other backends) may read it their own way
            return self.store.version()
        for solution in self.store.query(self._version_query, union=False):
            return str(solution[0].value)
        return "empty"

    def operation_type(self, query: str, doc_hash: str, operation: str | None) -> OperationType | str | None:
        """The type of the operation the request selects; a message when ``operationName`` selects none or the
        document holds several and none is named; None when the document does not parse (execution reports it)."""
        key = doc_hash + "\x1f" + (operation or "")
        if key in self._op_types:
            return self._op_types[key]
        try:
            doc = parse(query, max_tokens=self.settings.graphql_max_tokens)
        except GraphQLError:
            return None
        ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
        found: OperationType | str | None
        if operation is not None:
            named = [o for o in ops if o.name and o.name.value == operation]
            found = named[0].operation if named else f"the document has no operation named {operation!r}"
        elif len(ops) > 1:
            found = "the document has several operations: name one with `operationName`"
        else:
            found = ops[0].operation if ops else None
        if len(self._op_types) < 4096:
            self._op_types[key] = found
        return found


_heap_frozen = False


def freeze_startup_heap() -> None:
    """Exempt what start-up left on the heap (modules, schemas, the app, caches of the build) from the cyclic garbage
    collector, once per process. Requests in flight get promoted to the oldest generation, whose collections then
    re-scan all of start-up's objects: measured on the server, freezing cut the CPU of a compare request by a
    quarter (21.6 to 16.3 ms, one client). (It belongs in the app's start-up; it is here because this router
    is what needs it, and the first GraphQL request comes after the store is open.)"""
    global _heap_frozen
    if not _heap_frozen:
        gc.collect()
        gc.freeze()
        _heap_frozen = True


def service(request: Request) -> GraphQLService:
    """The app's GraphQL service, created on first use (after the lifespan opened the store)."""
    svc = getattr(request.app.state, "graphql", None)
    if svc is None:
        settings = getattr(request.app.state, "settings", None) or get_settings()
        svc = request.app.state.graphql = GraphQLService(request.app.state.store, settings)
        freeze_startup_heap()
    return svc


def media_type(request: Request) -> str:
    """``application/graphql-response+json`` when the client accepts it, else ``application/json``."""
    return GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in request.headers.get("accept", "") else JSON


def problem(status: int, message: str, mt: str = JSON, headers: dict[str, str] | None = None) -> Response:
    """A GraphQL-shaped error response for a request that never reached execution."""
    body = json.dumps({"errors": [{"message": message}]}).encode()
    return Response(body, status_code=status, media_type=mt, headers=headers)


def encode(payload: dict[str, Any]) -> bytes:
    """Compact JSON."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def etag(version: str, request: Request, mt: str) -> str:
    """A strong ETag from the dataset version and what was asked (the URL's query and the media type)."""
    h = hashlib.sha256(request.scope.get("query_string", b"") + b"\x1f" + mt.encode()).hexdigest()[:16]
    return f'"{version}-{h}"'


def json_param(request: Request, name: str) -> Any:
    """A JSON-encoded GET parameter (``variables``, ``extensions``); ValueError when it does not parse."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    return json.loads(raw)


async def execute(
    svc: GraphQLService,
    request: Request,
    params: dict[str, Any],
    *,
    method: str,
    mt: str,
    tag: str | None,
    version: str | None = None,
) -> Response:
    """Run one GraphQL request (APQ, cache, execute) and build its HTTP response."""
    query, variables, operation, extensions = (
        params.get("query"),
        params.get("variables"),
        params.get("operationName"),
        params.get("extensions"),
    )
    headers = {"ETag": tag, "Cache-Control": "no-cache", "Vary": "Accept"} if tag else {"Vary": "Accept"}
    if variables is not None and not isinstance(variables, dict):
        return problem(400, "`variables` must be a JSON object", mt)
    if operation is not None and not isinstance(operation, str):
        return problem(400, "`operationName` must be a string", mt)
    if extensions is not None and not isinstance(extensions, dict):
        return problem(400, "`extensions` must be a JSON object", mt)
    try:
        sha = apq_hash(extensions)
    except PersistedQueryError as e:
        return problem(400, str(e), mt)
    if query is not None and not isinstance(query, str):
        return problem(400, "`query` must be a string", mt)
    if query is None and sha is not None:
        query = svc.persisted.get(sha)
        if query is None:  # Apollo's protocol: the client retries with the document and its hash
            not_found = {
                "errors": [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]
            }
            return Response(encode(not_found), status_code=200, media_type=mt, headers={"Cache-Control": "no-store"})
    elif query is not None and sha is not None:
        try:
            svc.persisted.register(sha, query)
        except PersistedQueryError as e:
            return problem(400, str(e), mt)
    if not query:
        return problem(400, "no GraphQL query in the request (`query`, or a persisted query hash)", mt)

    want_sparql = bool((extensions or {}).get("sparql"))
    doc_hash = sha or document_hash(query)
    op_type = svc.operation_type(query, doc_hash, operation)
    if isinstance(op_type, str):
        return problem(400, op_type, mt)
    if method == "GET" and op_type == OperationType.MUTATION:
        return problem(405, "mutations are not allowed over GET; use POST", mt, {"Allow": "POST"})
    cacheable = svc.cache.maxsize > 0 and op_type == OperationType.QUERY  # never a mutation's answer
    version = version or svc.version()  # a GET has read it for its ETag already
    key = cache_key(doc_hash, variables, operation, version, mt, "s" if want_sparql else "")
    cached = svc.cache.get(key, version) if cacheable else None
    if cached is not None:
        return Response(cached[1], status_code=cached[0], media_type=mt, headers=headers)

    allowed = (AllowedOperation.QUERY,) if method == "GET" else (AllowedOperation.QUERY, AllowedOperation.MUTATION)
    reading = op_type == OperationType.QUERY  # a mutation's reads may follow its write: it keeps nothing
    lists, comparisons = (svc.lists, svc.comparisons) if reading else (None, None)
    for attempt in range(CONSISTENT_READ_TRIES):
        ctx = get_context(svc.store, svc.settings, request, version, lists, comparisons)
        try:
            result = await svc.schema.execute(
                query,
                variable_values=variables,
                context_value=ctx,
                operation_name=operation,
                allowed_operation_types=allowed,
            )
        except InvalidOperationTypeError:
            return problem(405, f"this operation type is not allowed over {method}; use POST", mt, {"Allow": "POST"})
        except CannotGetOperationTypeError:
            message = (
                f"the document has no operation named {operation!r}"
                if operation
                else "the document has several operations: name one with `operationName`"
            )
            return problem(400, message, mt)
        except MissingQueryError:
            return problem(400, "no GraphQL query in the request", mt)
        # A query's resolvers read the store several times; a write committed between two of those reads would
        # show half of a study. When the dataset version moved during execution, run the query again on the new
        # version (a mutation never runs twice).
        now = svc.version() if op_type == OperationType.QUERY else version
        if now == version or attempt == CONSISTENT_READ_TRIES - 1:
            break
        svc.lists.clear()  # a list or comparison read during the write may hold some of it, under the older version
        svc.comparisons.clear()
        version = now
        key = cache_key(doc_hash, variables, operation, version, mt, "s" if want_sparql else "")
        if tag:
            headers["ETag"] = etag(version, request, mt)
    payload: dict[str, Any] = {}
    status = 200
    # A request error (parse, validation, variable coercion) means execution never started: no `data`, and 400.
    # Field errors (they carry a path) leave `data` present, even if null, and 200 (GraphQL over HTTP).
    executed = not isinstance(result, PreExecutionError) and (
        result.data is not None or any(err.path for err in result.errors or ())
    )
    if result.errors:
        payload["errors"] = [err.formatted for err in result.errors]
        if not executed or any(isinstance(err.original_error, LimitError) for err in result.errors):
            status = 400
    if executed:
        payload["data"] = result.data
    if want_sparql:
        payload["extensions"] = {"sparql": ctx.sparql}
    body = encode(payload)
    if status == 200 and not result.errors and cacheable:
        svc.cache.put(key, version, status, body)
    return Response(body, status_code=status, media_type=mt, headers=headers if status == 200 else {"Vary": "Accept"})


def wants_html(request: Request) -> bool:
    """A browser navigating to /graphql (no query parameters, HTML preferred)."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept and not request.query_params


async def graphql_get(request: Request) -> Response:
    """Run a query from the URL; answer 304 when If-None-Match carries the current ETag."""
    svc = service(request)
    if wants_html(request):
        if not svc.settings.graphiql:
            return problem(400, "no GraphQL query in the request; GraphiQL is disabled")
        return graphiql_page()
    mt = media_type(request)
    try:
        params = {
            "query": request.query_params.get("query"),
            "operationName": request.query_params.get("operationName"),
            "variables": json_param(request, "variables"),
            "extensions": json_param(request, "extensions"),
        }
    except ValueError:
        return problem(400, "`variables` and `extensions` must be JSON", mt)
    version = svc.version()
    tag = etag(version, request, mt)
    if tag in (t.strip() for t in request.headers.get("if-none-match", "").split(",")):
        return Response(status_code=304, headers={"ETag": tag, "Cache-Control": "no-cache", "Vary": "Accept"})
    return await execute(svc, request, params, method="GET", mt=mt, tag=tag, version=version)


async def graphql_post(request: Request) -> Response:
    """Run the operation in the JSON body (one operation; batching is off)."""
    svc = service(request)
    mt = media_type(request)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if len(raw) > svc.settings.max_body_bytes:
        return problem(413, "request body too large", mt)
    if ctype == "application/graphql":
        params: Any = {"query": raw.decode("utf-8", "replace")}
    elif ctype in ("application/json", ""):
        try:
            params = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return problem(400, "the body is not valid JSON", mt)
    else:
        return problem(415, "send application/json (or application/graphql)", mt)
    if isinstance(params, list):
        return problem(400, "batched requests are not supported: send one operation per request", mt)
    if not isinstance(params, dict):
        return problem(400, "the body must be a JSON object with `query`", mt)
    return await execute(svc, request, params, method="POST", mt=mt, tag=None)


@router.api_route("/graphql", methods=["PUT", "PATCH", "DELETE"], include_in_schema=False)
async def graphql_other(request: Request) -> Response:
    """Only GET and POST."""
    return problem(405, "GraphQL is served over GET and POST", headers={"Allow": "GET, POST"})


def graphiql_page() -> HTMLResponse:
    """GraphiQL, with every script and style served from the package (no CDN)."""
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers={"Content-Security-Policy": GRAPHIQL_CSP, "Cache-Control": "no-cache"})


@router.get("/graphql/static/{name}", include_in_schema=False)
async def graphiql_static(name: str) -> Response:
    """The vendored GraphiQL files."""
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file() or path.suffix not in STATIC_TYPES:
        return Response(status_code=404)
    return FileResponse(path, media_type=STATIC_TYPES[path.suffix], headers={"Cache-Control": "public, max-age=86400"})


# The two GraphQL endpoints are plain Starlette routes: they take only the request, and FastAPI's dependency
# machinery (it builds a sub-response and solves dependencies for every call) cost as much as a whole
# response-cache hit.
router.add_route("/graphql", graphql_get, methods=["GET"], name="graphql_get")
router.add_route("/graphql", graphql_post, methods=["POST"], name="graphql_post")
