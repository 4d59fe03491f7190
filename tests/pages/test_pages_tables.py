"""The factor matrix (/tables/2) and the literature matrix (/tables/1) read back from HTML: equal to kg.tables and
to the paper's Table 2 as transcribed by hand."""

from __future__ import annotations

import csv
import io

from expectations import TABLE2, TABLE2_COLUMNS
from htmltree import Node

from api.pages.links import href
from kg import tables


def grid(page: Node) -> list[dict]:
    """The matrix's body rows: key, header texts, and per cell the column key, count and (IRI, label) links."""
    rows = []
    for tr in page.by_id("matrix").find("tbody").find_all("tr"):
        cells = [{"column": td.attrs["data-column"], "count": int(td.attrs["data-count"]),
                  "links": [(a.attrs["data-mention"], a.text()) for a in td.find_all("a")]}
                 for td in tr.find_all("td", cls="cell")]
        rows.append({"key": tr.attrs["data-row"], "header": tr.find("th").text(), "cells": cells})
    return rows


def test_factor_matrix_equals_the_papers_table2(html) -> None:
    page = html("/tables/2")
    headings = [th.text() for th in page.by_id("matrix").find("thead").find_all("th", cls="col")]
    assert headings == TABLE2_COLUMNS, f"column headings {headings}"
    groups = [th.text() for th in page.by_id("matrix").find("thead").find_all("th", scope="colgroup")]
    assert groups == ["External", "Internal capabilities"], f"column groups {groups}"
    rows = grid(page)
    assert [r["header"] for r in rows] == [d for d, _ in TABLE2], f"row headers {[r['header'] for r in rows]}"
    for row, (dim, expected) in zip(rows, TABLE2, strict=True):
        for cell, col, want in zip(row["cells"], TABLE2_COLUMNS, expected, strict=True):
            labels = [label for _, label in cell["links"]]
            assert labels == want, f"Table 2 / {dim} / {col}: page shows {labels}, the paper has {want}"
            assert cell["count"] == len(want), f"{dim} / {col}: count {cell['count']}, expected {len(want)}"


def test_factor_matrix_cells_equal_kg_tables_and_link_to_factors(html, pages_store) -> None:
    page = html("/tables/2")
    matrix = tables.table2(pages_store)
    rows = grid(page)
    assert [r["key"] for r in rows] == [r["key"] for r in matrix.rows], "rows are the dimensions in order"
    for row, mrow in zip(rows, matrix.rows, strict=True):
        for cell, key, mcell in zip(row["cells"], matrix.column_keys, mrow["cells"], strict=True):
            assert cell["column"] == key, f"column order: {cell['column']} vs {key}"
            assert cell["links"] == mcell.mentions, f"{row['header']} / {key}: {cell['links']} vs {mcell.mentions}"
    for a in page.by_id("matrix").find_all("a", data_mention=True):
        assert a.attrs["href"] == href(a.attrs["data-mention"]), f"{a.text()} links to {a.attrs['href']}"
    totals = [int(td.text()) for td in page.by_id("matrix").find("tfoot").find_all("td")]
    assert totals == [3, 4, 2, 9, 18], f"column totals and grand total {totals}"


def test_factor_matrix_colours_cells_by_role(html) -> None:
    page = html("/tables/2")
    for td in page.by_id("matrix").find_all("td", cls="cell"):
        role = td.attrs["data-column"].rsplit("/", 1)[-1]
        assert f"role-{role}" in td.classes(), f"cell of {role} has classes {td.classes()}"
    legend = [li.text() for li in page.find("ul", cls="legend").find_all("li")]
    assert legend == ["External driver", "External challenge", "Internal strength", "Internal weakness"], legend


def test_literature_matrix_equals_kg_table1(html, pages_store) -> None:
    page = html("/tables/1")
    matrix = tables.table1(pages_store)
    rows = grid(page)
    assert len(rows) == 16, f"Table 1 has 16 studies, the page {len(rows)}"
    for row, mrow in zip(rows, matrix.rows, strict=True):
        assert row["key"] == mrow["key"], f"row order {row['key']} vs {mrow['key']}"
        assert row["header"] == mrow["header"][0], f"row header {row['header']!r} vs {mrow['header'][0]!r}"
        for cell, mcell in zip(row["cells"], mrow["cells"], strict=True):
            assert cell["links"] == mcell.mentions, f"{row['header']} / {cell['column']}: {cell['links']}"
    for tr in page.by_id("matrix").find("tbody").find_all("tr"):
        link = tr.find("th").find("a")
        assert link.attrs["href"] == href(tr.attrs["data-row"]), f"row header links to {link.attrs['href']}"


def test_table_csv_downloads_equal_the_cli_output(pages_client, pages_store) -> None:
    for n, matrix in ((1, tables.table1(pages_store)), (2, tables.table2(pages_store))):
        r = pages_client.get(f"/tables/{n}.csv")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.headers
        assert r.text == tables.render(matrix, "csv"), f"/tables/{n}.csv differs from `egovkg tables`"
        assert list(csv.DictReader(io.StringIO(r.text))) == matrix.as_records()
    assert pages_client.get("/tables/3.csv").status_code == 404
