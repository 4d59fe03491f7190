"""The ``egovkg`` command line. Each group of commands lives in its own module and registers on ``app``."""

import typer

app = typer.Typer(
    name="egovkg",
    help="Build, validate, query and serve the egovkg knowledge graph of government social media factors.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules register themselves on import; the order here is the order in --help.
from kg.cli import core, export, ingest, scale, serve  # noqa: E402,F401

__all__ = ["app"]
