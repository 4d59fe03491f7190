"""Commands of the knowledge graph itself: build, validate, tables, compare, query."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kg import compare as cmp
from kg import config, queries, tables
from kg.build import BuildError, build, build_dataset, load_store
from kg.cli import app
from kg.sources import SourceError
from kg.store import QuerySyntaxError, StoreError, open_store
from kg.validate import validate_data_dir, validate_files, validate_store

err = Console(stderr=True)
out = Console()


def _say(console: Console, text: str, style: str | None = None) -> None:
    """Print text as is: no rich markup (reports put shape IRIs in [brackets]) and no wrapping of long lines."""
    console.print(text, style=style, markup=False, highlight=False, soft_wrap=True)

StoreOpt = Annotated[
    str | None,
    typer.Option("--store", envvar="EGOVKG_STORE",
                 help="Store to read: memory: (build the shipped KG), oxigraph:PATH, sparql:URL."),
]


def _store(spec: str | None):  # type: ignore[no-untyped-def]
    """Open the store to read; ``memory:`` (the default) is filled with the freshly built KG."""
    spec = spec or "memory:"
    try:
        store = open_store(spec)
        if spec.startswith("memory") or store.version() == "empty":
            load_store(store)
        return store
    except BuildError as e:
        _say(err, "The shipped data does not conform:", "red")
        _say(err, e.report.text())
        raise typer.Exit(1) from e
    except SourceError as e:
        _say(err, str(e), "red")
        raise typer.Exit(1) from e


@app.command("build")
def build_cmd(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Directory for the dumps and the VoID description.")
    ] = config.DIST_DIR,
) -> None:
    """Load ontology and data, validate against the shapes, and write the KG to dist/ (Turtle, N-Triples, JSON-LD,
    TriG, N-Quads, VoID)."""
    try:
        built, store, paths = build(out_dir)
    except BuildError as e:
        _say(err, "Build failed: the data does not conform to the shapes.", "red")
        _say(err, e.report.text())
        raise typer.Exit(1) from e
    except SourceError as e:
        _say(err, f"Build failed: {e}", "red")
        raise typer.Exit(1) from e
    out.print(f"Built egovkg {built.version}: {len(store)} quads in {len(store.named_graphs())} graphs; conforms.")
    for p in paths:
        out.print(f"  wrote {p}")


@app.command("validate")
def validate_cmd(
    files: Annotated[list[Path] | None,
                     typer.Argument(help="Turtle files to validate.", exists=True, dir_okay=False)] = None,
    alone: Annotated[bool, typer.Option(
        "--alone", help="Validate the files without the shipped KG they may refer to.")] = False,
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", exists=True, file_okay=False,
        help="Validate a directory laid out like kg/data (shared files, studies/*.ttl), a chunk of studies at a "
             "time.")] = None,
    store: Annotated[str | None, typer.Option(
        "--store", help="Validate a store's graphs (oxigraph:PATH, sparql:URL), a chunk of studies at a time.")] = None,
    chunk: Annotated[int, typer.Option("--chunk", min=1, help="Studies per chunk (--data-dir, --store).")] = 500,
    jobs: Annotated[int, typer.Option(
        "--jobs", min=1, help="Worker processes for the chunks (--data-dir, --store).")] = 1,
) -> None:
    """Validate Turtle files against the shapes (together with the shipped KG they refer to).

    With --data-dir or --store, the data are validated partitioned: the shared context (ontology, concepts, places)
    with a chunk of study graphs at a time, in bounded memory, with the same results as the whole graph.
    """
    if sum(bool(x) for x in (files, data_dir, store)) != 1:
        _say(err, "Give Turtle files, --data-dir DIR or --store SPEC (one of them).", "red")
        raise typer.Exit(2)
    try:
        if files:
            report = validate_files(list(files), with_kg=not alone)
        else:
            def progress(done: int, total: int) -> None:
                err.print(f"validated chunk {done}/{total}", highlight=False)

            if data_dir is not None:
                report = validate_data_dir(data_dir, with_kg=not alone, chunk_size=chunk, jobs=jobs, progress=progress)
            else:
                report = validate_store(open_store(store or ""), chunk_size=chunk, jobs=jobs, progress=progress)
    except (SourceError, StoreError) as e:
        _say(err, str(e), "red")
        raise typer.Exit(1) from e
    _say(out if report.conforms else err, report.text())
    raise typer.Exit(0 if report.conforms else 1)


@app.command("tables")
def tables_cmd(
    which: Annotated[str, typer.Argument(help="table1 (the literature review) or table2 (the paper's factors).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, markdown or json.")] = "csv",
    study: Annotated[str, typer.Option(help="For table2: the study whose factors to tabulate.")] = "zheng-2013",
    store: StoreOpt = None,
) -> None:
    """Regenerate the paper's Table 1 or Table 2 from the KG by SPARQL."""
    if which not in ("table1", "table2"):
        _say(err, f"Unknown table {which!r}: use table1 or table2.", "red")
        raise typer.Exit(2)
    if fmt not in ("csv", "markdown", "json"):
        _say(err, f"Unknown format {fmt!r}: use csv, markdown or json.", "red")
        raise typer.Exit(2)
    s = _store(store)
    m = tables.table1(s) if which == "table1" else tables.table2(s, study)
    sys.stdout.write(tables.render(m, fmt))


