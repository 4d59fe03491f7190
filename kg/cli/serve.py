"""``egovkg serve``: run the web API (GraphQL, SPARQL, linked data, pages) under uvicorn."""

from typing import Annotated

import typer

from kg.cli import app


@app.command("serve")
def serve_cmd(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (EGOVKG_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (EGOVKG_PORT).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (EGOVKG_WORKERS); each is stateless.")] = None,
    store: Annotated[
        str | None, typer.Option("--store", help="memory:, oxigraph:PATH or sparql:URL (EGOVKG_STORE).")
    ] = None,
) -> None:
    """Serve the knowledge graph over HTTP on the embedded store, built from the shipped data on first start."""
    import os

    import uvicorn

    # The app reads its settings from the environment, so that every worker process sees the same values.
    for name, value in (("HOST", host), ("PORT", port), ("WORKERS", workers), ("STORE", store)):
        if value is not None:
            os.environ[f"EGOVKG_{name}"] = str(value)
    from api.config import get_settings

    get_settings.cache_clear()
    s = get_settings()
    if s.store.startswith("oxigraph:") and s.workers > 1:
        typer.echo(
            "Several workers cannot share one embedded Oxigraph store; use --workers 1 or a sparql: store.", err=True
        )
        raise typer.Exit(2)
    # The app writes one JSON access line per request (logger egovkg.access); uvicorn's own lines would repeat it.
    uvicorn.run("api.main:create_app", factory=True, host=s.host, port=s.port, workers=s.workers,
                log_level="info", proxy_headers=True, access_log=False)
