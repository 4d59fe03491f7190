"""Study pages and concept pages: the HTML views of ``egov:Study`` and ``egov:FactorConcept`` IRIs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from api.pages.evidence import Quote, quotes_for
from kg import queries
from kg.store import Store


@dataclass
class MentionView:
    """A factor mention as a study page lists it."""

    iri: str
    label: str
    label_as_written: str | None
    dimension: str
    role: str
    polarity: str | None
    table: str | None
    table_cell: str | None
    section: str | None
    description: str | None
    note: str | None
    justification: str | None
    concepts: list[tuple[str, str]] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class RoleGroup:
    """The mentions of one role within a dimension."""

    role: str
    label: str
    mentions: list[MentionView]


@dataclass
class DimensionGroup:
    """The mentions of one dimension, by role."""

    dimension: str
    label: str
    roles: list[RoleGroup]

    @property
    def count(self) -> int:
        return sum(len(r.mentions) for r in self.roles)


@dataclass
class StudyView:
    """What a study page shows."""

    iri: str
    bib: dict[str, Any]
    places: list[dict[str, Any]]
    purposes: list[dict[str, Any]]
    methods: list[dict[str, Any]]
    dimensions: list[DimensionGroup]
    claims: list[dict[str, Any]]
    recommendations: list[dict[str, Any]]

    @property
    def label(self) -> str:
        return str(self.bib["label"])

    @property
    def mention_count(self) -> int:
        return sum(d.count for d in self.dimensions)


def study_view(store: Store, iri: str) -> StudyView | None:
    """The study page of ``iri``, or ``None`` when it is not a study of the KG."""
    study = URIRef(iri)
    rows = queries.select(store, "pages_study", study=study)
    if not rows:
        return None
    mentions: dict[str, MentionView] = {}
    order: list[tuple[int, str, int, str, str]] = []
    for r in queries.select(store, "pages_study_mentions", study=study):
        m = mentions.get(r["mention"])
        if m is None:
            m = mentions[r["mention"]] = MentionView(
                r["mention"], r["label"], r.get("labelAsWritten"), r["dimension"], r["role"], r.get("polarity"),
                r.get("table"), r.get("tableCell"), r.get("section"), r.get("description"), r.get("note"),
                r.get("justification"))
            order.append((r["dimensionOrder"], r["dimensionLabel"], r["roleOrder"], r["roleLabel"], r["mention"]))
        if "concept" in r:
            m.concepts.append((r["concept"], r["conceptLabel"]))
    for mention, quotes in quotes_for(store, mentions).items():
        mentions[mention].quotes = quotes
    groups: list[DimensionGroup] = []
    for _dim_order, dim_label, _role_order, role_label, mention in order:
        m = mentions[mention]
        if not groups or groups[-1].dimension != m.dimension:
            groups.append(DimensionGroup(m.dimension, dim_label, []))
        roles = groups[-1].roles
        if not roles or roles[-1].role != m.role:
            roles.append(RoleGroup(m.role, role_label, []))
        roles[-1].mentions.append(m)
    claims = queries.select(store, "pages_study_claims", study=study)
    return StudyView(
        iri=iri,
        bib=rows[0],
        places=queries.select(store, "pages_study_places", study=study),
        purposes=queries.select(store, "pages_study_purposes", study=study),
        methods=queries.select(store, "pages_study_methods", study=study),
        dimensions=groups,
        claims=[c for c in claims if c["kind"] == "claim"],
        recommendations=[c for c in claims if c["kind"] == "recommendation"],
    )


@dataclass
class ConceptMention:
    """One mention of a concept in a study, with the curators' reason for aligning it."""

    iri: str
    label: str
    dimension: str
    dimension_label: str
    role: str
    role_label: str
    section: str | None
    table: str | None
    justification: str | None
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class ConceptStudy:
    """A study that reports a concept, with its mentions of it."""

    iri: str
    label: str
    year: int | None
    mentions: list[ConceptMention]


@dataclass
class PlaceGroup:
    """The studies of one country or region that report a concept, by year."""

    place: str | None
    label: str
    studies: list[ConceptStudy]


@dataclass
class ConceptView:
    """What a concept page shows."""

    iri: str
    label: str
    definition: str | None
    alt_labels: list[str]
    broader: list[tuple[str, str]]
    narrower: list[tuple[str, str]]
    related: list[tuple[str, str]]
    places: list[PlaceGroup]

    @property
    def study_count(self) -> int:
        return sum(len(p.studies) for p in self.places)

    @property
    def mention_count(self) -> int:
        return sum(len(s.mentions) for p in self.places for s in p.studies)


def concept_view(store: Store, iri: str) -> ConceptView | None:
    """The concept page of ``iri``, or ``None`` when it is not a factor concept of the KG."""
    concept = URIRef(iri)
    rows = queries.select(store, "pages_concept", concept=concept)
    if not rows:
        return None
    neighbours: dict[str, list[tuple[str, str]]] = {"broader": [], "narrower": [], "related": []}
    for r in rows:
        if "relation" in r:
            neighbours[r["relation"]].append((r["other"], r["otherLabel"]))
    places: dict[str | None, PlaceGroup] = {}
    studies: dict[str, ConceptStudy] = {}
    mentions: dict[str, ConceptMention] = {}
    for r in queries.select(store, "pages_concept_mentions", concept=concept):
        group = places.setdefault(r.get("place"), PlaceGroup(r.get("place"), r.get("placeLabel", "Unknown place"), []))
        st = studies.get(r["study"])
        if st is None:
            st = studies[r["study"]] = ConceptStudy(r["study"], r["studyLabel"], r.get("year"), [])
            group.studies.append(st)
        cm = ConceptMention(r["mention"], r["label"], r["dimension"], r["dimensionLabel"], r["role"], r["roleLabel"],
                            r.get("section"), r.get("table"), r.get("justification"))
        mentions[cm.iri] = cm
        st.mentions.append(cm)
    for mention, quotes in quotes_for(store, mentions).items():
        mentions[mention].quotes = quotes
    for g in places.values():
        g.studies.sort(key=lambda s: (s.year or 0, s.label))
    return ConceptView(
        iri=iri,
        label=rows[0]["label"],
        definition=rows[0].get("definition"),
        alt_labels=[r["altLabel"] for r in queries.select(store, "pages_concept_altlabels", concept=concept)],
        broader=neighbours["broader"],
        narrower=neighbours["narrower"],
        related=neighbours["related"],
        places=sorted(places.values(), key=lambda g: g.label),
    )