@app.command("compare")
def compare_cmd(
    a: Annotated[str, typer.Option("--a", help="Group a, e.g. 'place=china' or 'studies=zheng-2013'.")],
    b: Annotated[str, typer.Option("--b", help="Group b, e.g. 'place=western;from=2009;to=2012'.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    store: StoreOpt = None,
) -> None:
    """Compare two groups of studies: factor concepts both report, and those only one reports, with the mentions
    behind each.

    A group is 'key=value' criteria joined by ';': place (country or region), focus, purpose, from, to (years),
    studies (comma-separated keys).
    """
    if fmt not in ("text", "json"):
        _say(err, f"Unknown format {fmt!r}: use text or json.", "red")
        raise typer.Exit(2)
    try:
        ga, gb = cmp.StudyGroup.parse(a), cmp.StudyGroup.parse(b)
    except cmp.GroupError as e:
        _say(err, str(e), "red")
        raise typer.Exit(2) from e
    s = _store(store)
    members = {side: cmp.resolve_group(s, g) for side, g in (("a", ga), ("b", gb))}
    for side, spec in (("a", a), ("b", b)):
        if not members[side]:
            # An unknown study key or place otherwise yields an empty group and a comparison that looks meaningful.
            _say(err, f"Group {side} ({spec!r}) matches no study: check the study keys and criteria.", "red")
            raise typer.Exit(2)
    res = cmp.compare(s, members["a"], members["b"])
    if fmt == "json":
        sys.stdout.write(json.dumps(res.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    out.print(f"Group a: {len(res.studies_a)} studies; group b: {len(res.studies_b)} studies.")
    for title, items in (("Both report", res.both), ("Only a reports", res.only_a), ("Only b reports", res.only_b)):
        t = Table(title=f"{title} ({len(items)})", show_lines=False)
        t.add_column("Concept")
        t.add_column("Match")
        t.add_column("a: mentions")
        t.add_column("b: mentions")
        for c in items:
            t.add_row(c.label, c.strength or "-", "; ".join(m.label for m in c.mentions_a),
                      "; ".join(m.label for m in c.mentions_b))
        out.print(t)


@app.command("query")
def query_cmd(
    query: Annotated[str, typer.Argument(help="A SPARQL query, a path to a .rq file, or the name of a stored query.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, json or csv for SELECT; turtle for CONSTRUCT.")
    ] = "table",
    store: StoreOpt = None,
) -> None:
    """Run a SPARQL query against the built KG (default graph = union of all graphs)."""
    path = Path(query)
    if query.endswith(".rq") and path.is_file():
        text = config.rebase(path.read_text(encoding="utf-8"))
    elif query in queries.names():
        text = queries.text(query)
    elif query.endswith(".rq"):
        # Otherwise the file name would be run as SPARQL and reported as a malformed query.
        _say(err, f"No such query file or stored query: {query}", "red")
        raise typer.Exit(2)
    else:
        text = query
    s = _store(store)
    try:
        res = s.query(text)
    except QuerySyntaxError as e:
        _say(err, f"Malformed query: {e}", "red")
        raise typer.Exit(2) from e
    import pyoxigraph as ox

    from kg.store import to_py, to_rdflib

    if isinstance(res, ox.QueryBoolean):
        out.print("true" if bool(res) else "false")
        return
    if isinstance(res, ox.QueryTriples):
        from rdflib import Graph

        g = Graph()
        for t in res:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        sys.stdout.write(g.serialize(format="turtle"))
        return
    names = [v.value for v in res.variables]
    rows = [{n: to_py(sol[n]) for n in names} for sol in res]
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=names, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    else:
        t = Table(*names)
        for r in rows:
            t.add_row(*["" if r[n] is None else str(r[n]) for n in names])
        out.print(t)
        out.print(f"{len(rows)} row(s)")


__all__ = ["build_dataset"]
