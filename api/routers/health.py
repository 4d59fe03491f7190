"""Liveness and readiness: the dataset version and triple count, or 503 when the store cannot answer."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import StoreDep
from kg.store import StoreError

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", summary="Dataset version and triple count")
def health(store: StoreDep) -> JSONResponse:
    """Answer with the dataset version and the number of quads, or 503 when the store is unavailable."""
    try:
        return JSONResponse({"status": "ok", "version": store.version(), "triples": len(store)})
    except (StoreError, OSError) as e:
        return JSONResponse({"status": "unavailable", "detail": str(e)}, status_code=503)
