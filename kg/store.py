"""The one store interface every layer above uses, and its embedded Oxigraph backend.

Queries run on Oxigraph (pyoxigraph); rdflib and pyshacl only parse, validate and serialize. Every query goes
through :meth:`Store.query`, which counts them (the GraphQL layer's N+1 test reads the counter).
"""

from __future__ import annotations

import hashlib
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import BASE

XSD = "http://www.w3.org/2001/XMLSchema#"
_INT_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger",
                                "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong")}
_FLOAT_TYPES = {XSD + t for t in ("decimal", "double", "float")}
DCTERMS_HAS_VERSION = "http://purl.org/dc/terms/hasVersion"
_BNODE_LABEL = re.compile(r"_:[A-Za-z0-9_-]+")


class StoreError(RuntimeError):
    """The store cannot answer (unreachable, corrupted, or refused the operation)."""


class QuerySyntaxError(ValueError):
    """A SPARQL query does not parse; the message is the parser's."""


def to_ox(term: Node | str | int | float | bool) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """Convert an rdflib term (or a plain Python value, taken as a literal) to a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, bool):
        return ox.Literal("true" if term else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(term, int):
        return ox.Literal(str(term), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(term, float):
        return ox.Literal(repr(term), datatype=ox.NamedNode(XSD + "double"))
    return ox.Literal(str(term))


def to_rdflib(term: Any) -> Node:
    """Convert a pyoxigraph term to rdflib."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD + "string":
            # RDF 1.1 simple literals are xsd:string, but rdflib keeps Literal("x") != Literal("x",
            # datatype=xsd:string); return the form rdflib's parsers produce, so that terms from the store equal terms
            # parsed from files.
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


_STRING_TYPES = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def to_py(term: Any) -> Any:
    """Convert a pyoxigraph term to a plain Python value: IRIs and strings as str, numbers as int or float."""
    kind = type(term)  # exact-type dispatch: this runs once per cell of every result, so it is kept cheap
    if kind is ox.NamedNode:
        return term.value
    if kind is ox.Literal:
        dt = term.datatype.value
        if dt in _STRING_TYPES:
            return term.value
        if dt in _INT_TYPES:
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if dt in _FLOAT_TYPES:
            try:
                return float(term.value)
            except ValueError:
                return term.value
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if term is None:
        return None
    if kind is ox.BlankNode:
        return "_:" + term.value
    return str(term)


def values_block(variables: list[str], rows: Iterable[tuple[Node | str | int, ...]]) -> str:
    """Render a SPARQL VALUES block from terms; every term is serialized by pyoxigraph, so no input is pasted raw."""
    head = " ".join("?" + v for v in variables)
    body = "\n".join("(" + " ".join(str(to_ox(t)) for t in row) + ")" for row in rows)
    return f"VALUES ({head}) {{\n{body}\n}}"


class ReadWriteLock:
    """Many readers or one writer; a waiting writer holds back new readers (so writes are not starved)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and not self._writers_waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            self._cond.wait_for(lambda: not self._writing and not self._readers)
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class Store(ABC):
    """A quad store holding the knowledge graph: one named graph per study, plus ontology, concepts and places."""

    def __init__(self) -> None:
        self.query_count = 0
        self._lock = threading.Lock()
        self._rw = ReadWriteLock()

    def reading(self) -> AbstractContextManager[None]:
        """Hold this process's writes back while several reads must see one state (each query alone always does)."""
        return self._rw.shared()

    # -- reading -----------------------------------------------------------------------------------------
    @abstractmethod
    def _query(self, sparql: str, substitutions: Mapping[str, Any] | None, union: bool,
               default_graph: list[str] | None, named_graphs: list[str] | None) -> Any:
        """Run a query on the backend and return pyoxigraph-shaped results."""

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *, union: bool = True,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> Any:
        """Run a SPARQL query, binding ``bindings`` (variable name -> term) safely; count it."""
        with self._lock:
            self.query_count += 1
        return self._query(sparql, bindings, union, default_graph, named_graphs)

    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None, **kw: Any) -> list[dict[str, Any]]:
        """Run a SELECT query and return rows of plain Python values (unbound variables are absent)."""
        res = self.query(sparql, bindings, **kw)
        names = [v.value for v in res.variables]
        conv = to_py
        return [{n: conv(t) for n, t in zip(names, sol, strict=True) if t is not None} for sol in res]

    def ask(self, sparql: str, bindings: Mapping[str, Any] | None = None, **kw: Any) -> bool:
        """Run an ASK query."""
        return bool(self.query(sparql, bindings, **kw))

    def construct(self, sparql: str, bindings: Mapping[str, Any] | None = None, **kw: Any) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query and return an rdflib Graph."""
        g = Graph()
        for t in self.query(sparql, bindings, **kw):
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs in the store."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of quads in the store."""

    @abstractmethod
    def dump(self, fmt: str = "nquads") -> bytes:
        """Serialize the whole dataset: ``nquads`` or ``trig``."""

    # -- writing -----------------------------------------------------------------------------------------
    @abstractmethod
    def replace_graphs(self, graphs: Mapping[str, Graph | None], version: str | None = None) -> None:
        """In one transaction, replace each named graph with the given triples (``None`` removes it), and set the
        version."""

    def load_dataset(self, ds: Dataset, version: str | None = None) -> None:
        """Replace the whole store content with an rdflib Dataset (its named graphs)."""
        graphs: dict[str, Graph | None] = {g: None for g in self.named_graphs()}
        for g in ds.graphs():
            if isinstance(g.identifier, URIRef) and len(g):
                graphs[str(g.identifier)] = g
        self.replace_graphs(graphs, version or dataset_hash(ds))

    # -- dataset version ---------------------------------------------------------------------------------
    def version(self) -> str:
        """The dataset version: changes with every write; the basis of the APIs' ETags."""
        rows = self.select(
            f"SELECT ?v WHERE {{ GRAPH <{meta_graph()}> {{ <{dataset_iri()}> <{DCTERMS_HAS_VERSION}> ?v }} }}",
            union=False,
        )
        return str(rows[0]["v"]) if rows else "empty"

    def close(self) -> None:  # noqa: B027 - a hook: most backends hold nothing to release
        """Release the backend's resources."""


