"""The per-request GraphQL context: the store, the settings, fresh DataLoaders and the SPARQL log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.config import Settings
from api.graphql.cache import ComparisonCache, ListCache
from api.graphql.loaders import Loaders
from kg.store import Store


@dataclass
class Context:
    """What every resolver sees; built once per request by :func:`get_context`."""

    store: Store
    settings: Settings
    loaders: Loaders
    sparql: list[dict[str, Any]] = field(default_factory=list)
    """The SPARQL the computed fields ran (compare, tables, statistics, lists), returned on request."""
    request: Any = None
    """The HTTP request (headers such as Authorization, for mutations that write)."""
    version: str | None = None
    """The dataset version read before execution (the key of ``lists``)."""
    lists: ListCache | None = None
    """The service's sorted lists of the list connections (None: none kept)."""
    comparisons: ComparisonCache | None = None
    """The service's comparisons of the current version (None: none kept)."""


def get_context(
    store: Store,
    settings: Settings,
    request: Any = None,
    version: str | None = None,
    lists: ListCache | None = None,
    comparisons: ComparisonCache | None = None,
) -> Context:
    """A context with fresh DataLoaders (a module-level loader would share its cache across requests)."""
    return Context(
        store=store,
        settings=settings,
        loaders=Loaders(store),
        request=request,
        version=version,
        lists=lists,
        comparisons=comparisons,
    )
