"""Evidence quotes of factor mentions, fetched for many mentions in one query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import URIRef

from kg import queries
from kg.store import Store, values_block


@dataclass
class Quote:
    """One evidence quote with where it is in the paper and who said it."""

    iri: str
    quote: str
    section: str | None
    kind: str | None
    speaker: str | None


def quotes_for(store: Store, mentions: Iterable[str]) -> dict[str, list[Quote]]:
    """Mention IRI -> its evidence quotes, for all ``mentions`` in one query (IRIs serialized as terms)."""
    wanted = sorted(set(mentions))
    if not wanted:
        return {}
    block = values_block(["mention"], [(URIRef(m),) for m in wanted])
    out: dict[str, list[Quote]] = {}
    for r in store.select(queries.fill(queries.text("pages_evidence"), block)):
        out.setdefault(r["mention"], []).append(
            Quote(r["evidence"], r["quote"], r.get("section"), r.get("kind"), r.get("speaker")))
    return out
