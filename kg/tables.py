"""Regenerate the paper's Table 1 and Table 2 from the knowledge graph by SPARQL."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from kg import config, queries
from kg.store import Store

TABLE1_FIXED = ["Study", "Research focus", "Purposes"]
TABLE2_COLUMNS = ["External drivers", "External challenges", "Internal strengths", "Internal weaknesses"]
TABLE1_SEP = ", "
TABLE2_SEP = "; "


@dataclass
class Cell:
    """One cell of a table: its mentions (IRI, label as written) in order, and the paper's original text."""

    mentions: list[tuple[str, str]] = field(default_factory=list)
    original: str | None = None

    def text(self, sep: str) -> str:
        return sep.join(label for _, label in self.mentions)


@dataclass
class Matrix:
    """A table as rows x columns of cells, with row headers and the fixed leading columns."""

    columns: list[str]
    column_keys: list[str]
    rows: list[dict[str, Any]]  # each: {"key": iri, "header": [..fixed..], "cells": [Cell per column]}
    sep: str

    def as_records(self) -> list[dict[str, str]]:
        """Rows as dicts of column -> text (the CSV view)."""
        out = []
        for r in self.rows:
            rec = dict(zip(self.columns[: len(r["header"])], r["header"], strict=True))
            for col, cell in zip(self.columns[len(r["header"]):], r["cells"], strict=True):
                rec[col] = cell.text(self.sep)
            out.append(rec)
        return out


def dimensions(store: Store) -> list[dict[str, Any]]:
    """The dimensions in the paper's order."""
    return queries.select(store, "dimensions")


def table1(store: Store) -> Matrix:
    """Table 1: reviewed studies x (focus, purposes, five dimensions)."""
    dims = dimensions(store)
    dim_keys = [d["dimension"] for d in dims]
    rows: dict[str, dict[str, Any]] = {}
    for r in queries.select(store, "table1"):
        row = rows.setdefault(r["study"], {
            "key": r["study"], "order": r["row"], "header": [r["studyLabel"], r["focus"], r["purposes"]],
            "cells": [Cell() for _ in dim_keys]})
        if "mention" in r:
            cell = row["cells"][dim_keys.index(r["dimension"])]
            cell.mentions.append((r["mention"], r["label"]))
            cell.original = r.get("cell", cell.original)
    ordered = sorted(rows.values(), key=lambda x: x["order"])
    # within a cell, mentions keep the paper's order: table1.rq orders them by egov:positionInCell
    cols = TABLE1_FIXED + [d.get("table1Heading") or d["label"] for d in dims]
    return Matrix(cols, dim_keys, ordered, TABLE1_SEP)


def table2(store: Store, study: str = "zheng-2013") -> Matrix:
    """Table 2: dimensions x (external drivers, external challenges, internal strengths, internal weaknesses)."""
    study_iri = study if study.startswith("http") else f"{config.base_iri()}id/study/{study}"
    dims = dimensions(store)
    dim_keys = [d["dimension"] for d in dims]
    roles = [r for r in queries.select(store, "roles") if r.get("polarity")]
    role_keys = [r["role"] for r in roles]
    rows = [{"key": d["dimension"], "header": [d.get("table2Heading") or d["label"]],
             "cells": [Cell() for _ in role_keys]} for d in dims]
    for r in queries.select(store, "table2", study=URIRef(study_iri)):
        if r["role"] in role_keys:
            rows[dim_keys.index(r["dimension"])]["cells"][role_keys.index(r["role"])].mentions.append(
                (r["mention"], r["label"]))
    return Matrix(["Dimension", *TABLE2_COLUMNS[: len(role_keys)]], role_keys, rows, TABLE2_SEP)


def render(matrix: Matrix, fmt: str) -> str:
    """Render a table as ``csv``, ``markdown`` or ``json``."""
    records = matrix.as_records()
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=matrix.columns, lineterminator="\n")
        w.writeheader()
        w.writerows(records)
        return buf.getvalue()
    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        esc = lambda s: s.replace("|", "\\|")  # noqa: E731
        lines = ["| " + " | ".join(matrix.columns) + " |", "|" + "---|" * len(matrix.columns)]
        lines += ["| " + " | ".join(esc(rec[c]) for c in matrix.columns) + " |" for rec in records]
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown format {fmt!r}: use csv, markdown or json")
