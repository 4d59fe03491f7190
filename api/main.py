"""Build the FastAPI app: open the store, include the routers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.config import Settings, get_settings
from api.routers import health
from kg.build import ensure_store
from kg.store import Store


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The egovkg app on ``store`` (or the store the settings name, built from the shipped data on first start)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store or ensure_store(settings.store)
        app.state.settings = settings
        yield
        app.state.store.close()

    app = FastAPI(
        title="egovkg",
        summary="Knowledge graph of the factors that drive, challenge and enable governments' use of social media",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    return app
