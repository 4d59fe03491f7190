"""Request ids, structured access logs and request metrics, as the outermost ASGI middleware.

Each request gets an id (the client's ``X-Request-ID`` when it is a short token, else a fresh one), echoed in the
response. When the response is done, one JSON line goes to the ``egovkg.access`` logger: id, method, path, the
query string with secret-looking parameters redacted, status, duration, sizes, client address, the route template
and the limit that refused it, if any. Request headers are never logged, so neither ``Authorization`` nor any token
can reach the log.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Collection, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from api.middleware.asgi import Message, Scope, bearer, client_address, header
from api.middleware.metrics import Metrics

ASGIApp = Callable[..., Any]
LOGGER = "egovkg.access"
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
SECRET_PARAMS = re.compile(r"token|secret|passw|api[-_]?key|auth|session|signature", re.IGNORECASE)
MAX_QUERY_CHARS = 512
TIMEOUT_ROUTES = {"/sparql": "sparql"}
"""Routes whose 503 means a query was stopped at its deadline (the SPARQL endpoint answers timeouts that way)."""

log = logging.getLogger(LOGGER)


class RedactUvicornAccess(logging.Filter):
    """Redact secret-looking query parameters in uvicorn's own access lines (``client - "GET /path?query HTTP/1.1"``),
    which would otherwise print a token a careless client put in the URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            path, _, query = args[2].partition("?")
            record.args = (*args[:2], path + "?" + redact_query(query.encode("latin-1", "replace")), *args[3:])
        return True


def configure_logger() -> None:
    """Give the access logger its own stderr handler (one JSON object a line) unless the deployment configured one;
    make uvicorn's access lines redact secrets too."""
    uvicorn_access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactUvicornAccess) for f in uvicorn_access.filters):
        uvicorn_access.addFilter(RedactUvicornAccess())
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)


def redact_query(raw: bytes) -> str:
    """The query string with the values of secret-looking parameters replaced, cut to a readable length."""
    if not raw:
        return ""
    text = raw.decode("latin-1")
    if not _may_hold_secret(text):  # the common case, at a tenth of the cost of parsing and encoding again
        return text if len(text) <= MAX_QUERY_CHARS else text[:MAX_QUERY_CHARS] + "…"
    try:
        pairs = parse_qsl(text, keep_blank_values=True)
    except ValueError:
        return "<unparseable>"
    redacted = [(k, "[redacted]" if SECRET_PARAMS.search(k) else v) for k, v in pairs]
    out = urlencode(redacted)
    return out if len(out) <= MAX_QUERY_CHARS else out[:MAX_QUERY_CHARS] + "…"


def _may_hold_secret(text: str) -> bool:
    """Whether a parameter name of the raw query string looks secret, or is encoded so that it might."""
    for part in text.split("&"):
        name = part.split("=", 1)[0]
        if "%" in name or "+" in name or SECRET_PARAMS.search(name):
            return True
    return False


def route_label(scope: Scope, prefixes: Collection[str] = ()) -> str:
    """The route's template (``/dumps/{name}``), so that metrics stay bounded whatever paths clients send. A request
    refused before routing is labelled with its first path segment when that is one of the app's (``/sparql``)."""
    path = getattr(scope.get("route"), "path", None)
    if isinstance(path, str):
        return path
    first = "/" + scope.get("path", "").lstrip("/").split("/", 1)[0]
    if first == "/static" or first in prefixes:
        return first
    return "unmatched"


class AccessMiddleware:
    """Request id, timing, one JSON access-log line and the request metrics for every HTTP request."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, paths: Callable[[], Iterable[str]] = tuple) -> None:
        self.app, self.metrics, self.paths = app, metrics, paths
        self._prefixes: frozenset[str] | None = None
        configure_logger()

    def prefixes(self) -> frozenset[str]:
        """The first path segments of the app's routes (read once, when the first refused request needs them)."""
        if self._prefixes is None:
            try:
                paths = list(self.paths())
            except Exception:  # noqa: BLE001 - a label is not worth failing a request for
                paths = []
            self._prefixes = frozenset("/" + p.lstrip("/").split("/", 1)[0] for p in paths)
        return self._prefixes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        given = header(scope, b"x-request-id")
        rid = given if given and REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        info = scope.setdefault("egovkg", {})
        info["request_id"] = rid
        status, sent = 500, 0

        async def send_with_id(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self.metrics.in_flight.dec()
            seconds = time.perf_counter() - start
            route = route_label(scope, () if "route" in scope else self.prefixes())
            self.metrics.observe(route, scope.get("method", ""), status, seconds)
            if status == 503 and route in TIMEOUT_ROUTES and "limit" not in info:
                self.metrics.timeouts.labels(TIMEOUT_ROUTES[route]).inc()
            if log.isEnabledFor(logging.INFO):
                declared = header(scope, b"content-length") or ""
                log.info(json.dumps({
                    "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "request_id": rid, "method": scope.get("method"), "path": scope.get("path"),
                    "query": redact_query(scope.get("query_string") or b""), "route": route, "status": status,
                    "duration_ms": round(seconds * 1000, 2), "bytes_in": int(declared) if declared.isdigit() else None,
                    "bytes_out": sent, "client": client_address(scope), "bearer": bearer(scope) is not None,
                    "user_agent": (header(scope, b"user-agent") or "")[:200], "limit": info.get("limit"),
                }, ensure_ascii=False))
