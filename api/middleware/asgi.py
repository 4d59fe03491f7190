"""Small ASGI helpers shared by the middleware: header lookup, plain-text refusals, the client's key."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of request header ``name`` (lower-case bytes), decoded as Latin-1."""
    for k, v in scope.get("headers") or ():
        if k == name:
            return v.decode("latin-1")
    return None


def client_address(scope: Scope) -> str:
    """The peer address (uvicorn puts the proxy's forwarded address here when told to trust the proxy)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def bearer(scope: Scope) -> str | None:
    """The bearer token of the request, if it carries one."""
    scheme, _, given = (header(scope, b"authorization") or "").partition(" ")
    given = given.strip()
    return given if scheme.lower() == "bearer" and given else None


def client_key(scope: Scope, tokens: Iterable[str]) -> str:
    """Whom a quota is counted against: a configured token when the request carries one, else the address.

    An unknown bearer token does not get its own quota: anyone can mint tokens, so keying by any token would let a
    client escape its limit by sending a new one with every request. Tokens are compared in constant time and only a
    hash of them is kept.
    """
    given = bearer(scope)
    if given is not None:
        raw = given.encode("utf-8")
        for token in tokens:
            if token and hmac.compare_digest(raw, token.encode("utf-8")):
                return "token:" + hashlib.sha256(raw).hexdigest()[:16]
    return "addr:" + client_address(scope)


def under(path: str, prefixes: Iterable[str]) -> bool:
    """Whether ``path`` is one of ``prefixes`` or lies below one of them."""
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes)


async def refuse(scope: Scope, send: Any, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    """Answer with ``status`` and a one-line message in a form the client reads: GraphQL's ``{"errors": …}`` on
    ``/graphql``, ``{"detail": …}`` to JSON clients, else plain text."""
    accept = header(scope, b"accept") or ""
    if scope.get("path", "").startswith("/graphql"):
        body, ctype = json.dumps({"errors": [{"message": message}]}).encode(), "application/json"
    elif "json" in accept:
        body, ctype = json.dumps({"detail": message}).encode(), "application/json"
    else:
        body, ctype = (message + "\n").encode(), "text/plain; charset=utf-8"
    raw = [(b"content-type", ctype.encode()), (b"content-length", str(len(body)).encode()),
           (b"cache-control", b"no-store")]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
