"""List connections with filters and cursor pagination (keyset on the IRI, so pages survive writes).

A list is the sorted IRIs its ``kg/queries/gql_*.rq`` query selects, specialized to the criteria given (the blocks
of the others left out, ``kg.queries.specialize``). The store cannot hand out one page of it without reading the
whole list (Oxigraph has no index in IRI order, and its ``ORDER BY … LIMIT`` sorts everything, looking up both IRI
strings per comparison), so each list is read once per dataset version and kept sorted (``ListCache``): a page
is then a bisection for its cursor and a slice, whatever the list's length. ``totalCount`` comes with the list,
or, when a request asks only for it, from a ``COUNT`` of the same query.
"""

from __future__ import annotations

import base64
import binascii
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox
import strawberry
from rdflib import Literal, URIRef
from strawberry.types.nodes import SelectedField

from api.graphql.context import Context
from api.graphql.errors import LimitError, UserError, checked_iri
from api.graphql.resolvers.relations import objects
from api.graphql.types import base as b
from api.graphql.types.claim import Claim
from api.graphql.types.concept import FactorConcept
from api.graphql.types.connection import Connection, Edge, PageInfo
from api.graphql.types.evidence import Evidence
from api.graphql.types.filters import ConceptFilter, ItemFilter, MentionFilter, StudyFilter
from api.graphql.types.interpretation import Interpretation
from api.graphql.types.mention import FactorMention
from api.graphql.types.method import Method
from api.graphql.types.recommendation import Recommendation
from api.graphql.types.relation import FactorRelation
from api.graphql.types.statistic import Statistic
from api.graphql.types.study import Study
from kg import queries
from kg.store import to_py

_CURSOR_PREFIX = "iri:"
_PAGE_FIELDS = frozenset({"edges", "nodes", "pageInfo"})
"""The connection fields that need the page (and so the list)."""


def encode_cursor(iri: str) -> str:
    """An opaque cursor for an item (its IRI, base64url)."""
    return base64.urlsafe_b64encode((_CURSOR_PREFIX + iri).encode()).decode()


def decode_cursor(cursor: str) -> str:
    """The IRI a cursor stands for; a UserError if it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as e:
        raise UserError(f"invalid cursor {cursor!r}") from e
    if not raw.startswith(_CURSOR_PREFIX):
        raise UserError(f"invalid cursor {cursor!r}")
    return raw[len(_CURSOR_PREFIX) :]


def check_sizes(first: int | None, last: int | None, max_size: int) -> None:
    """`first` and `last` must be between 0 and the maximum page size (a LimitError above it)."""
    for name, n in (("first", first), ("last", last)):
        if n is not None and n < 0:
            raise UserError(f"`{name}` must not be negative")
        if n is not None and n > max_size:
            raise LimitError(f"`{name}` is {n}, above the maximum page size of {max_size}")


def page(
    items: Sequence[str],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    default_size: int,
) -> tuple[Sequence[str], bool, bool]:
    """Relay's pagination over sorted IRIs (``after``/``before`` are IRIs, not necessarily in the list): the page,
    and whether items exist after it and before it. With both ``first`` and ``last``, the last ``last`` of the
    first ``first``."""
    lo, hi = 0, len(items)
    if after is not None:
        lo = bisect_right(items, after)
    if before is not None:
        hi = max(lo, bisect_left(items, before))
    if first is None and last is None:
        first = default_size
    start, end = lo, hi
    if first is not None:
        end = min(end, start + first)
    if last is not None:
        start = max(start, end - last)
    return items[start:end], end < len(items), start > 0


def key(kind: str, value: str | None) -> URIRef | None:
    """A filter value (IRI or key) as a bound IRI (None when not given); a readable error when it is no IRI."""
    return URIRef(checked_iri(kind, value)) if value else None


def search(value: str | None) -> Literal | None:
    """A text search (None when not given)."""
    return Literal(value) if value else None


def years(year_from: int | None, year_to: int | None) -> dict[str, Literal]:
    """The year-range bindings when either end is given (the other unbounded: 0 / 9999); none otherwise."""
    if year_from is None and year_to is None:
        return {}
    return {
        "yearFrom": Literal(year_from if year_from is not None else 0),
        "yearTo": Literal(year_to if year_to is not None else 9999),
    }


def _names(selections: Iterable[Any], out: set[str]) -> set[str]:
    """The names of the fields selected (through fragments too), leaving out those @skip or @include drop."""
    for sel in selections:
        d = sel.directives or {}
        if d.get("skip", {}).get("if") is True or d.get("include", {}).get("if") is False:
            continue
        if isinstance(sel, SelectedField):
            out.add(sel.name)
        else:  # a fragment spread or an inline fragment
            _names(sel.selections, out)
    return out


def selected(info: strawberry.Info) -> set[str]:
    """The fields the request selects on this connection (every occurrence of it under this response key)."""
    out: set[str] = set()
    for field in info.selected_fields:
        _names(field.selections, out)
    return out


def _item(term: Any) -> str:
    return term.value if type(term) is ox.NamedNode else str(to_py(term))


def _log(ctx: Context, query: str, bindings: dict[str, Any], cached: bool) -> None:
    entry: dict[str, Any] = {"query": query, "bindings": {k: v.n3() for k, v in bindings.items()}}
    if cached:
        entry["cached"] = True
    ctx.sparql.append(entry)


def _kept(ctx: Context, kind: str, query: str, bindings: dict[str, Any]) -> tuple[Any, Any]:
    """The key of a list (``kind``: its items or its count) in the service's kept lists, and what is kept."""
    key = (kind, query, tuple(sorted((k, v.n3()) for k, v in bindings.items())))
    found = ctx.lists.get(key, ctx.version) if ctx.lists is not None and ctx.version else None
    return key, found


