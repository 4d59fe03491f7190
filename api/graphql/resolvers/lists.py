"""List connections with filters and cursor pagination (keyset on the IRI, so pages survive writes)."""

from __future__ import annotations

import base64
import binascii
from bisect import bisect_left, bisect_right
from typing import Any

import strawberry
from rdflib import Literal, URIRef

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
from kg.compare import ANY

_CURSOR_PREFIX = "iri:"


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


def page(
    items: list[str],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    default_size: int,
    max_size: int,
) -> tuple[list[str], bool, bool]:
    """Relay's pagination over sorted IRIs: the page and whether items exist after and before it."""
    for name, n in (("first", first), ("last", last)):
        if n is not None and n < 0:
            raise UserError(f"`{name}` must not be negative")
        if n is not None and n > max_size:
            raise LimitError(f"`{name}` is {n}, above the maximum page size of {max_size}")
    lo, hi = 0, len(items)
    if after is not None:
        lo = bisect_right(items, decode_cursor(after))
    if before is not None:
        hi = max(lo, bisect_left(items, decode_cursor(before)))
    if first is None and last is None:
        first = default_size
    start, end = lo, hi
    if first is not None:
        end = min(end, start + first)
    if last is not None:
        start = max(start, end - last)
    return items[start:end], end < len(items), start > 0


def key(kind: str, value: str | None) -> URIRef:
    """A filter value (IRI or key) as a bound IRI, or the 'any' sentinel; a readable error when it is no IRI."""
    return URIRef(checked_iri(kind, value)) if value else ANY


def years(year_from: int | None, year_to: int | None) -> dict[str, Literal]:
    """The year-range bindings (0 / 9999 = unbounded)."""
    return {
        "yearFrom": Literal(year_from if year_from is not None else 0),
        "yearTo": Literal(year_to if year_to is not None else 9999),
    }


def run_list(info: strawberry.Info, name: str, bindings: dict[str, Any]) -> list[str]:
    """Run a list query (logging it for the SPARQL extension) and return the sorted item IRIs."""
    ctx = info.context
    text = queries.text(name)
    ctx.sparql.append({"query": text, "bindings": {k: v.n3() for k, v in bindings.items()}})
    return sorted({r["item"] for r in ctx.store.select(text, bindings)})


async def connection(
    info: strawberry.Info,
    items: list[str],
    cls: Any,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Any]:
    """Build the connection of the page (one batched load for its nodes)."""
    s = info.context.settings
    iris, has_next, has_prev = page(
        items, first, after, last, before, s.graphql_default_page_size, s.graphql_max_page_size
    )
    nodes = await objects(info, iris, cls)
    edges = [Edge(cursor=encode_cursor(n.iri), node=n) for n in nodes]
    return Connection(
        total_count=len(items),
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
        "text": Literal(f.text or ""),
    }
    return await connection(info, run_list(info, "gql_studies", bindings), Study, first, after, last, before)


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
        "text": Literal(f.text or ""),
    }
    return await connection(info, run_list(info, "gql_mentions", bindings), FactorMention, first, after, last, before)


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
        "text": Literal(f.text or ""),
    }
    return await connection(info, run_list(info, "gql_concepts", bindings), FactorConcept, first, after, last, before)


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
    bindings = {"class": URIRef(b.egov(cls_name)), "study": key("study", f.study), "text": Literal(f.text or "")}
    return await connection(info, run_list(info, "gql_items", bindings), cls, first, after, last, before)


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
