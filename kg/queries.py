"""SPARQL queries live in ``kg/queries/*.rq``; this module finds, rebases and runs them with bound parameters."""

from functools import lru_cache
from typing import Any

from kg import config
from kg.store import Store

SIDES_MARKER = "# SIDES"
"""A comment line inside an empty ``VALUES`` block of a template; replaced with rows built by ``values_block``."""


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
