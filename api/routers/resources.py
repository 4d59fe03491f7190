"""Dereferenceable IRIs: every ``/id/…``, ``/ontology/…``, ``/shapes/…`` and ``/graph/…`` IRI of the knowledge graph
answers under the server, as an HTML page or as its concise bounded description in Turtle, JSON-LD, N-Triples or
RDF/XML (``Accept`` or ``?format=``), with ``Vary: Accept`` and ``Link`` headers naming the alternates.

The HTML view is a template (``resource.html``) rendered from a view model (:func:`resource_view`), so that a
richer page for one class (a study, a concept) can specialise the view model and extend the template.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from api.deps import StoreDep
from api.routers.pages import resource_page
from api.sparql import negotiation as n
from api.sparql.rdf import serialize_graph
from api.sparql.results import graph_to_bytes
from api.templates import templates
from kg import config, sources
from kg.namespaces import PREFIXES
from kg.queries import fill
from kg.store import OxigraphStore, Store, to_rdflib, values_block

QUERIES_DIR = Path(__file__).resolve().parents[1] / "sparql" / "queries"
RESOURCE_TYPES = [n.TURTLE, n.HTML, n.JSONLD, n.NTRIPLES, n.RDFXML]
"""What a resource IRI offers; Turtle first, so that a client that accepts anything gets data."""
GRAPH_TYPES = [*RESOURCE_TYPES, n.TRIG, n.NQUADS]
ALT_LABELS = {n.TURTLE: "Turtle", n.JSONLD: "JSON-LD", n.NTRIPLES: "N-Triples", n.RDFXML: "RDF/XML",
              n.TRIG: "TriG", n.NQUADS: "N-Quads", n.HTML: "HTML"}
ALT_FORMATS = {n.TURTLE: "ttl", n.JSONLD: "jsonld", n.NTRIPLES: "nt", n.RDFXML: "rdfxml", n.TRIG: "trig",
               n.NQUADS: "nq", n.HTML: "html"}
MAX_BNODE_DEPTH = 20
EGOV_EVIDENCE = "ontology/evidence"
EGOV_FACTOR_CONCEPT = "ontology/FactorConcept"

router = APIRouter(tags=["linked data"])


# -- queries -----------------------------------------------------------------------------------------------------
@lru_cache(maxsize=32)
def _text(name: str, base: str) -> str:
    return config.rebase((QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8"), base)


def query_text(name: str) -> str:
    """The text of ``api/sparql/queries/<name>.rq``, rebased to the configured base IRI."""
    return _text(name, config.base_iri())


def exists(store: Store, iri: str) -> bool:
    """Whether ``iri`` occurs anywhere in the store (as subject or object); a path that makes no valid IRI (say an
    invalid code point once percent-decoded, ``/id/%c0%ae``) names nothing."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return store.ask(query_text("resource_exists"), {"r": URIRef(iri)})


def describe_triples(store: Store, iri: str) -> list[ox.Triple]:
    """The concise bounded description of ``iri``: its triples, and recursively those of its blank-node objects.

    The terms stay pyoxigraph terms, so that literals keep their exact lexical form when serialized.
    """
    out: list[ox.Triple] = []
    todo: list[URIRef | BNode] = [URIRef(iri)]
    seen: set[URIRef | BNode] = set()
    depth = 0
    while todo and depth <= MAX_BNODE_DEPTH:
        nxt: list[URIRef | BNode] = []
        for node in todo:
            if node in seen:
                continue
            seen.add(node)
            for row in store.query(query_text("resource_triples"), {"r": node}):
                out.append(ox.Triple(row["r"], row["p"], row["o"]))
                if isinstance(row["o"], ox.BlankNode):
                    nxt.append(BNode(row["o"].value))
        todo, depth = nxt, depth + 1
    return out


def graph_quads(store: Store, graph_iri: str) -> list[ox.Quad]:
    """Every triple of one named graph, as quads in that graph."""
    rows = store.query(query_text("graph_triples"), {"g": URIRef(graph_iri)}, union=False)
    return [ox.Quad(r["s"], r["p"], r["o"], ox.NamedNode(graph_iri)) for r in rows]


