"""``/.well-known/void``: the VoID and DCAT description of the knowledge graph, content-negotiated."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from api.deps import StoreDep
from api.routers.dumps import dump_cache
from api.routers.resources import GRAPH_TYPES, negotiated, rdf_response
from api.sparql import negotiation as n
from kg import void

router = APIRouter(tags=["dataset description"])
VOID_TYPES = [t for t in GRAPH_TYPES if t not in (n.HTML, n.TRIG, n.NQUADS)]


def server_url(request: Request) -> str:
    """Where the API is reachable: the configured public URL, or where this request came in."""
    public = request.app.state.settings.public_url
    return (public or str(request.base_url)).rstrip("/") + "/"


@router.get("/.well-known/void", summary="VoID + DCAT description of the dataset")
@router.get("/dataset", summary="The dataset's IRI: its VoID + DCAT description")
def void_description(request: Request, store: StoreDep) -> Response:
    """The dataset's description (triples, entities, partitions, endpoint, dumps, examples, licence, version)."""
    media = negotiated(request, VOID_TYPES)
    if media is None:
        return PlainTextResponse("Available: " + ", ".join(VOID_TYPES) + "\n", status_code=406,
                                 headers={"Vary": "Accept"})
    dumps = dump_cache(request.app).get(store)
    g = void.description(store, server_url(request), dumps=dumps.checksums())
    return rdf_response(g, media, request.url.path, VOID_TYPES, store.version())
