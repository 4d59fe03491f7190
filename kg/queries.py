"""SPARQL queries live in ``kg/queries/*.rq``; this module finds, rebases and runs them with bound parameters."""

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from kg import config
from kg.store import Store

SIDES_MARKER = "# SIDES"
"""A comment line inside an empty ``VALUES`` block of a template; replaced with rows built by ``values_block``."""

_IF = re.compile(r"^\s*# IF((?:\s+\?\w+)+)\s*$")
_END = re.compile(r"^\s*# END\s*$")
_SELECT = re.compile(r"^SELECT\s+(DISTINCT\s+)?((?:\?\w+\s*)+)$")


class UnknownQuery(KeyError):
    """No ``.rq`` file of that name."""


def names() -> list[str]:
    """The names of all stored queries."""
    return sorted(p.stem for p in config.QUERIES_DIR.glob("*.rq"))


@lru_cache(maxsize=128)
def _text(name: str, base: str) -> str:
    path = config.QUERIES_DIR / f"{name}.rq"
    if not path.is_file():
        raise UnknownQuery(name)
    return config.rebase(path.read_text(encoding="utf-8"), base)


def text(name: str) -> str:
    """The text of query ``name`` with its IRIs rebased to the configured base."""
    return _text(name, config.base_iri())


def fill(template: str, rows_block: str, marker: str = SIDES_MARKER) -> str:
    """Put a rendered VALUES body into a template's ``# SIDES`` marker (or another marker line of the same kind)."""
    if marker not in template:
        raise ValueError(f"template has no {marker!r} marker")
    body = rows_block.split("{", 1)[1].rsplit("}", 1)[0]
    return template.replace(marker, body)


def select(store: Store, name: str, **bindings: Any) -> list[dict[str, Any]]:
    """Run the SELECT query ``name`` with ``bindings`` substituted as terms (never pasted into the text)."""
    return store.select(text(name), bindings or None)


@lru_cache(maxsize=256)
def _specialize(template: str, bound: frozenset[str]) -> str:
    params: set[str] = set()
    kept: set[str] = set()
    out: list[str] = []
    keep: bool | None = None  # inside a block: whether it stays
    for line in template.splitlines():
        if m := _IF.match(line):
            if keep is not None:
                raise ValueError("nested `# IF` block")
            names = {v.lstrip("?") for v in m.group(1).split()}
            params |= names
            keep = bool(names & bound)
            if keep:
                kept |= names
        elif _END.match(line):
            if keep is None:
                raise ValueError("`# END` without `# IF`")
            keep = None
        elif keep is not False:
            out.append(line)
    if keep is not None:
        raise ValueError("`# IF` block without `# END`")
    dropped = params - kept
    for i, line in enumerate(out):
        if m := _SELECT.match(line):
            projected = [v for v in m.group(2).split() if v.lstrip("?") not in dropped]
            out[i] = "SELECT " + (m.group(1) or "") + " ".join(projected)
            break
    return "\n".join(out) + "\n"


def specialize(template: str, bound: Iterable[str]) -> str:
    """A template for the parameters actually given: without the ``# IF ?a ?b`` … ``# END`` blocks none of whose
    variables is in ``bound``, and without the parameters of those blocks (and of no block kept) in the ``SELECT``
    line.

    A block holds the patterns and FILTERs of one optional criterion, written so that they keep every row when its
    parameter takes the "any" value (``<urn:egovkg:any>``, ``""``, years 0 to 9999): the whole template, run with
    those values, gives the same rows as the specialized one, which does not spend time on criteria not asked
    for. A block whose criterion is asked for stays as written, its parameters bound as usual.
    """
    return _specialize(template, frozenset(bound))


@lru_cache(maxsize=256)
def count_query(select: str) -> str:
    """The ``SELECT [DISTINCT] ?item ?p1 ?p2 …`` query ``select`` as a count of its distinct ``?item``: one row
    ``?p1 ?p2 … ?count`` (the parameters stay projected, so they can still be substituted), or none when nothing
    matches and there are parameters."""
    lines = select.splitlines()
    for i, line in enumerate(lines):
        if m := _SELECT.match(line):
            item, *params = m.group(2).split()
            lines[i] = "SELECT " + " ".join([*params, f"(COUNT(DISTINCT {item}) AS ?count)"])
            text = "\n".join(lines).rstrip()
            return text + ("\nGROUP BY " + " ".join(params) if params else "") + "\n"
    raise ValueError("no `SELECT ?item …` line to count")