def to_graph(triples: list[ox.Triple] | list[ox.Quad]) -> Graph:
    """An rdflib graph of the triples (graph names dropped), for the HTML views and for rdflib consumers."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, config.rebase(ns))
    for t in triples:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return g


def describe(store: Store, iri: str) -> Graph:
    """The concise bounded description of ``iri`` as an rdflib graph."""
    return to_graph(describe_triples(store, iri))


def graph_contents(store: Store, graph_iri: str) -> Graph:
    """Every triple of one named graph, as an rdflib graph."""
    return to_graph(graph_quads(store, graph_iri))


# -- the shapes, published like the ontology ---------------------------------------------------------------------
_shapes_lock = threading.Lock()
_shapes: dict[tuple[str, tuple[tuple[str, float], ...]], Store] = {}


def shapes_store() -> Store:
    """An in-memory store holding the SHACL shapes files (rebuilt when a file changes)."""
    files = sources.shapes_files()
    key = (config.base_iri(), tuple((str(p), p.stat().st_mtime) for p in files))
    with _shapes_lock:
        if key not in _shapes:
            g = sources.load_graph(files)
            store = OxigraphStore()
            store.replace_graphs({config.base_iri() + "graph/shapes": g}, version="shapes")
            _shapes.clear()
            _shapes[key] = store
        return _shapes[key]


# -- the view model ----------------------------------------------------------------------------------------------
@dataclass
class Term:
    """An RDF term as the page shows it."""

    kind: str  # iri, literal, bnode
    value: str
    label: str
    href: str | None = None
    lang: str | None = None
    datatype: str | None = None
    nested: list[PropertyValues] = field(default_factory=list)


@dataclass
class PropertyValues:
    """One property of the resource and its values."""

    predicate: Term
    values: list[Term]


@dataclass
class ResourceView:
    """Everything the HTML page of a resource shows."""

    iri: str
    label: str
    types: list[Term]
    description: str | None
    properties: list[PropertyValues]
    incoming: list[tuple[Term, Term]]
    evidence: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    alternates: list[dict[str, str]]
    members: list[Term] = field(default_factory=list)
    template: str = "resource.html"


def curie(iri: str) -> str:
    """A prefixed name for ``iri`` when one of the project's prefixes fits, else the IRI."""
    best = ""
    name = iri
    for prefix, ns in PREFIXES.items():
        ns = config.rebase(ns)
        if iri.startswith(ns) and len(ns) > len(best):
            best, name = ns, f"{prefix}:{iri[len(ns):]}"
    return name


def href(iri: str, root: str = "") -> str:
    """Where the page of ``iri`` is served: under this server for the KG's own IRIs, the IRI itself otherwise."""
    base = config.base_iri()
    if iri.startswith(base):
        return f"{root}/{quote(iri[len(base):], safe='/:@!$&()*+,;=-._~')}"
    return iri


def labels(store: Store, iris: set[str]) -> dict[str, str]:
    """Display labels of ``iris`` (English preferred), by one query."""
    if not iris:
        return {}
    q = fill(query_text("resource_labels"), values_block(["x"], [(URIRef(i),) for i in sorted(iris)]))
    out: dict[str, tuple[int, str]] = {}
    for row in store.select(q):
        rank = {"en": 0, "": 1}.get(row.get("lang", ""), 2)
        if row["x"] not in out or rank < out[row["x"]][0]:
            out[row["x"]] = (rank, str(row["label"]))
    return {k: v for k, (_, v) in out.items()}


def display_name(iri: str, names: dict[str, str]) -> str:
    """A resource's label, else its prefixed name, else its path below the base IRI."""
    if iri in names:
        return names[iri]
    name = curie(iri)
    return iri.removeprefix(config.base_iri()) if name == iri else name


def _term(t: Node, names: dict[str, str], root: str, g: Graph | None = None, depth: int = 0) -> Term:
    if isinstance(t, URIRef):
        return Term("iri", str(t), display_name(str(t), names), href(str(t), root))
    if isinstance(t, Literal):
        dt = str(t.datatype) if t.datatype else None
        return Term("literal", str(t), str(t), lang=t.language, datatype=curie(dt) if dt else None)
    nested = _properties(g, t, names, root, depth + 1) if g is not None and depth < MAX_BNODE_DEPTH else []
    return Term("bnode", str(t), "(blank node)", nested=nested)


def _properties(g: Graph, subject: Node, names: dict[str, str], root: str, depth: int = 0) -> list[PropertyValues]:
    by_pred: dict[URIRef, list[Node]] = {}
    for p, o in g.predicate_objects(subject):
        by_pred.setdefault(p, []).append(o)  # type: ignore[arg-type]
    out = []
    for p in sorted(by_pred, key=lambda p: (p != RDF.type, names.get(str(p), curie(str(p))))):
        values = sorted(by_pred[p], key=lambda o: (names.get(str(o), str(o))))
        out.append(PropertyValues(_term(p, names, root), [_term(o, names, root, g, depth) for o in values]))
    return out


def alternates(path: str, offers: list[str]) -> list[dict[str, str]]:
    """The alternate representations of the resource at ``path``, as links."""
    return [{"media": m, "label": ALT_LABELS[m], "href": f"{path}?format={ALT_FORMATS[m]}"} for m in offers]


