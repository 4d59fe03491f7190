"""The factor matrix (the paper's Table 2) and the literature matrix (Table 1), as grids for the pages.

Both come straight from :mod:`kg.tables`, so the pages show exactly what ``egovkg tables`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg import queries, tables
from kg.store import Store
from kg.tables import Cell


@dataclass
class Column:
    """A column of a grid: the role (Table 2) or dimension (Table 1) it holds, with its heading."""

    key: str
    heading: str
    group: str | None = None  # Table 2: the polarity that heads the column group
    total: int = 0


@dataclass
class Row:
    """A row of a grid: its key IRI, header cells and one cell per column."""

    key: str
    header: list[str]
    cells: list[Cell]

    @property
    def total(self) -> int:
        return sum(len(c.mentions) for c in self.cells)


@dataclass
class Grid:
    """A table to render: columns, rows, and the polarity groups over the columns (Table 2)."""

    title: str
    caption: str
    header_columns: list[str]
    columns: list[Column]
    rows: list[Row]
    groups: list[tuple[str, str, int]]  # (polarity IRI, label, span)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)


POLARITY_HEADINGS = {"external": "External", "internal": "Internal capabilities"}
"""Column-group headings of Table 2, by polarity key, as the paper heads them."""


def _with_totals(columns: list[Column], rows: list[Row]) -> list[Column]:
    for i, col in enumerate(columns):
        col.total = sum(len(r.cells[i].mentions) for r in rows)
    return columns


def factor_matrix(store: Store, study: str = "zheng-2013") -> Grid:
    """Table 2: dimensions x (external drivers, external challenges, internal strengths, internal weaknesses)."""
    matrix = tables.table2(store, study)
    roles = {r["role"]: r for r in queries.select(store, "roles")}
    columns = [Column(key, heading, roles[key].get("polarity"))
               for key, heading in zip(matrix.column_keys, matrix.columns[1:], strict=True)]
    rows = [Row(r["key"], r["header"], r["cells"]) for r in matrix.rows]
    groups: list[tuple[str, str, int]] = []
    for col in columns:
        pol = col.group or ""
        if groups and groups[-1][0] == pol:
            groups[-1] = (pol, groups[-1][1], groups[-1][2] + 1)
        else:
            groups.append((pol, POLARITY_HEADINGS.get(pol.rsplit("/", 1)[-1], ""), 1))
    return Grid("The factor matrix (Table 2)",
                "Chinese government use of social media: drivers, challenges and capabilities, by dimension.",
                ["Dimension"], _with_totals(columns, rows), rows, groups)


def literature_matrix(store: Store) -> Grid:
    """Table 1: the reviewed studies x (research focus, purposes, five dimensions)."""
    matrix = tables.table1(store)
    n_fixed = len(tables.TABLE1_FIXED)
    columns = [Column(key, heading) for key, heading in zip(matrix.column_keys, matrix.columns[n_fixed:], strict=True)]
    rows = [Row(r["key"], r["header"], r["cells"]) for r in matrix.rows]
    return Grid("The literature matrix (Table 1)",
                "Factors and issues of government use of social media in the reviewed studies, by dimension.",
                list(tables.TABLE1_FIXED), _with_totals(columns, rows), rows, [])


def cell_mentions(grid: Grid) -> list[dict[str, Any]]:
    """Every (row, column, mention) of a grid, in order: what tests compare with the rendered page."""
    return [{"row": r.key, "column": c.key, "mention": iri, "label": label}
            for r in grid.rows for c, cell in zip(grid.columns, r.cells, strict=True) for iri, label in cell.mentions]
