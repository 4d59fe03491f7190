"""In-process apps for the tests: FastAPI with just the routers a test needs, on a given store and settings.

``create_app`` (api.main) adds every router and the start-up of the whole service (dump and validation workers, the
SPARQL pool); a test of one router builds this smaller app instead and drives it with Starlette's TestClient. Real
server processes are in ``servers.py``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI

from api.config import Settings
from kg.store import Store


def router_app(store: Store, *routers: APIRouter, **settings: Any) -> FastAPI:
    """An app with ``routers`` on ``store``; ``settings`` override the defaults (the store setting is unused: the
    app serves ``store`` itself)."""
    app = FastAPI()
    for router in routers:
        app.include_router(router)
    app.state.store = store
    app.state.settings = Settings(store="memory:", **settings)
    return app
