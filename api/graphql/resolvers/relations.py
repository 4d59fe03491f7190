"""Relation fields: turn IRIs into typed objects through the request's DataLoaders (batched, never N+1)."""

from __future__ import annotations

from typing import Any, TypeVar

import strawberry

from api.graphql.loaders import Props
from api.graphql.types.base import is_a

T = TypeVar("T")


async def objects(info: strawberry.Info, iris: list[str], cls: Any, only: str | None = None) -> list[Any]:
    """The objects of type ``cls`` for ``iris``, in order (``only``: keep the nodes typed egov:only)."""
    if not iris:
        return []
    loaders = info.context.loaders
    known = loaders.known
    if all(i in known for i in iris):
        props: list[Props] = [known[i] for i in iris]
    else:
        props = await loaders.props.load_many(iris)
    return [cls.from_props(i, p) for i, p in zip(iris, props, strict=True) if p and (only is None or is_a(p, only))]


async def obj(info: strawberry.Info, iri: str | None, cls: Any, only: str | None = None) -> Any:
    """One object of type ``cls`` for ``iri`` (None when absent)."""
    if not iri:
        return None
    found = await objects(info, [iri], cls, only)
    return found[0] if found else None


async def inverse(info: strawberry.Info, iri: str, pred: str) -> list[str]:
    """The subjects that link to ``iri`` through ``pred``."""
    return await info.context.loaders.inverse.load((iri, pred))
