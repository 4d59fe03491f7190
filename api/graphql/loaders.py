"""DataLoaders, created per request: they batch the nodes one nesting level asks for into one store query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef
from strawberry.dataloader import DataLoader

from kg import queries
from kg.store import Store, to_py, values_block

Props = dict[str, list[Any]]
"""A node's properties: predicate IRI -> values (IRIs and strings as str, numbers as int/float), in store order."""


def _run(store: Store, name: str, variables: list[str], rows: Iterable[tuple[Any, ...]]) -> Any:
    """Run the ``# SIDES`` template ``name`` with VALUES rows; the raw solutions (counted by the store)."""
    return store.query(queries.fill(queries.text(name), values_block(variables, rows)))


def _py(term: Any) -> Any:
    """A term as a plain value (the common case, an IRI, without a function call per term)."""
    return term.value if type(term) is ox.NamedNode else to_py(term)


def describe(store: Store, iris: list[str]) -> list[Props]:
    """The properties of each node in ``iris`` (one query for the whole batch)."""
    found: dict[str, Props] = {i: defaultdict(list) for i in iris}
    if iris:
        # Iterating the solutions as tuples is several times cheaper than Store.select's dict rows, and the
        # describe query is the one every nested field goes through.
        for s, p, o in _run(store, "gql_describe", ["s"], [(URIRef(i),) for i in dict.fromkeys(iris)]):
            values = found[s.value][p.value]
            v = _py(o)
            if v not in values:  # the same triple may sit in several named graphs
                values.append(v)
    return [found[i] for i in iris]


def labels(store: Store, iris: list[str]) -> list[list[Any]]:
    """The rdfs:label values of each node in ``iris`` (one query): a label is one row where describing a node reads
    dozens (a study has dozens of values)."""
    found: dict[str, list[Any]] = {i: [] for i in iris}
    if iris:
        for s, o in _run(store, "gql_labels", ["s"], [(URIRef(i),) for i in dict.fromkeys(iris)]):
            values = found[s.value]
            v = _py(o)
            if v not in values:  # the same triple may sit in several named graphs
                values.append(v)
    return [found[i] for i in iris]


def inverse(store: Store, keys: list[tuple[str, str]]) -> list[list[str]]:
    """For each (object, property): the subjects that link to the object through the property (one query)."""
    found: dict[tuple[str, str], list[str]] = {k: [] for k in keys}
    if keys:
        rows = [(URIRef(o), URIRef(p)) for o, p in dict.fromkeys(keys)]
        for o, p, s in _run(store, "gql_inverse", ["o", "p"], rows):
            found[(o.value, p.value)].append(_py(s))
    return [found[k] for k in keys]


class Loaders:
    """The request's DataLoaders; a new set per request, so no cache outlives one response."""

    def __init__(self, store: Store) -> None:
        self.known: dict[str, Props] = {}
        """Props already loaded in this request, as plain values: a field whose nodes are all known skips the
        DataLoader's futures (the same study or concept recurs throughout a comparison)."""

        async def load_props(keys: list[str]) -> list[Props]:
            found = describe(store, keys)
            self.known.update(zip(keys, found, strict=True))
            return found

        async def load_inverse(keys: list[tuple[str, str]]) -> list[list[str]]:
            return inverse(store, keys)

        async def load_labels(keys: list[tuple[str, ...]]) -> list[list[list[Any]]]:
            flat = list(dict.fromkeys(i for k in keys for i in k))
            found = dict(zip(flat, labels(store, flat), strict=True))
            return [[found[i] for i in k] for k in keys]

        self.props: DataLoader[str, Props] = DataLoader(load_fn=load_props)
        self.labels: DataLoader[tuple[str, ...], list[list[Any]]] = DataLoader(load_fn=load_labels)
        """rdfs:label values alone, a list of nodes per key (one future per list, not per node; never put in
        ``known``, which holds whole nodes)."""
        self.inverse: DataLoader[tuple[str, str], list[str]] = DataLoader(load_fn=load_inverse)
