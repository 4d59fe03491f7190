"""Commands for scale: ``egovkg synth`` writes synthetic studies, ``egovkg load`` fills any store backend."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kg.cli import app

err = Console(stderr=True)
out = Console()


@app.command("synth")
def synth_cmd(
    studies: Annotated[int, typer.Option("--studies", min=1, help="How many synthetic studies to write.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Directory to write (studies/*.ttl plus places and concepts).")
    ],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same files.")] = 0,
) -> None:
    """Write N synthetic, shapes-conformant studies aligned to the real concept scheme (for scale tests only)."""
    from kg import synth

    paths = synth.write(out_dir, studies, seed)
    out.print(f"Wrote {studies} synthetic studies ({len(paths)} files) to {out_dir}")


@app.command("load")
def load_cmd(
    store: Annotated[
        str,
        typer.Option(
            "--store",
            envvar="EGOVKG_STORE",
            help="Target: memory:, oxigraph:PATH or sparql:QUERY_URL,UPDATE_URL[,GSP_URL].",
        ),
    ],
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            exists=True,
            file_okay=False,
            help="More data to add, laid out like kg/data (e.g. egovkg synth output).",
        ),
    ] = None,
    validate: Annotated[
        bool,
        typer.Option(
            "--validate/--no-validate",
            help="Also validate the --data files with the shipped KG (pySHACL: slow at scale).",
        ),
    ] = False,
) -> None:
    """Replace the store's content with the built KG (validated) plus optional extra data, by bulk load."""
    from kg import bulk
    from kg.build import BuildError, build_dataset
    from kg.sources import SourceError
    from kg.store import StoreError, open_store
    from kg.validate import validate_files

    try:
        built = build_dataset()
        extra = bulk.study_files(data) if data else []
        if validate and extra:
            report = validate_files(extra)
            if not report.conforms:
                err.print(f"[red]--data does not conform:[/red]\n{report.text()}")
                raise typer.Exit(1)
        target = open_store(store)
        stats = bulk.load(target, built, extra)
        target.close()
    except BuildError as e:
        err.print(f"[red]The shipped data does not conform:[/red]\n{e.report.text()}")
        raise typer.Exit(1) from e
    except (SourceError, StoreError, SyntaxError) as e:
        err.print(f"[red]{e}[/red]")
        raise typer.Exit(1) from e
    out.print(
        f"Loaded {stats.quads} quads ({stats.files} extra files) into {store} in {stats.seconds:.1f} s; "
        f"version {stats.version}"
    )