def resource_view(store: Store, iri: str, g: Graph, root: str, path: str) -> ResourceView:
    """The view model of a resource's HTML page, from its description ``g`` and a few lookups in the store."""
    subject = URIRef(iri)
    incoming_rows = store.select(query_text("resource_incoming"), {"r": subject})
    evidence = store.select(query_text("resource_evidence"), {"r": subject})
    is_concept = (subject, RDF.type, URIRef(config.base_iri() + EGOV_FACTOR_CONCEPT)) in g
    mentions = store.select(query_text("resource_concept_mentions"), {"r": subject}) if is_concept else []
    iris = {str(t) for t in g.all_nodes() if isinstance(t, URIRef)} | {str(p) for p in g.predicates()}
    iris |= {r["s"] for r in incoming_rows} | {r["p"] for r in incoming_rows} | {iri}
    names = labels(store, iris)
    for m in mentions:
        for k in ("mention", "study", "dimension", "role"):
            if k in m:
                m[k + "Href"] = href(m[k], root)
    for e in evidence:
        e["href"] = href(e["evidence"], root)
    desc = next((str(o) for p in ("http://purl.org/dc/terms/description", "http://www.w3.org/2004/02/skos/core#definition",
                                  "http://www.w3.org/2000/01/rdf-schema#comment")
                 for o in g.objects(subject, URIRef(p))), None)
    return ResourceView(
        iri=iri,
        label=names.get(iri, curie(iri)),
        types=[_term(t, names, root) for t in sorted(g.objects(subject, RDF.type), key=str)],
        description=desc,
        properties=[pv for pv in _properties(g, subject, names, root) if pv.predicate.value != str(RDF.type)],
        incoming=[(_term(URIRef(r["s"]), names, root), _term(URIRef(r["p"]), names, root)) for r in incoming_rows],
        evidence=evidence,
        mentions=mentions,
        alternates=alternates(path, RESOURCE_TYPES),
    )


# -- responses ---------------------------------------------------------------------------------------------------
def link_header(path: str, offers: list[str]) -> str:
    return ", ".join(f'<{a["href"]}>; rel="alternate"; type="{a["media"]}"' for a in alternates(path, offers))


def not_found(iri: str) -> PlainTextResponse:
    """The answer for an IRI the knowledge graph does not hold."""
    return PlainTextResponse(f"{iri} is not in the knowledge graph.\n", status_code=404, headers={"Vary": "Accept"})


def negotiated(request: Request, offers: list[str]) -> str | None:
    """The representation the client asks for (``?format=`` first, then ``Accept``)."""
    return n.choose(request.headers.get("accept"), request.query_params.get("format"), offers)


def prefixes() -> dict[str, str]:
    """The project's prefixes, rebased to the configured base IRI."""
    return {p: config.rebase(ns) for p, ns in PREFIXES.items()}


def rdf_response(g: Graph | list[ox.Triple] | list[ox.Quad], media: str, path: str, offers: list[str],
                 etag: str | None = None) -> Response:
    """A graph as ``media``, with ``Vary`` and ``Link`` alternates. pyoxigraph triples are serialized by
    pyoxigraph (exact lexical forms); an rdflib graph (a description computed here) by rdflib."""
    headers = {"Vary": "Accept", "Link": link_header(path, offers)}
    if etag:
        headers["ETag"] = f'W/"{etag}-{ALT_FORMATS[media]}"'
    ctype = media + ("; charset=utf-8" if media.startswith("text/") or media in (n.NTRIPLES, n.NQUADS) else "")
    if isinstance(g, Graph):
        body = serialize_graph(g, media)
    elif g and isinstance(g[0], ox.Quad) and media not in (n.TRIG, n.NQUADS):
        body = graph_to_bytes([ox.Triple(q.subject, q.predicate, q.object) for q in g], media, prefixes())
    elif g and isinstance(g[0], ox.Quad):
        fmt = {n.TRIG: ox.RdfFormat.TRIG, n.NQUADS: ox.RdfFormat.N_QUADS}[media]
        out = ox.serialize(g, format=fmt, prefixes=prefixes()) if media == n.TRIG else ox.serialize(g, format=fmt)
        body = cast(bytes, out)  # bytes when given no output
    else:
        body = graph_to_bytes(g, media, prefixes())  # type: ignore[arg-type]
    return Response(body, media_type=ctype, headers=headers)


def html_response(request: Request, view: ResourceView, offers: list[str]) -> Response:
    """Render a view model with its template."""
    root = request.scope.get("root_path", "")
    resp = templates.TemplateResponse(request, view.template, {"view": view, "root_path": root,
                                                                "alternates": view.alternates})
    resp.headers["Vary"] = "Accept"
    resp.headers["Link"] = link_header(request.url.path, offers)
    return resp