def meta_graph() -> str:
    """The named graph holding the dataset's version."""
    from kg.config import base_iri

    return base_iri() + "graph/meta"


def dataset_iri() -> str:
    """The IRI of the dataset as a whole (described by VoID/DCAT)."""
    from kg.config import base_iri

    return base_iri() + "dataset"


def dataset_hash(ds: Dataset) -> str:
    """A content hash of a dataset (sorted N-Quads without blank-node labels), used as its initial version."""
    # Blank-node labels differ between parses of the same sources; leave them out so the hash is reproducible.
    lines = (_BNODE_LABEL.sub("_:", line) for line in ds.serialize(format="nquads").splitlines())
    h = hashlib.sha256()
    for line in sorted(lines):
        h.update(line.encode())
    return h.hexdigest()[:16]


class OxigraphStore(Store):
    """The embedded backend: pyoxigraph in memory (``memory:``) or on disk (``oxigraph:PATH``)."""

    def __init__(self, path: str | Path | None = None) -> None:
        super().__init__()
        self.path = Path(path) if path else None
        self._len_cache: tuple[str, int] | None = None
        try:
            self._store = ox.Store(str(self.path)) if self.path else ox.Store()
        except OSError as e:
            raise StoreError(f"cannot open Oxigraph store at {self.path}: {e}") from e

    def _query(self, sparql, substitutions, union, default_graph, named_graphs):  # type: ignore[no-untyped-def]
        subs = {ox.Variable(k): to_ox(v) for k, v in (substitutions or {}).items()}
        kwargs: dict[str, Any] = {}
        if default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph] or [ox.DefaultGraph()]
        else:
            kwargs["use_default_graph_as_union"] = union
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self._store.query(sparql, substitutions=subs or None, **kwargs)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from e
        except RuntimeError as e:
            # pyoxigraph refuses to substitute a variable the query does not project
            if subs and "projection" in str(e):
                raise ValueError(f"bindings {sorted(substitutions or {})} must be projected variables: {e}") from e
            raise

    def named_graphs(self) -> list[str]:
        return [g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]

    def __len__(self) -> int:
        # Counting walks every quad (seconds at 100,000 studies); every write changes the version, so the count is
        # kept per version.
        version = self.version()
        cached = self._len_cache
        if cached is not None and cached[0] == version:
            return cached[1]
        n = len(self._store)
        self._len_cache = (version, n)
        return n

    def dump(self, fmt: str = "nquads") -> bytes:
        f = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[fmt]
        return cast(bytes, self._store.dump(format=f))  # bytes when given no output

    def replace_graphs(self, graphs: Mapping[str, Graph | None], version: str | None = None) -> None:
        with self._rw.exclusive():
            self._replace_graphs(graphs, version)

    def _replace_graphs(self, graphs: Mapping[str, Graph | None], version: str | None) -> None:
        # One SPARQL Update request is one Oxigraph transaction: readers see all of it or none of it.
        parts = []
        for gi, g in graphs.items():
            parts.append(f"DROP SILENT GRAPH <{gi}>")
            if g is not None and len(g):
                body = g.serialize(format="nt")
                parts.append(f"INSERT DATA {{ GRAPH <{gi}> {{\n{body}\n}} }}")
        if version is not None:
            parts.append(f"DROP SILENT GRAPH <{meta_graph()}>")
            v = to_ox(Literal(version))
            meta = f"<{dataset_iri()}> <{DCTERMS_HAS_VERSION}> {v}"
            parts.append(f"INSERT DATA {{ GRAPH <{meta_graph()}> {{ {meta} }} }}")
        if parts:
            self._store.update(" ;\n".join(parts))
        self._store.flush() if self.path else None

    def close(self) -> None:
        if self.path:
            self._store.flush()


def open_store(spec: str) -> Store:
    """Open a store from a spec: ``memory:``, ``oxigraph:PATH`` (embedded) or
    ``sparql:QUERY_URL[,UPDATE_URL][,GSP_URL]``."""
    kind, _, arg = spec.partition(":")
    if kind == "memory":
        return OxigraphStore()
    if kind == "oxigraph":
        if not arg:
            raise StoreError("oxigraph: needs a path, e.g. oxigraph:var/store")
        return OxigraphStore(arg)
    if kind == "sparql":
        from kg.remote import RemoteSparqlStore  # only needed for remote deployments

        return RemoteSparqlStore.from_spec(arg)
    raise StoreError(f"unknown store spec {spec!r}: expected memory:, oxigraph:PATH or sparql:QUERY_URL[,UPDATE_URL]")


__all__ = ["BASE", "OxigraphStore", "QuerySyntaxError", "Store", "StoreError", "open_store", "to_ox", "to_py",
           "to_rdflib", "values_block"]