def _keep(ctx: Context, key: Any, value: tuple[str, ...] | int) -> None:
    if ctx.lists is not None and ctx.version:
        ctx.lists.put(key, ctx.version, value)


def list_items(ctx: Context, query: str, bindings: dict[str, Any]) -> tuple[str, ...]:
    """The sorted, distinct IRIs the list query selects (?item, its first variable), kept for the version."""
    key, found = _kept(ctx, "items", query, bindings)
    _log(ctx, query, bindings, found is not None)
    if found is not None:
        return found
    items = tuple(sorted({_item(solution[0]) for solution in ctx.store.query(query, bindings or None)}))
    _keep(ctx, key, items)
    return items


def list_count(ctx: Context, query: str, bindings: dict[str, Any]) -> int:
    """How many distinct IRIs the list query selects: the kept list's length, else a ``COUNT`` in the store."""
    _, items = _kept(ctx, "items", query, bindings)
    if items is not None:
        _log(ctx, query, bindings, True)
        return len(items)
    counting = queries.count_query(query)
    key, found = _kept(ctx, "count", query, bindings)
    _log(ctx, counting, bindings, found is not None)
    if found is not None:
        return found
    rows = ctx.store.select(counting, bindings or None)
    n = int(rows[0]["count"]) if rows else 0
    _keep(ctx, key, n)
    return n


