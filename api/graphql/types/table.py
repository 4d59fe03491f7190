"""Table: one of the paper's tables as a structured matrix of rows, columns and cells with their mentions."""

from __future__ import annotations

import strawberry

from api.graphql.types.refs import MentionT


@strawberry.type(
    description="One cell: its mentions in the paper's order, the text they make, and the paper's "
    "original cell text where a cell was split into several issues."
)
class TableCell:
    column: str
    mentions: list[MentionT]
    text: str = strawberry.field(description="The mentions' labels as written, joined as the paper's table joins them.")
    original: str | None


@strawberry.type(description="One row: its key (the study's or dimension's IRI), its header cells and its cells.")
class TableRow:
    key: str
    header: list[str]
    cells: list[TableCell]


@strawberry.type(description="A table of the source paper regenerated from the knowledge graph.")
class Table:
    columns: list[str] = strawberry.field(description="All column headings, header columns first.")
    column_keys: list[str] = strawberry.field(description="The IRIs of the cell columns (dimensions or roles).")
    rows: list[TableRow]