def serve_resource(request: Request, store: Store, iri: str) -> Response:
    """Answer for one resource IRI in the negotiated representation, or 404."""
    media = negotiated(request, RESOURCE_TYPES)
    if media is None:
        return PlainTextResponse("Available: " + ", ".join(RESOURCE_TYPES) + "\n", status_code=406,
                                 headers={"Vary": "Accept"})
    if not exists(store, iri):
        return not_found(iri)
    triples = describe_triples(store, iri)
    g = to_graph(triples)
    path = request.url.path
    if media == n.HTML:
        # Studies and factor concepts have richer pages (api/routers/pages.py); everything else the generic view.
        types = {str(t) for t in g.objects(URIRef(iri), RDF.type)}
        special = resource_page(request, store, iri, types, alternates(path, RESOURCE_TYPES))
        if special is not None:
            special.headers["Vary"] = "Accept"
            special.headers["Link"] = link_header(path, RESOURCE_TYPES)
            return special
        root = request.scope.get("root_path", "")
        return html_response(request, resource_view(store, iri, g, root, path), RESOURCE_TYPES)
    return rdf_response(triples, media, path, RESOURCE_TYPES, store.version())


def iri_of(request: Request) -> str:
    """The KG IRI a request path stands for: the base IRI plus the path below the server's root."""
    root = request.scope.get("root_path", "")
    path = request.url.path[len(root):] if root and request.url.path.startswith(root) else request.url.path
    return config.base_iri() + path.lstrip("/")


@router.api_route("/id/{rest:path}", methods=["GET", "HEAD"],
                  summary="A resource of the knowledge graph (HTML or RDF)")
def data_resource(rest: str, request: Request, store: StoreDep) -> Response:
    """Dereference a data IRI ``<base>id/…``."""
    return serve_resource(request, store, iri_of(request))


@router.api_route("/ontology/{rest:path}", methods=["GET", "HEAD"],
                  summary="An ontology term or module (HTML or RDF)")
def ontology_term(rest: str, request: Request, store: StoreDep) -> Response:
    """Dereference an ontology IRI ``<base>ontology/…`` (the ontology itself is served by the docs router)."""
    return serve_resource(request, store, iri_of(request))


@router.api_route("/shapes/{rest:path}", methods=["GET", "HEAD"],
                  summary="The SHACL shapes, or one shape (HTML or RDF)")
def shape(rest: str, request: Request) -> Response:
    """Dereference ``<base>shapes/`` (every shape) or one shape IRI ``<base>shapes/…``."""
    shapes = shapes_store()
    if rest:
        return serve_resource(request, shapes, iri_of(request))
    quads = graph_quads(shapes, config.base_iri() + "graph/shapes")
    return serve_graph(request, shapes, config.base_iri() + "shapes/", quads, "SHACL shapes",
                       "The SHACL shapes the knowledge graph is validated against.")


@router.api_route("/graph/{rest:path}", methods=["GET", "HEAD"],
                  summary="A named graph of the knowledge graph (HTML or RDF)")
def named_graph(rest: str, request: Request, store: StoreDep) -> Response:
    """Dereference a named-graph IRI ``<base>graph/…``: its whole content."""
    iri = iri_of(request)
    if iri not in store.named_graphs():
        return serve_resource(request, store, iri)
    return serve_graph(request, store, iri, graph_quads(store, iri), f"Named graph {curie(iri)}",
                       "The triples of this named graph of the knowledge graph.")


def serve_graph(request: Request, store: Store, iri: str, quads: list[ox.Quad], title: str, intro: str) -> Response:
    """A whole graph: its triples as RDF (TriG/N-Quads keep the graph name), or an HTML list of its subjects."""
    media = negotiated(request, GRAPH_TYPES)
    if media is None:
        return PlainTextResponse("Available: " + ", ".join(GRAPH_TYPES) + "\n", status_code=406,
                                 headers={"Vary": "Accept"})
    path = request.url.path
    if media != n.HTML:
        return rdf_response(quads, media, path, GRAPH_TYPES, store.version())
    root = request.scope.get("root_path", "")
    subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    names = labels(store, subjects)
    members = sorted((_term(URIRef(s), names, root) for s in subjects), key=lambda t: t.label.lower())
    view = ResourceView(iri=iri, label=title, types=[], description=intro, properties=[], incoming=[], evidence=[],
                        mentions=[], alternates=alternates(path, GRAPH_TYPES), members=members)
    return html_response(request, view, GRAPH_TYPES)


__all__ = ["ResourceView", "describe", "href", "resource_view", "router", "serve_resource"]
