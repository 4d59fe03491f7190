"""Security headers on every response, a Content-Security-Policy on HTML, and no cross-origin access to writes.

The pages load scripts only from this server (no inline scripts, no CDN), so the policy forbids everything else;
styles may be inline because the vendored GraphiQL and YASGUI set style attributes from script. A route that sets
its own policy keeps it, with ``frame-ancestors`` added when it lacks one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from api.middleware.asgi import Message, Scope, header, refuse, under
from api.middleware.limits import mark
from api.middleware.metrics import Metrics

ASGIApp = Callable[..., Any]
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
ALWAYS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"strict-origin-when-cross-origin")]
HTML_ONLY = [(b"x-frame-options", b"DENY")]


class SecurityHeadersMiddleware:
    """``nosniff`` and a referrer policy on every response; CSP and frame denial on HTML."""

    def __init__(self, app: ASGIApp, *, csp: str = CSP) -> None:
        self.app = app
        self.csp = csp.encode()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self.secure(list(message.get("headers", [])))
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def secure(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        """The response headers with the security headers added (a header the route set is kept)."""
        names = {k.lower() for k, _ in headers}
        out = headers + [(k, v) for k, v in ALWAYS if k not in names]
        ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
        if not ctype.lower().startswith(b"text/html"):
            return out
        out += [(k, v) for k, v in HTML_ONLY if k not in names]
        if b"content-security-policy" not in names:
            return out + [(b"content-security-policy", self.csp)]
        return [(k, v + b"; frame-ancestors 'none'" if k.lower() == b"content-security-policy"
                 and b"frame-ancestors" not in v else v) for k, v in out]


class WriteCorsGuard:
    """Cross-origin access is for reads only: a preflight for a write path is refused, and no response of a write
    path carries ``Access-Control-*`` headers, whatever the CORS middleware inside decided."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, write_paths: Iterable[str],
                 write_methods: Iterable[str] = ("PUT", "PATCH", "DELETE")) -> None:
        self.app, self.metrics = app, metrics
        self.write_paths = tuple(write_paths)
        self.write_methods = frozenset(write_methods)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope.get("method", "")
        asked = header(scope, b"access-control-request-method")
        if method == "OPTIONS" and asked is not None:
            method = asked.strip().upper()
        if not (under(scope["path"], self.write_paths) or method in self.write_methods):
            await self.app(scope, receive, send)
            return
        if asked is not None and scope.get("method") == "OPTIONS":
            mark(scope, "cors")
            self.metrics.reject("cors")
            await refuse(scope, send, 403, "Cross-origin requests may only read: writes are not offered to other "
                         "origins.", {"Vary": "Origin"})
            return

        async def send_without_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [(k, v) for k, v in message.get("headers", [])
                                      if not k.lower().startswith(b"access-control-")]
            await send(message)

        await self.app(scope, receive, send_without_cors)
