"""``/.well-known/void``: the VoID and DCAT description of the knowledge graph, content-negotiated."""

from __future__ import annotations

from collections import OrderedDict

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response
from rdflib import Literal, URIRef
from rdflib.namespace import OWL

from api.deps import StoreDep
from api.routers.dumps import DumpsUnavailable, dump_cache
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
async def void_description(request: Request, store: StoreDep) -> Response:
    """The dataset's description (triples, entities, partitions, endpoint, dumps, examples, licence, version).

    The dump distributions carry the sizes and checksums of the set ``/dumps/`` serves at the same moment, and that
    set's version (``owl:versionInfo``): while a newer version's dumps are being written, the set is an older one
    (see ``api.routers.dumps``)."""
    media = negotiated(request, VOID_TYPES)
    if media is None:
        return PlainTextResponse("Available: " + ", ".join(VOID_TYPES) + "\n", status_code=406,
                                 headers={"Vary": "Accept"})
    try:
        dumps = await dump_cache(request.app).get(store)
    except DumpsUnavailable:
        dumps = None
    server = server_url(request)
    path = request.url.path
    cache = _cache(request)
    dumps_version = dumps.version if dumps is not None else None
    version = await run_in_threadpool(store.version)
    hit = cache.get((version, dumps_version, server, media, path))
    if hit is not None:
        return Response(hit[0], headers=hit[1])

    def describe() -> tuple[str, Response]:
        with store.reading():  # one state for every count and the version (in-process writes wait)
            g = void.description(store, server, dumps=dumps.checksums() if dumps else None)
            version = store.version()
        etag = version
        if dumps is not None:
            for name in dumps.files:
                g.add((URIRef(f"{server}dumps/{name}#distribution"), OWL.versionInfo, Literal(dumps.version)))
            if dumps.version != version:
                etag = f"{version}.{dumps.version}"
        return version, rdf_response(g, media, path, VOID_TYPES, etag)

    version, resp = await run_in_threadpool(describe)
    cache[(version, dumps_version, server, media, path)] = (bytes(resp.body), dict(resp.headers))
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
    return resp


CACHE_SIZE = 32
"""Descriptions kept (by dataset version, dumps version, server URL, media type and path): computing and serializing
one holds the GIL for some 25 ms (more under load), and it changes only with the dataset or its dumps."""


def _cache(request: Request) -> OrderedDict[tuple[str, str | None, str, str, str], tuple[bytes, dict[str, str]]]:
    cache = getattr(request.app.state, "void_cache", None)
    if cache is None:
        cache = request.app.state.void_cache = OrderedDict()
    return cache
