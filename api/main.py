"""Build the FastAPI app: open the store, include the routers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api import middleware
from api.config import Settings, get_settings
from api.routers import docs as ontology_docs
from api.routers import dumps, health, pages, resources, sparql, studies, void
from api.routers import graphql as graphql_router
from api.routers import metrics as metrics_router
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
        if store is None:  # close only what the app opened; a store handed in belongs to the caller
            app.state.store.close()

    app = FastAPI(
        title="egovkg",
        summary="Knowledge graph of the factors that drive, challenge and enable governments' use of social media",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    app.include_router(metrics_router.router)
    app.include_router(pages.router)
    app.include_router(graphql_router.router)
    app.include_router(sparql.router)
    app.include_router(dumps.router)
    app.include_router(void.router)
    app.include_router(ontology_docs.router)
    app.include_router(studies.router)
    app.include_router(resources.router)  # last: it answers every /id/, /ontology/, /shapes/, /graph/ IRI
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    middleware.install_limits(app, settings)  # inside CORS, so that a refusal is readable cross-origin
    # Reads are open to any origin; no credentials, and no Authorization header, so writes stay same-origin.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                       allow_headers=["Accept", "Content-Type"], expose_headers=sparql.EXPOSED_HEADERS, max_age=600)
    middleware.install_edge(app, settings)  # outside CORS: access log, metrics, security headers, no CORS on writes
    return app
