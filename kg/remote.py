"""The remote backend: any SPARQL 1.1 engine reached over the SPARQL 1.1 Protocol (query, update) and, where
given, the Graph Store HTTP Protocol (bulk loads, dumps).

Results come back as the embedded store's do (``pyoxigraph.parse_query_results`` for SELECT and ASK, a
pyoxigraph ``QueryTriples`` for CONSTRUCT and DESCRIBE), so every layer above sees the same objects whichever
backend runs. ``docs/backends.md`` says how to point the project at Oxigraph server, Fuseki, Virtuoso, GraphDB
and QLever.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, cast
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal

from kg import config
from kg.store import DCTERMS_HAS_VERSION, QuerySyntaxError, Store, StoreError, dataset_iri, meta_graph, to_ox

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
TRIG = "application/trig"

UNION_MODES = ("oxigraph", "native")
"""How a remote engine is asked for the union of the named graphs as the default graph:
``oxigraph`` sends Oxigraph server's ``union-default-graph`` parameter; ``native`` sends nothing because the
engine's default graph already is the union (Virtuoso, GraphDB, QLever, Fuseki with ``unionDefaultGraph``);
an IRI is sent as ``default-graph-uri`` (Fuseki/TDB's ``urn:x-arq:UnionGraph``)."""

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
      | (?P<brace>\{)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


def _pattern_start(sparql: str) -> int:
    """The offset just after the ``{`` that opens the query's outermost WHERE group.

    Comments, IRIs and strings are skipped, so a brace or keyword inside them never matches. For CONSTRUCT the
    group after ``WHERE`` is used (the first braces are the template).
    """
    form: str | None = None
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup
        if kind == "word":
            w = m.group().upper()
            if form is None and w in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
                form = w
            elif form == "CONSTRUCT" and w == "WHERE":
                form = "CONSTRUCT-WHERE"
        elif kind == "brace" and form is not None and form != "CONSTRUCT":
            return m.end()
    raise QuerySyntaxError("cannot bind parameters: the query has no WHERE group (or is a CONSTRUCT WHERE short form)")


def bind_values(sparql: str, bindings: Mapping[str, Any]) -> str:
    """Pre-bind variables the way pyoxigraph's ``substitutions`` do, for engines that have no such parameter.

    A ``VALUES`` row at the start of the outermost group is joined with the rest of the group, so the group's
    patterns and FILTERs see the variables bound. Every term is serialized by pyoxigraph (never pasted raw).
    """
    if not bindings:
        return sparql
    names = list(bindings)
    terms = [to_ox(bindings[n]) for n in names]
    if any(isinstance(t, ox.BlankNode) for t in terms):
        raise ValueError("a blank node cannot be bound as a query parameter")
    for n in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n):
            raise ValueError(f"invalid variable name {n!r}")
    at = _pattern_start(sparql)
    block = " VALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(str(t) for t in terms) + ") } "
    return sparql[:at] + block + sparql[at:]


