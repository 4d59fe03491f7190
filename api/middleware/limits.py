"""Abuse limits, as pure ASGI middleware (nothing is buffered, nothing runs for a refused request):

- sizes: a URL or header block larger than ``max_header_bytes`` gets 414/431; a body larger than ``max_body_bytes``
  (uploads to ``/studies``: ``max_upload_bytes``) gets 413, whether it declares its length or streams;
- rate: per client (a configured token, else the address) on ``/graphql`` and ``/sparql``, a token bucket of
  ``rate_limit_per_minute`` requests refilled continuously; past it 429 with ``Retry-After``;
- work: at most ``max_running`` expensive requests at a time (everything but health, metrics and static files), the
  rest wait in a bounded queue; a request that waits too long, or finds the queue full, gets 503 with
  ``Retry-After``. Health, metrics and static files never wait, so the server stays responsive under load.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from api.middleware.asgi import Message, Scope, client_key, header, refuse, under
from api.middleware.metrics import Metrics

ASGIApp = Callable[..., Any]
UPLOAD_OVERHEAD = 64_000
"""Room for the multipart framing around an upload of ``max_upload_bytes``."""
CHEAP = ("/health", "/metrics", "/static", "/graphql/static", "/favicon.ico")
"""Paths that never wait for a work slot."""


def mark(scope: Scope, limit: str) -> None:
    """Note on the request which limit refused it (the access log and metrics read it)."""
    scope.setdefault("egovkg", {})["limit"] = limit


class BodyTooLarge(Exception):
    """The streamed body went past the limit."""


class SizeLimitMiddleware:
    """414 for long URLs, 431 for large header blocks, 413 for large bodies (declared or streamed)."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, max_header_bytes: int, max_body_bytes: int,
                 upload_paths: Iterable[str] = (), max_upload_bytes: int = 0) -> None:
        self.app, self.metrics = app, metrics
        self.max_header_bytes, self.max_body_bytes = max_header_bytes, max_body_bytes
        self.upload_paths = tuple(upload_paths)
        self.max_upload_bytes = max(max_body_bytes, max_upload_bytes + UPLOAD_OVERHEAD)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url_bytes = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string") or b"")
        if url_bytes > self.max_header_bytes:
            await self._refuse(scope, send, "url", 414, f"The URL is longer than {self.max_header_bytes} bytes; "
                               "send long queries in a POST body.")
            return
        header_bytes = sum(len(k) + len(v) + 4 for k, v in scope.get("headers") or ())
        if header_bytes > self.max_header_bytes:
            await self._refuse(scope, send, "headers", 431,
                               f"The request headers are larger than {self.max_header_bytes} bytes.")
            return
        limit = self.max_upload_bytes if under(scope["path"], self.upload_paths) else self.max_body_bytes
        declared = header(scope, b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await self._refuse(scope, send, "body", 400, "Content-Length is not a number.")
                return
            if int(declared) > limit:
                await self._refuse(scope, send, "body", 413, f"The request body is longer than {limit} bytes.")
                return
        received = 0
        started = refused = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if not started:  # answer now: whatever the app makes of the exception below is dropped
                        refused = True
                        await self._refuse(scope, send, "body", 413, f"The request body is longer than {limit} bytes.")
                    raise BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        # BodyTooLarge: answered with 413 above, or the app had already answered before reading the whole body
        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, counted_receive, watched_send)

    async def _refuse(self, scope: Scope, send: Any, limit: str, status: int, message: str) -> None:
        mark(scope, limit)
        self.metrics.reject(limit)
        await refuse(scope, send, status, message, {"Connection": "close"} if limit == "body" else None)


class TokenBuckets:
    """One token bucket per client key, ``per_minute`` tokens refilled continuously, holding at most ``per_minute``;
    the least recently seen keys are forgotten past ``max_keys`` (a forgotten client starts with a full bucket)."""

    def __init__(self, per_minute: int, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.refill_per_s = per_minute / 60.0
        self.max_keys = max_keys
        self.clock = clock
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str) -> float:
        """Take a token for ``key``: 0 when granted, else the seconds until one will be available."""
        now = self.clock()
        tokens, then = self.buckets.pop(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - then) * self.refill_per_s)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.refill_per_s
        self.buckets[key] = (tokens, now)
        while len(self.buckets) > self.max_keys:
            self.buckets.popitem(last=False)
        return wait


class RateLimitMiddleware:
    """429 with ``Retry-After`` for a client past its per-minute allowance on the rate-limited paths.

    Only touched from the event loop, so the buckets need no lock. ``per_minute <= 0`` turns the limit off.
    """

    def __init__(self, app: ASGIApp, *, metrics: Metrics, per_minute: int, paths: Iterable[str],
                 exempt: Iterable[str] = (), tokens: Callable[[], Iterable[str]] = tuple) -> None:
        self.app, self.metrics = app, metrics
        self.per_minute = per_minute
        self.paths, self.exempt = tuple(paths), tuple(exempt)
        self.tokens = tokens
        self.buckets = TokenBuckets(per_minute) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if (self.buckets is None or scope["type"] != "http" or scope.get("method") == "OPTIONS"
                or not under(scope["path"], self.paths) or under(scope["path"], self.exempt)):
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(client_key(scope, self.tokens()))
        if wait > 0:
            mark(scope, "rate")
            self.metrics.reject("rate")
            retry = max(1, math.ceil(wait))
            await refuse(scope, send, 429, f"Too many requests: at most {self.per_minute} a minute on "
                         f"{', '.join(self.paths)} per client; retry in {retry} s.", {"Retry-After": str(retry)})
            return
        await self.app(scope, receive, send)


class WorkLimitMiddleware:
    """At most ``max_running`` expensive requests at once, ``max_waiting`` more queued for up to ``wait_s``."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, max_running: int, max_waiting: int, wait_s: float,
                 cheap: Iterable[str] = CHEAP) -> None:
        self.app, self.metrics = app, metrics
        self.max_running, self.max_waiting, self.wait_s = max(1, max_running), max(0, max_waiting), wait_s
        self.cheap = tuple(cheap)
        self.waiting = 0
        self._sem: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _semaphore(self) -> asyncio.Semaphore:
        # One semaphore per event loop: a test client may run the same app on several loops, one after another.
        loop = asyncio.get_running_loop()
        if self._sem is None or self._loop is not loop:
            self._sem, self._loop = asyncio.Semaphore(self.max_running), loop
        return self._sem

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") == "OPTIONS" or under(scope["path"], self.cheap):
            await self.app(scope, receive, send)
            return
        sem = self._semaphore()
        if sem.locked():
            if self.waiting >= self.max_waiting:
                await self._busy(scope, send, "The server is at its limit of concurrent work and its queue is full.")
                return
            self.waiting += 1
            self.metrics.work_waiting.inc()
            try:
                await asyncio.wait_for(sem.acquire(), self.wait_s)
            except TimeoutError:
                await self._busy(scope, send, f"The server is busy: no slot for this request within {self.wait_s:g} s.")
                return
            finally:
                self.waiting -= 1
                self.metrics.work_waiting.dec()
        else:
            await sem.acquire()
        self.metrics.work_running.inc()
        try:
            await self.app(scope, receive, send)
        finally:
            sem.release()
            self.metrics.work_running.dec()

    async def _busy(self, scope: Scope, send: Any, message: str) -> None:
        mark(scope, "work")
        self.metrics.reject("work")
        await refuse(scope, send, 503, message, {"Retry-After": "1"})
