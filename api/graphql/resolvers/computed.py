"""The computed answers: compare, the paper's tables and dataset statistics, each on a kg function or .rq query."""

from __future__ import annotations

from typing import Any

import strawberry
from rdflib import URIRef
from strawberry.types.nodes import SelectedField

from api.graphql.errors import UserError, checked_iri
from api.graphql.resolvers.relations import objects
from api.graphql.types import base as b
from api.graphql.types.comparison import Comparison, StudyGroup
from api.graphql.types.dataset_statistics import Count, DatasetStatistics
from api.graphql.types.mention import FactorMention
from api.graphql.types.table import Table, TableCell, TableRow
from kg import compare as kgcompare
from kg import queries, tables
from kg.compare import GroupError


def to_group(g: StudyGroup) -> kgcompare.StudyGroup:
    """The kg StudyGroup for a GraphQL StudyGroup input; a readable error when it is empty or malformed."""
    for kind, value in (("place", g.place), ("focus", g.focus), ("purpose", g.purpose)):
        if value:
            checked_iri(kind, value)
    for study in g.studies or ():
        checked_iri("study", study)
    group = kgcompare.StudyGroup(
        place=g.place,
        focus=g.focus,
        purpose=g.purpose,
        year_from=g.year_from,
        year_to=g.year_to,
        studies=tuple(g.studies or ()),
    )
    if group == kgcompare.StudyGroup():
        raise UserError("a study group needs at least one criterion (place, focus, purpose, yearFrom, yearTo, studies)")
    return group


def compare(info: strawberry.Info, a: StudyGroup, b: StudyGroup) -> Comparison:
    """Compare two groups of studies by the factor concepts they report: every concept's status and counts once
    (kg.compare.summarize, kept for the dataset version); the sides' members and objects load only for the fields
    selected."""
    ctx = info.context
    groups = to_group(a), to_group(b)
    kept = ctx.comparisons if ctx.comparisons is not None and ctx.version else None
    summary = kept.get(groups, ctx.version) if kept is not None else None
    if summary is None:
        try:
            summary = kgcompare.summarize(ctx.store, *groups)
        except GroupError as e:
            raise UserError(str(e)) from e
        if kept is not None:
            kept.put(groups, ctx.version, summary)
        ctx.sparql.extend({"query": q, "bindings": {}} for q in summary.sparql)
    else:
        ctx.sparql.extend({"query": q, "bindings": {}, "cached": True} for q in summary.sparql)
    comparison = Comparison.of(summary, ctx)
    for selected in info.selected_fields:
        if isinstance(selected, SelectedField):  # the compare field itself
            comparison.compared.prefetch(selected)
    return comparison


async def _table(info: strawberry.Info, matrix: tables.Matrix) -> Table:
    """A kg Matrix as a GraphQL Table (one batched load for all cell mentions)."""
    iris = [i for r in matrix.rows for cell in r["cells"] for i, _ in cell.mentions]
    found = {m.iri: m for m in await objects(info, iris, FactorMention)}
    cell_columns = matrix.columns[len(matrix.columns) - len(matrix.column_keys) :]
    rows = [
        TableRow(
            key=r["key"],
            header=[str(h) for h in r["header"]],
            cells=[
                TableCell(
                    column=col,
                    mentions=[found[i] for i, _ in cell.mentions if i in found],
                    text=cell.text(matrix.sep),
                    original=cell.original,
                )
                for col, cell in zip(cell_columns, r["cells"], strict=True)
            ],
        )
        for r in matrix.rows
    ]
    return Table(columns=matrix.columns, column_keys=matrix.column_keys, rows=rows)


async def table1(info: strawberry.Info) -> Table:
    """Table 1 of the paper: the reviewed studies by focus, purposes and the five dimensions."""
    info.context.sparql.extend({"query": queries.text(n), "bindings": {}} for n in ("dimensions", "table1"))
    return await _table(info, tables.table1(info.context.store))


async def table2(info: strawberry.Info, study: str = "zheng-2013") -> Table:
    """Table 2 of a study (by default the paper): its factors by dimension and role."""
    iri = checked_iri("study", study)
    info.context.sparql.extend({"query": queries.text(n), "bindings": {}} for n in ("dimensions", "roles"))
    info.context.sparql.append({"query": queries.text("table2"), "bindings": {"study": URIRef(iri).n3()}})
    return await _table(info, tables.table2(info.context.store, iri))


async def dataset_statistics(info: strawberry.Info) -> DatasetStatistics:
    """Counts by type, dimension, role, polarity, place, focus and purpose (gql_counts.rq)."""
    ctx = info.context
    ctx.sparql.append({"query": queries.text("gql_counts"), "bindings": {}})
    rows = queries.select(ctx.store, "gql_counts")
    keys = sorted({r["key"] for r in rows})
    labels: dict[str, Any] = {}
    for k, p in zip(keys, await ctx.loaders.props.load_many(keys), strict=True):
        labels[k] = b.text(p, b.PREF) or b.text(p, b.LABEL)
    by: dict[str, list[Count]] = {}
    for r in rows:
        by.setdefault(r["facet"], []).append(Count(key=r["key"], label=labels.get(r["key"]), count=int(r["count"])))
    return DatasetStatistics(
        version=ctx.store.version(),
        triples=len(ctx.store),
        types=by.get("type", []),
        dimensions=by.get("dimension", []),
        roles=by.get("role", []),
        polarities=by.get("polarity", []),
        places=by.get("place", []),
        foci=by.get("focus", []),
        purposes=by.get("purpose", []),
    )
