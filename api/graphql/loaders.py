"""DataLoaders, created per request: they batch the nodes one nesting level asks for into one store query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rdflib import URIRef
from strawberry.dataloader import DataLoader

from kg import queries
from kg.store import Store, values_block

Props = dict[str, list[Any]]
"""A node's properties: predicate IRI -> values (IRIs and strings as str, numbers as int/float), in store order."""


def _run(store: Store, name: str, variables: list[str], rows: Iterable[tuple[Any, ...]], log: list[str] | None) -> list[dict[str, Any]]:
    """Run the ``# SIDES`` template ``name`` with VALUES rows; record the text it ran in ``log``."""
    sparql = queries.fill(queries.text(name), values_block(variables, rows))
    if log is not None:
        log.append(sparql)
    return store.select(sparql)


def describe(store: Store, iris: list[str], log: list[str] | None = None) -> list[Props]:
    """The properties of each node in ``iris`` (one query for the whole batch)."""
    found: dict[str, Props] = {i: defaultdict(list) for i in iris}
    if iris:
        for r in _run(store, "gql_describe", ["s"], [(URIRef(i),) for i in dict.fromkeys(iris)], log):
            values = found[r["s"]][r["p"]]
            if r["o"] not in values:  # the same triple may sit in several named graphs
                values.append(r["o"])
    return [found[i] for i in iris]


def inverse(store: Store, keys: list[tuple[str, str]], log: list[str] | None = None) -> list[list[str]]:
    """For each (object, property): the subjects that link to the object through the property (one query)."""
    found: dict[tuple[str, str], list[str]] = {k: [] for k in keys}
    if keys:
        rows = [(URIRef(o), URIRef(p)) for o, p in dict.fromkeys(keys)]
        for r in _run(store, "gql_inverse", ["o", "p"], rows, log):
            found[(r["o"], r["p"])].append(r["s"])
    return [found[k] for k in keys]


def classes(store: Store, iris: list[str], log: list[str] | None = None) -> list[list[str]]:
    """The rdf:type values of each node in ``iris`` (one query)."""
    found: dict[str, list[str]] = {i: [] for i in iris}
    if iris:
        for r in _run(store, "gql_types", ["s"], [(URIRef(i),) for i in dict.fromkeys(iris)], log):
            found[r["s"]].append(r["class"])
    return [found[i] for i in iris]


class Loaders:
    """The request's DataLoaders; a new set per request, so no cache outlives one response."""

    def __init__(self, store: Store, log: list[str] | None = None) -> None:
        async def load_props(keys: list[str]) -> list[Props]:
            return describe(store, keys, log)

        async def load_inverse(keys: list[tuple[str, str]]) -> list[list[str]]:
            return inverse(store, keys, log)

        async def load_classes(keys: list[str]) -> list[list[str]]:
            return classes(store, keys, log)

        self.props: DataLoader[str, Props] = DataLoader(load_fn=load_props)
        self.inverse: DataLoader[tuple[str, str], list[str]] = DataLoader(load_fn=load_inverse)
        self.classes: DataLoader[str, list[str]] = DataLoader(load_fn=load_classes)
