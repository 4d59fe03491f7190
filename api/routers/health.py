"""Liveness and readiness: the dataset version and triple count, or 503 when the store cannot answer.

The store is asked in a thread of its own with a deadline, so that a store that hangs (a remote engine that stopped
answering) gives a quick 503 instead of a request that never ends. Concurrent health checks share one probe, so a
hung store ties up one thread, not one per check.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import StoreDep
from kg.store import Store

router = APIRouter(prefix="/health", tags=["health"])
log = logging.getLogger(__name__)

TIMEOUT_S = 2.0
"""How long the store may take to tell its version and size before the server reports it unavailable."""
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="egovkg-health")
_probes: dict[int, Future[dict[str, Any]]] = {}


def _probe(store: Store) -> dict[str, Any]:
    return {"status": "ok", "version": store.version(), "triples": len(store)}


def probe(store: Store) -> Future[dict[str, Any]]:
    """The running probe of ``store``, or a new one."""
    running = _probes.get(id(store))
    if running is None or running.done():
        running = _probes[id(store)] = _executor.submit(_probe, store)
    return running


def unavailable(reason: str) -> JSONResponse:
    """503 with a reason that names no internal host or path (those go to the server log)."""
    return JSONResponse({"status": "unavailable", "detail": reason}, status_code=503,
                        headers={"Retry-After": "5", "Cache-Control": "no-store"})


@router.get("", summary="Dataset version and triple count; 503 when the store is unavailable")
async def health(store: StoreDep) -> JSONResponse:
    """Answer with the dataset version and the number of quads, or 503 when the store fails or is too slow."""
    try:
        body = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(probe(store))), TIMEOUT_S)
    except TimeoutError:
        log.warning("health: the store did not answer within %s s", TIMEOUT_S)
        return unavailable(f"the store did not answer within {TIMEOUT_S:g} s")
    except Exception as e:  # noqa: BLE001 - any failure of the store means not ready; the detail is logged
        log.warning("health: the store failed: %s: %s", type(e).__name__, e)
        return unavailable("the store is unavailable")
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
