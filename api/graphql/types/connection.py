"""Relay cursor connections: ``<Type>Connection { totalCount pageInfo edges { cursor node } nodes }``."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

T = TypeVar("T")


@strawberry.type(description="Where a page sits in its list (Relay).")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="One item of a page, with the cursor to continue after (or before) it.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list (Relay connection), with the size of the whole filtered list.")
class Connection(Generic[T]):
    total_count: int = strawberry.field(description="How many items the whole filtered list holds.")
    page_info: PageInfo
    edges: list[Edge[T]]
    nodes: list[T] = strawberry.field(description="The page's items without cursors (a shortcut for edges.node).")
