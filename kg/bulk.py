"""Bulk loading: put the built KG (and optionally more study files) into any store backend in large batches.

The per-graph SPARQL Update path (:meth:`kg.store.Store.replace_graphs`) is right for edits; for tens of thousands
of studies each backend's bulk path is much faster: pyoxigraph's ``bulk_extend`` for the embedded store, and Graph
Store Protocol POSTs of N-Quads (or large ``INSERT DATA`` requests) for a remote engine.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from kg import config, sources
from kg.build import Built
from kg.remote import RemoteSparqlStore
from kg.store import OxigraphStore, Store


@dataclass
class LoadStats:
    """What a bulk load did."""

    quads: int
    files: int
    seconds: float
    version: str


def study_files(data_dir: Path) -> list[Path]:
    """The Turtle files of a data directory laid out like ``kg/data``: shared files, then ``studies/*.ttl``."""
    return sources.data_files(data_dir)


def dataset_quads(ds: Dataset) -> Iterator[ox.Quad]:
    """The quads of an rdflib Dataset as pyoxigraph quads (through N-Quads: blank nodes keep their identity)."""
    data = ds.serialize(format="nquads")
    yield from ox.parse(data.encode("utf-8") if isinstance(data, str) else data, ox.RdfFormat.N_QUADS)


def file_quads(paths: Iterable[Path], base: str | None = None) -> Iterator[ox.Quad]:
    """The triples of Turtle files, each put in the named graph its file maps to (as the build does)."""
    base = base or config.base_iri()
    for p in paths:
        graph = ox.NamedNode(str(sources.graph_iri_for(p, base)))
        text = config.rebase(p.read_text(encoding="utf-8"), base)
        for q in ox.parse(text, ox.RdfFormat.TURTLE, base_iri=base):
            yield ox.Quad(q.subject, q.predicate, q.object, graph)


def files_digest(paths: Iterable[Path]) -> str:
    """A content hash of files (names and bytes), part of the loaded dataset's version."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def bulk_replace(store: Store, quads: Iterable[ox.Quad]) -> int:
    """Empty the store and add ``quads`` through the backend's bulk path; return how many were added."""
    if isinstance(store, OxigraphStore):
        # The embedded store has no public bulk method on the Store interface; its pyoxigraph store has one.
        inner = store._store
        inner.clear()
        n = 0

        def counted() -> Iterator[ox.Quad]:
            nonlocal n
            for q in quads:
                n += 1
                yield q

        inner.bulk_extend(counted())
        if store.path:
            inner.flush()
        return n
    if isinstance(store, RemoteSparqlStore):
        store.clear()
        return store.bulk_load(quads)
    raise TypeError(f"no bulk path for {type(store).__name__}")


def load(store: Store, built: Built, extra: list[Path] | None = None) -> LoadStats:
    """Replace the store's content with the built KG plus ``extra`` Turtle files, then set the dataset version."""
    t0 = time.perf_counter()
    extra = extra or []

    def all_quads() -> Iterator[ox.Quad]:
        yield from dataset_quads(built.dataset)
        yield from file_quads(extra)

    n = bulk_replace(store, all_quads())
    version = (
        built.version if not extra else hashlib.sha256((built.version + files_digest(extra)).encode()).hexdigest()[:16]
    )
    store.replace_graphs({}, version)
    return LoadStats(n, len(extra), time.perf_counter() - t0, version)


__all__ = ["LoadStats", "bulk_replace", "dataset_quads", "file_quads", "files_digest", "load", "study_files"]