class RemoteSparqlStore(Store):
    """A KG held by a remote SPARQL 1.1 engine: ``sparql:QUERY_URL[,UPDATE_URL][,GSP_URL][,key=value…]``."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        *,
        union: str = "oxigraph",
        timeout: float = 60.0,
        max_connections: int = 32,
    ) -> None:
        super().__init__()
        self.query_url, self.update_url, self.gsp_url = query_url, update_url, gsp_url
        self.union = union
        # One pooled client per store: keep-alive connections, shared safely by the server's threads.
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=5.0),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            headers={"User-Agent": "egovkg"},
        )
        self._len_cache: tuple[str, int] | None = None

    @classmethod
    def from_spec(cls, arg: str) -> RemoteSparqlStore:
        """Parse ``QUERY_URL[,UPDATE_URL][,GSP_URL][,union=oxigraph|native|IRI][,timeout=S]``."""
        urls: list[str] = []
        opts: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in arg.split(","))):
            key, sep, val = part.partition("=")
            if sep and not key.startswith(("http://", "https://")):
                if key == "union":
                    opts["union"] = val
                elif key == "timeout":
                    opts["timeout"] = float(val)
                elif key == "connections":
                    opts["max_connections"] = int(val)
                else:
                    raise StoreError(f"unknown sparql: store option {key!r} (use union=, timeout=, connections=)")
            else:
                if not part.startswith(("http://", "https://")):
                    raise StoreError(f"sparql: store URL {part!r} is not http(s)")
                urls.append(part)
        if not 1 <= len(urls) <= 3:
            raise StoreError("sparql: needs QUERY_URL[,UPDATE_URL][,GSP_URL]")
        union = opts.get("union", "oxigraph")
        if union not in UNION_MODES and not union.startswith(("http://", "https://", "urn:")):
            raise StoreError(f"union={union!r}: expected oxigraph, native or the IRI of the engine's union graph")
        return cls(*urls, **opts)  # type: ignore[arg-type]

    # -- HTTP ----------------------------------------------------------------------------------------------
    def _post(self, url: str, form: list[tuple[str, str]], accept: str | None = None) -> httpx.Response:
        # URL-encoded POST is the form of the SPARQL 1.1 Protocol that every engine takes (Virtuoso 7 hangs on a
        # direct application/sparql-query body), and it has no URL length limit.
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if accept:
            headers["Accept"] = accept
        try:
            resp = self._http.post(url, content=urlencode(form).encode("ascii"), headers=headers)
        except httpx.HTTPError as e:
            raise StoreError(f"SPARQL engine at {url} unreachable: {e}") from e
        return self._check(resp)

    @staticmethod
    def _check(resp: httpx.Response) -> httpx.Response:
        if resp.status_code == 400:
            raise QuerySyntaxError(resp.text.strip() or "the SPARQL engine refused the request")
        if resp.status_code >= 300:
            raise StoreError(f"SPARQL engine answered {resp.status_code}: {resp.text.strip()[:500]}")
        return resp

    def _graph_params(
        self, union: bool, default_graph: list[str] | None, named_graphs: list[str] | None
    ) -> list[tuple[str, str]]:
        params: list[tuple[str, str]] = []
        if default_graph is not None:
            params += [("default-graph-uri", g) for g in default_graph]
        elif union:
            if self.union == "oxigraph":
                params.append(("union-default-graph", ""))
            elif self.union != "native":
                params.append(("default-graph-uri", self.union))
        if named_graphs is not None:
            params += [("named-graph-uri", g) for g in named_graphs]
        return params

    # -- reading -------------------------------------------------------------------------------------------
    def _query(self, sparql, substitutions, union, default_graph, named_graphs):  # type: ignore[no-untyped-def]
        text = bind_values(sparql, substitutions or {})
        resp = self._post(
            self.query_url,
            [("query", text), *self._graph_params(union, default_graph, named_graphs)],
            accept=f"{RESULTS_JSON}, {N_TRIPLES};q=0.9",
        )
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if ctype in (RESULTS_JSON, "application/json"):
                return ox.parse_query_results(resp.content, ox.QueryResultsFormat.JSON)
            if ctype in (N_TRIPLES, "text/plain", "text/turtle"):
                fmt = ox.RdfFormat.TURTLE if ctype == "text/turtle" else ox.RdfFormat.N_TRIPLES
                return _as_query_triples(ox.parse(resp.content, fmt))
        except SyntaxError as e:
            raise StoreError(f"cannot parse the SPARQL engine's answer ({ctype}): {e}") from e
        raise StoreError(f"SPARQL engine answered with unexpected content type {ctype!r}")

    def named_graphs(self) -> list[str]:
        # Only the KG's graphs (under the base IRI): an engine may hold other data, and Virtuoso its own system
        # graphs, which replacing the whole KG must not drop.
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union=False)
        if any("g" not in r for r in rows):  # Virtuoso does not enumerate graphs with an empty group: scan
            rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        base = config.base_iri()
        return [r["g"] for r in rows if str(r.get("g", "")).startswith(base)]

    def __len__(self) -> int:
        # Counting every quad is a full scan on most engines: cache it per dataset version.
        v = self.version()
        if self._len_cache and self._len_cache[0] == v:
            return self._len_cache[1]
        rows = self.select(
            "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }", union=False
        )
        n = int(rows[0]["n"]) if rows else 0
        self._len_cache = (v, n)
        return n

    def dump(self, fmt: str = "nquads") -> bytes:
        accept = {"nquads": N_QUADS, "trig": TRIG}[fmt]
        if self.gsp_url:
            try:
                resp = self._http.get(self.gsp_url, headers={"Accept": accept})
            except httpx.HTTPError as e:
                raise StoreError(f"Graph Store at {self.gsp_url} unreachable: {e}") from e
            if resp.status_code < 300 and resp.headers.get("content-type", "").startswith(accept):
                return resp.content
        # Portable fallback: every quad through SELECT, serialized by pyoxigraph.
        res = self.query("SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }", union=False)
        quads = (ox.Quad(q["s"], q["p"], q["o"], q["g"] or ox.DefaultGraph()) for q in res)
        out = ox.serialize(quads, format=ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.TRIG)
        return cast(bytes, out)  # bytes when given no output

    # -- writing -------------------------------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        """Send one SPARQL Update request (one transaction on engines that have them, e.g. Oxigraph server)."""
        if not self.update_url:
            raise StoreError("this sparql: store has no update endpoint (give QUERY_URL,UPDATE_URL)")
        self._post(self.update_url, [("update", sparql)])
        self._len_cache = None

    def replace_graphs(self, graphs: Mapping[str, Graph | None], version: str | None = None) -> None:
        # The same single update request as the embedded store: readers see all of it or none of it.
        parts = []
        for gi, g in graphs.items():
            parts.append(f"DROP SILENT GRAPH <{gi}>")
            if g is not None and len(g):
                parts.append(_insert(gi, g))
        if version is not None:
            parts.append(f"DROP SILENT GRAPH <{meta_graph()}>")
            v = to_ox(Literal(version))
            parts.append(
                f"INSERT DATA {{ GRAPH <{meta_graph()}> {{ <{dataset_iri()}> <{DCTERMS_HAS_VERSION}> {v} }} }}"
            )
        if parts:
            self.update(" ;\n".join(parts))

    def clear(self) -> None:
        """Remove the KG: every named graph under the base IRI (other graphs on the engine stay)."""
        graphs = self.named_graphs()
        if graphs:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))

    def bulk_load(self, quads: Iterable[ox.Quad], chunk: int = 200_000) -> int:
        """Add quads in large requests: Graph Store Protocol POST of N-Quads where a GSP URL is given (Oxigraph
        server and Fuseki accept a dataset there), else SPARQL Update ``INSERT DATA``. Returns the quads sent."""
        sent = 0
        for batch in _batches(quads, chunk):
            if self.gsp_url:
                body = ox.serialize(batch, format=ox.RdfFormat.N_QUADS)
                try:
                    resp = self._http.post(self.gsp_url, content=body, headers={"Content-Type": N_QUADS}, timeout=600.0)
                except httpx.HTTPError as e:
                    raise StoreError(f"Graph Store at {self.gsp_url} unreachable: {e}") from e
                self._check(resp)
            else:
                self.update(_insert_data(batch))
            sent += len(batch)
        self._len_cache = None
        return sent

    def close(self) -> None:
        self._http.close()


def _insert(graph: str, g: Graph) -> str:
    """``INSERT DATA`` of a graph's triples; with blank nodes, the equivalent ``INSERT {…} WHERE {}``, because
    Virtuoso refuses blank nodes in ``INSERT DATA`` (standard SPARQL allows them in both)."""
    body = g.serialize(format="nt")
    if any(isinstance(t, BNode) for triple in g for t in triple):
        return f"INSERT {{ GRAPH <{graph}> {{\n{body}\n}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"


def _batches(items: Iterable[ox.Quad], size: int) -> Iterator[list[ox.Quad]]:
    batch: list[ox.Quad] = []
    for q in items:
        batch.append(q)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_data(quads: list[ox.Quad]) -> str:
    lines = []
    for q in quads:
        t = f"{q.subject} {q.predicate} {q.object} ."
        lines.append(t if isinstance(q.graph_name, ox.DefaultGraph) else f"GRAPH {q.graph_name} {{ {t} }}")
    return "INSERT DATA {\n" + "\n".join(lines) + "\n}"


def _as_query_triples(quads: Iterable[ox.Quad]) -> ox.QueryTriples:
    """Wrap parsed triples as a pyoxigraph ``QueryTriples``, the type the embedded store's CONSTRUCT returns."""
    tmp = ox.Store()
    tmp.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    return cast(ox.QueryTriples, tmp.query("CONSTRUCT WHERE { ?s ?p ?o }"))


__all__ = ["RemoteSparqlStore", "UNION_MODES", "bind_values"]
