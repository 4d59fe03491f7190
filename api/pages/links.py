"""Where an IRI of the knowledge graph is served: its path on this server, and short keys for forms and URLs."""

from __future__ import annotations

from kg import config


def href(iri: str) -> str:
    """The server-relative path of an IRI under the base (its linked-data page); other IRIs are returned as they are."""
    base = config.base_iri()
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def local_key(iri: str) -> str:
    """The last path segment of an IRI (``…/id/place/china`` -> ``china``), used as a short key in URLs."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def css_key(iri: str | None) -> str:
    """A CSS-safe class suffix from an IRI's last segment (role and dimension colours are keyed on it)."""
    if not iri:
        return "none"
    return "".join(c if c.isalnum() or c == "-" else "-" for c in local_key(iri))
