"""The per-request GraphQL context: the store, the settings, fresh DataLoaders and the SPARQL log."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.config import Settings
from api.graphql.loaders import Loaders
from kg.store import Store


@dataclass
class Context:
    """What every resolver sees; built once per request by :func:`get_context`."""

    store: Store
    settings: Settings
    loaders: Loaders
    sparql: list[str] = field(default_factory=list)
    """The SPARQL the computed fields ran (compare, tables, statistics, lists), returned on request."""


def get_context(store: Store, settings: Settings) -> Context:
    """A context with fresh DataLoaders (a module-level loader would share its cache across requests)."""
    ctx = Context(store=store, settings=settings, loaders=None)  # type: ignore[arg-type]
    ctx.loaders = Loaders(store)
    return ctx
