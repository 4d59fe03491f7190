"""``egovkg add``, ``egovkg remove`` and ``egovkg export-codebook``: researchers add their own studies."""

from __future__ import annotations

import gc
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from kg.cli import app
from kg.store import Store

T = TypeVar("T")

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

WriteStoreOpt = Annotated[str | None, typer.Option(
    "--store", envvar="EGOVKG_STORE",
    help="Store to write: oxigraph:PATH (default: the server's, oxigraph:var/store).")]
WhoOpt = Annotated[str | None, typer.Option("--as", help="Who makes the write, for the provenance record (default: "
                                                         "the login name).")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="text or json.")]


def _settings():  # type: ignore[no-untyped-def]
    from api.config import get_settings

    return get_settings()


def _writes_enabled() -> None:
    """Stop unless the operator has turned writes on (a write token is configured)."""
    if not _settings().write_token:
        err.print("Writes are off: no write token is configured. Set EGOVKG_WRITE_TOKEN to turn writes on "
                  "(--dry-run validates without writing).")
        raise typer.Exit(3)


def _with_store(spec: str | None, work: Callable[[Store], T]) -> T:
    """Run ``work`` on the store, then release it (an embedded store is locked while a process holds it open)."""
    from kg.build import ensure_store

    store = ensure_store(spec or _settings().store)
    try:
        return work(store)
    finally:
        store.close()
        del store
        gc.collect()


def _report(outcome, fmt: str) -> None:  # type: ignore[no-untyped-def]
    if fmt == "json":
        sys.stdout.write(json.dumps(outcome.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        (out if outcome.conforms else err).print(outcome.text(), markup=False)


@app.command("add")
def add_cmd(
    file: Annotated[Path, typer.Argument(help="A study file (.ttl), CSV coding sheet (.csv) or REFI-QDA codebook "
                                              "(.qdc).", exists=True, dir_okay=False)],
    replace: Annotated[bool, typer.Option("--replace", help="Replace the study if it exists.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")] = False,
    accept_suggestions: Annotated[bool, typer.Option(
        "--accept-suggestions", help="Align every mention without a concept to its best suggestion.")] = False,
    accept: Annotated[list[str] | None, typer.Option(
        "--accept", help="Align one mention: MENTION=CONCEPT (mention key as in the report, concept key). Repeatable.")
    ] = None,
    who: WhoOpt = None,
    store: WriteStoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Add a study to the KG: validate it with what it refers to and write it in one transaction, with provenance."""
    from kg.ingest import IngestError, read_input
    from kg.write import add_study

    if not dry_run:
        _writes_enabled()
    who = who or getpass.getuser()
    max_bytes = _settings().max_upload_bytes
    choices: bool | dict[str, str] = accept_suggestions
    if accept:
        pairs = [a.partition("=") for a in accept]
        bad = [a for a, (_, sep, v) in zip(accept, pairs, strict=True) if not sep or not v]
        if bad:
            err.print(f"--accept takes MENTION=CONCEPT, got {bad[0]!r}")
            raise typer.Exit(2)
        choices = {k.strip(): v.strip() for k, _, v in pairs}

    def work(s: Store):  # type: ignore[no-untyped-def]
        try:
            parsed = read_input(file.read_bytes(), str(file), store=s, who=who, max_bytes=max_bytes)
        except IngestError as e:
            return e
        return add_study(s, parsed, replace=replace, dry_run=dry_run, accept=choices, who=who)

    outcome = _with_store(store, work)
    if isinstance(outcome, IngestError):
        if fmt == "json":
            sys.stdout.write(json.dumps({"written": False, "conforms": False, "results": [
                p.as_dict() for p in outcome.problems]}, indent=2, ensure_ascii=False) + "\n")
        else:
            err.print(f"{file}: rejected, nothing written ({len(outcome.problems)} problem(s))", markup=False)
            for p in outcome.problems:
                err.print(p.text(), markup=False)
        raise typer.Exit(1)
    _report(outcome, fmt)
    raise typer.Exit(0 if outcome.conforms else 1)


@app.command("remove")
def remove_cmd(
    study: Annotated[str, typer.Argument(help="The key of the study to remove, e.g. doe-2024.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report; write nothing.")] = False,
    who: WhoOpt = None,
    store: WriteStoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Remove a study (its named graph) in one transaction, unless other studies refer to it; provenance is kept."""
    from kg.write import remove_study

    if not dry_run:
        _writes_enabled()
    outcome = _with_store(store, lambda s: remove_study(s, study, dry_run=dry_run, who=who or getpass.getuser()))
    _report(outcome, fmt)
    raise typer.Exit(0 if outcome.conforms else 1)


@app.command("export-codebook")
def export_codebook_cmd(
    out_file: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file (default: stdout).")] = None,
    store: Annotated[str | None, typer.Option("--store", envvar="EGOVKG_STORE",
                                              help="Store to read (default: memory:, the shipped KG).")] = None,
) -> None:
    """Export the factor concept scheme as a REFI-QDA codebook (.qdc) with GUIDs derived from the concepts' IRIs."""
    from kg.build import ensure_store
    from kg.ingest.export import export_codebook

    s = ensure_store(store or "memory:")
    data = export_codebook(s)
    s.close()
    if out_file:
        out_file.write_bytes(data)
        err.print(f"wrote {out_file}")
    else:
        sys.stdout.buffer.write(data)
