"""``/metrics``: the app's Prometheus metrics in the text exposition format."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.middleware import metrics

router = APIRouter(prefix="/metrics", tags=["operations"])


@router.get("", summary="Prometheus metrics: requests by route and status, latencies, timeouts, rejections")
def prometheus(request: Request) -> Response:
    """The request counters and histograms, query timeouts and rejections by limit."""
    return Response(generate_latest(metrics(request.app).registry), media_type=CONTENT_TYPE_LATEST,
                    headers={"Cache-Control": "no-store"})
