"""The landing page: what the knowledge graph is, where its content comes from, how big it is, where to go next."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg import queries
from kg.store import Store

EXAMPLE_QUERIES = [
    ("competency/unique-findings", "The paper's findings unique to China, with their evidence"),
    ("competency/studies-reporting-leadership-support", "Which studies report leadership support, and where"),
    ("competency/recommendations-for-internal-weaknesses", "The recommendations that address internal weaknesses"),
    ("competency/evidence-water-army", "The evidence the KG holds for the \"water army\""),
    ("table2", "The source paper's Table 2: factors by dimension and role"),
    ("table1", "The literature matrix of Table 1: studies by dimension"),
]
"""Stored SPARQL queries shown on the landing page, each with what it answers."""


@dataclass
class StudySummary:
    """One study as the lists of the pages show it."""

    iri: str
    label: str
    title: str | None
    year: int | None
    place: str | None
    place_label: str | None
    focus_label: str | None
    mentions: int
    source: str  # "paper" (reviews others), "reviewed" (reviewed by a paper of the KG) or "added"

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> StudySummary:
        """Build from a row of ``pages_studies.rq``."""
        source = "paper" if r.get("reviews") else "reviewed" if r.get("reviewedBy") else "added"
        return cls(r["study"], r["label"], r.get("title"), r.get("year"), r.get("place"), r.get("placeLabel"),
                   r.get("focusLabel"), int(r.get("mentions", 0)), source)


@dataclass
class Landing:
    """What ``/`` shows."""

    version: str
    triples: int
    counts: dict[str, int]
    papers: list[StudySummary]
    reviewed: list[StudySummary]
    added: list[StudySummary]
    concepts: list[dict[str, str]]
    examples: list[dict[str, str]] = field(default_factory=list)


def studies(store: Store) -> list[StudySummary]:
    """Every study, by year then label."""
    return [StudySummary.from_row(r) for r in queries.select(store, "pages_studies")]


def landing_view(store: Store) -> Landing:
    """Counts, version, sources and the example queries of the landing page."""
    counts = queries.select(store, "pages_counts")[0]
    all_studies = studies(store)
    examples = [{"name": n, "title": t, "sparql": queries.text(n)} for n, t in EXAMPLE_QUERIES]
    return Landing(
        version=store.version(),
        triples=len(store),
        counts={k: int(v) for k, v in counts.items()},
        papers=[s for s in all_studies if s.source == "paper"],
        reviewed=[s for s in all_studies if s.source == "reviewed"],
        added=[s for s in all_studies if s.source == "added"],
        concepts=queries.select(store, "concept_labels"),
        examples=examples,
    )
