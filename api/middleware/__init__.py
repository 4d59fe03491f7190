"""The app's protective and observing middleware, installed in two layers around the CORS middleware.

Outermost first, a request passes: access (request id, JSON access log, metrics) → security headers → write CORS
guard → CORS (``api.main``) → sizes (414/431/413) → rate (429) → work cap (503 when the queue is full) → routers.
The work cap covers what runs in the server process (GraphQL, pages, dumps, linked data); SPARQL has its own.
CORS sits outside the limits so that a 429 or 413 reaches a cross-origin script as a readable answer.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.config import Settings
from api.middleware.access import AccessMiddleware
from api.middleware.headers import SecurityHeadersMiddleware, WriteCorsGuard
from api.middleware.limits import CHEAP, RateLimitMiddleware, SizeLimitMiddleware, WorkLimitMiddleware
from api.middleware.metrics import Metrics

RATE_LIMITED = ("/graphql", "/sparql")
RATE_EXEMPT = ("/graphql/static", "/sparql/examples")
WRITE_PATHS = ("/studies",)
OWN_LIMITS = ("/sparql",)
"""Paths that bound their own work: SPARQL queries run in a pool of worker processes with a deadline and a per-client
cap, so a slow query waits there without holding one of the slots that pages and GraphQL need."""
MAX_RUNNING_WORK = 16
"""Expensive requests served at once; with one worker on two cores more only adds latency."""
MAX_WAITING_WORK = 512
WORK_WAIT_S = 30.0


def metrics(app: FastAPI) -> Metrics:
    """The app's metrics (created on first use)."""
    m = getattr(app.state, "metrics", None)
    if m is None:
        m = app.state.metrics = Metrics()
    return m


def install_limits(app: FastAPI, settings: Settings) -> None:
    """The limits, inside CORS: add before the CORS middleware (``add_middleware`` wraps, so later is outer)."""
    m = metrics(app)
    app.add_middleware(WorkLimitMiddleware, metrics=m, max_running=MAX_RUNNING_WORK, max_waiting=MAX_WAITING_WORK,
                       wait_s=WORK_WAIT_S, cheap=(*CHEAP, *OWN_LIMITS))
    app.add_middleware(RateLimitMiddleware, metrics=m, per_minute=settings.rate_limit_per_minute, paths=RATE_LIMITED,
                       exempt=RATE_EXEMPT, tokens=lambda: [settings.write_token or ""])
    app.add_middleware(SizeLimitMiddleware, metrics=m, max_header_bytes=settings.max_header_bytes,
                       max_body_bytes=settings.max_body_bytes, upload_paths=WRITE_PATHS,
                       max_upload_bytes=settings.max_upload_bytes)


def install_edge(app: FastAPI, settings: Settings) -> None:
    """Access log, metrics, security headers and the write CORS guard, outside CORS: add after it."""
    m = metrics(app)
    app.add_middleware(WriteCorsGuard, metrics=m, write_paths=WRITE_PATHS)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(AccessMiddleware, metrics=m, paths=lambda: app.openapi().get("paths", {}))


__all__ = ["install_edge", "install_limits", "metrics"]
