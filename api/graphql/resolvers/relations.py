"""Relation fields: turn IRIs into typed objects through the request's DataLoaders (batched, never N+1)."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, TypeVar

import strawberry
from graphql import FieldNode

from api.graphql.errors import LimitError, UserError, checked_iri
from api.graphql.loaders import Props
from api.graphql.types.base import LABEL, is_a

T = TypeVar("T")


LABEL_FIELDS = frozenset({"id", "iri", "label", "__typename"})
"""Fields an object answers from its label alone (``light`` in :func:`objects`)."""
LABEL_TYPES = frozenset({"Study", "FactorMention"})
"""The types whose ``label`` is rdfs:label, the one property ``light`` loads."""


def labels_only(info: strawberry.Info) -> bool:
    """Whether the field being resolved selects only ``LABEL_FIELDS`` of its objects (no fragment, no nesting).

    Read from graphql-core's field nodes (strawberry keeps them in ``Info._raw_info``): ``info.selected_fields``
    converts the whole sub-selection, arguments and directives on every call, which costs more than the objects."""
    return all(
        isinstance(sel, FieldNode) and sel.name.value in LABEL_FIELDS and sel.selection_set is None
        for node in info._raw_info.field_nodes
        for sel in (node.selection_set.selections if node.selection_set else ())
    )


async def objects(
    info: strawberry.Info, iris: list[str], cls: Any, only: str | None = None, light: bool = False
) -> list[Any]:
    """The objects of type ``cls`` for ``iris``, in order (``only``: keep the nodes typed egov:only).

    ``light``: the query selects only ``LABEL_FIELDS`` of nodes known to exist (the members of a comparison) and
    ``cls``'s label is rdfs:label (``LABEL_TYPES``), so only their labels are loaded, every node is kept, and nothing
    enters ``known``."""
    now = ready(info, iris, cls, only)
    if now is not None:
        return now
    loaders = info.context.loaders
    if light and cls.__name__ in LABEL_TYPES:
        found = await loaders.labels.load(tuple(iris))
        return [cls.from_props(i, {LABEL: v}) for i, v in zip(iris, found, strict=True)]
    return build(iris, await loaders.props.load_many(iris), cls, only)


def build(iris: list[str], props: list[Props], cls: Any, only: str | None = None) -> list[Any]:
    """The objects of type ``cls`` for ``iris`` and their props (absent nodes, and with ``only`` nodes of another
    type, left out)."""
    return [cls.from_props(i, p) for i, p in zip(iris, props, strict=True) if p and (only is None or is_a(p, only))]


def ready(
    info: strawberry.Info,
    iris: list[str],
    cls: Any,
    only: str | None = None,
    labels: dict[str, list[Any]] | None = None,
) -> list[Any] | None:
    """The objects of :func:`objects` when they can be built without loading anything, else None: every node is
    already ``known`` in this request, or (``labels``: the label values of nodes known to exist, for a field that
    selects only ``LABEL_FIELDS`` of a ``LABEL_TYPES`` type) every label is at hand.

    A resolver that returns this list instead of awaiting saves graphql-core a task and an event-loop round per
    field, which is most of what a comparison's hundreds of small lists cost."""
    if not iris:
        return []
    known = info.context.loaders.known
    if all(i in known for i in iris):
        return build(iris, [known[i] for i in iris], cls, only)
    if labels is not None and cls.__name__ in LABEL_TYPES and all(i in labels for i in iris):
        return [cls.from_props(i, {LABEL: labels[i]}) for i in iris]
    return None


async def obj(info: strawberry.Info, iri: str | None, cls: Any, only: str | None = None) -> Any:
    """One object of type ``cls`` for ``iri`` (None when absent)."""
    if not iri:
        return None
    found = await objects(info, [iri], cls, only)
    return found[0] if found else None


PAGE_ARGS = (
    "Without `first`, every one of them (by IRI); with `first` (at most the service's page size, 100 by default), the "
    "first `first` after `after` (the IRI or key of the last one received): page on until a page comes back short."
)
"""What the `first`/`after` arguments of a nested list do (their description)."""


def page(info: strawberry.Info, iris: list[str], first: int | None, after: str | None, kind: str) -> list[str]:
    """``iris`` in IRI order, all of them, or the first ``first`` after ``after`` (keyset: an IRI or a key under
    ``id/<kind>/``, need not be in the list); ``first`` is checked against the service's page size."""
    ordered = sorted(iris)
    if first is None and after is None:
        return ordered
    top = info.context.settings.graphql_max_page_size
    if first is not None and not 0 <= first <= top:
        raise (UserError("`first` must not be negative") if first < 0 else LimitError(
            f"`first` is {first}, above the maximum of {top}: page with `after`"))
    start = bisect_right(ordered, checked_iri(kind, after)) if after is not None else 0
    return ordered[start : start + first] if first is not None else ordered[start:]


async def inverse(info: strawberry.Info, iri: str, pred: str) -> list[str]:
    """The subjects that link to ``iri`` through ``pred``."""
    return await info.context.loaders.inverse.load((iri, pred))