async def connection(
    info: strawberry.Info,
    name: str,
    bindings: dict[str, Any | None],
    cls: Any,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Any]:
    """The connection of list query ``name`` (the criteria not given are None in ``bindings``): the page's nodes
    in one batched load, and the list's size only when the request selects ``totalCount``."""
    ctx: Context = info.context
    s = ctx.settings
    check_sizes(first, last, s.graphql_max_page_size)
    after_iri = decode_cursor(after) if after is not None else None
    before_iri = decode_cursor(before) if before is not None else None
    given = {k: v for k, v in bindings.items() if v is not None}
    query = queries.specialize(queries.text(name), given)
    fields = selected(info)
    total = -1  # never shown: totalCount is not selected
    nodes: list[Any] = []
    has_next = has_prev = False
    if fields & _PAGE_FIELDS:
        items = list_items(ctx, query, given)
        total = len(items)
        iris, has_next, has_prev = page(items, first, after_iri, last, before_iri, s.graphql_default_page_size)
        nodes = await objects(info, list(iris), cls)
    elif "totalCount" in fields:
        total = list_count(ctx, query, given)
    edges = [Edge(cursor=encode_cursor(n.iri), node=n) for n in nodes]
    return Connection(
        total_count=total,
        edges=edges,
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=has_prev,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


async def studies(
    info: strawberry.Info,
    filter: StudyFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Study]:
    """Studies matching the filter, a page at a time."""
    f = filter or StudyFilter()
    bindings = {
        "dimension": key("dimension", f.dimension),
        "role": key("role", f.role),
        "polarity": key("polarity", f.polarity),
        "concept": key("concept", f.concept),
        "place": key("place", f.place),
        "focus": key("focus", f.focus),
        "purpose": key("purpose", f.purpose),
        **years(f.year_from, f.year_to),
        "text": search(f.text),
    }
    return await connection(info, "gql_studies", bindings, Study, first, after, last, before)


async def mentions(
    info: strawberry.Info,
    filter: MentionFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[FactorMention]:
    """Factor mentions matching the filter, a page at a time."""
    f = filter or MentionFilter()
    bindings = {
        "dimension": key("dimension", f.dimension),
        "role": key("role", f.role),
        "polarity": key("polarity", f.polarity),
        "study": key("study", f.study),
        "concept": key("concept", f.concept),
        "place": key("place", f.place),
        "focus": key("focus", f.focus),
        "purpose": key("purpose", f.purpose),
        **years(f.year_from, f.year_to),
        "text": search(f.text),
    }
    return await connection(info, "gql_mentions", bindings, FactorMention, first, after, last, before)


async def concepts(
    info: strawberry.Info,
    filter: ConceptFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[FactorConcept]:
    """Factor concepts matching the filter, a page at a time."""
    f = filter or ConceptFilter()
    bindings = {
        "dimension": key("dimension", f.dimension),
        "role": key("role", f.role),
        "polarity": key("polarity", f.polarity),
        "place": key("place", f.place),
        "text": search(f.text),
    }
    return await connection(info, "gql_concepts", bindings, FactorConcept, first, after, last, before)


async def _items(
    info: strawberry.Info,
    cls_name: str,
    cls: Any,
    f: ItemFilter | None,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Any]:
    """A connection over the nodes of one ontology class (``gql_items.rq``)."""
    f = f or ItemFilter()
    bindings = {"class": URIRef(b.egov(cls_name)), "study": key("study", f.study), "text": search(f.text)}
    return await connection(info, "gql_items", bindings, cls, first, after, last, before)


async def evidence(
    info: strawberry.Info,
    filter: ItemFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Evidence]:
    """Evidence (quotes and passages), a page at a time."""
    return await _items(info, "Evidence", Evidence, filter, first, after, last, before)


async def statistics(
    info: strawberry.Info,
    filter: ItemFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Statistic]:
    """Statistics studies report, a page at a time."""
    return await _items(info, "Statistic", Statistic, filter, first, after, last, before)


async def claims(
    info: strawberry.Info,
    filter: ItemFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Claim]:
    """Claims studies state, a page at a time."""
    return await _items(info, "Claim", Claim, filter, first, after, last, before)


async def recommendations(
    info: strawberry.Info,
    filter: ItemFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Recommendation]:
    """Recommendations studies make, a page at a time."""
    return await _items(info, "Recommendation", Recommendation, filter, first, after, last, before)


async def methods(
    info: strawberry.Info,
    filter: ItemFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Method]:
    """Methods studies apply, a page at a time."""
    return await _items(info, "Method", Method, filter, first, after, last, before)


async def factor_relations(
    info: strawberry.Info,
    filter: ItemFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[FactorRelation]:
    """Relations between factors that studies state, a page at a time."""
    return await _items(info, "FactorRelation", FactorRelation, filter, first, after, last, before)


async def interpretations(
    info: strawberry.Info,
    filter: ItemFilter | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Interpretation]:
    """The curators' interpretations, a page at a time."""
    return await _items(info, "Interpretation", Interpretation, filter, first, after, last, before)
