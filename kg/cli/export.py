"""``egovkg export``: write the knowledge graph's dumps (the files ``/dumps/`` serves) in chosen formats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.build import FORMATS, write_dumps
from kg.cli import app
from kg.cli.core import StoreOpt, _store


@app.command("export")
def export_cmd(
    out: Annotated[Path, typer.Option("--out", help="Directory to write the files and SHA256SUMS to.")],
    formats: Annotated[list[str] | None, typer.Option(
        "--format", help=f"A format to write ({', '.join(FORMATS)}); repeat for several. Default: all.")] = None,
    gz: Annotated[bool, typer.Option("--gzip", help="Write gzipped files (NAME.gz).")] = False,
    store: StoreOpt = None,
) -> None:
    """Write the KG as Turtle, N-Triples, JSON-LD, TriG and/or N-Quads, with a SHA-256 checksum file."""
    unknown = [f for f in formats or [] if f not in FORMATS]
    if unknown:
        typer.echo(f"Unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}.", err=True)
        raise typer.Exit(2)
    s = _store(store)
    for path in write_dumps(s, out, formats or None, gz=gz):
        typer.echo(f"wrote {path}")
    typer.echo(f"wrote {out / 'SHA256SUMS'}")
