"""Comparison: the factor concepts two groups of studies both report, and those only one reports (kg.compare)."""

from __future__ import annotations

import asyncio
from enum import Enum

import strawberry

from api.graphql.resolvers import relations as rel
from api.graphql.types.refs import ConceptT, MentionT, StudyT


@strawberry.enum(description="How the other group matches a concept.")
class AlignmentStrength(Enum):
    EXACT = "exact"
    BROADER = "broader"
    NARROWER = "narrower"


@strawberry.input(
    description="A group of studies: all given criteria must hold (values are IRIs or short keys, "
    'e.g. `place: "western"`, `studies: ["zheng-2013"]`).'
)
class StudyGroup:
    place: str | None = strawberry.field(default=None, description="Country or region (a country's region counts).")
    focus: str | None = None
    purpose: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    studies: list[str] | None = strawberry.field(default=None, description="Restrict to these studies.")


@strawberry.type(description="One group's side of a compared concept: its studies and mentions aligned to the concept.")
class ComparisonSide:
    study_iris: strawberry.Private[list[str]]
    mention_iris: strawberry.Private[list[str]]

    @strawberry.field(description="The group's studies that report the concept.")
    async def studies(self, info: strawberry.Info) -> list[StudyT]:
        from api.graphql.types.study import Study

        return await rel.objects(info, self.study_iris, Study)

    @strawberry.field(description="The group's mentions aligned to the concept (their evidence is a field of each).")
    async def mentions(self, info: strawberry.Info) -> list[MentionT]:
        from api.graphql.types.mention import FactorMention

        return await rel.objects(info, self.mention_iris, FactorMention)


@strawberry.type(
    description="One factor concept in a comparison: how the other group matches it, and each side's "
    "studies, mentions (and through them, evidence)."
)
class ConceptComparison:
    concept_iri: strawberry.Private[str]
    strength: AlignmentStrength | None = strawberry.field(
        description="For concepts both groups report: EXACT (the other group reports the same concept), BROADER (only "
        "a broader one), NARROWER (only a narrower one). Null for concepts one group alone reports."
    )
    a: ComparisonSide
    b: ComparisonSide

    entries: strawberry.Private[dict[str, ConceptComparison]]
    """Every entry of the comparison by concept IRI (shared by all entries), for ``counterparts``."""

    @strawberry.field(description="The factor concept.")
    async def concept(self, info: strawberry.Info) -> ConceptT:
        from api.graphql.types.concept import FactorConcept

        return await rel.obj(info, self.concept_iri, FactorConcept)

    @strawberry.field(
        description="Through which entries the other group matches this concept: this entry itself (EXACT), the "
        "entries of the broader concepts the other group reports (BROADER) or of the narrower ones (NARROWER), each "
        "with that group's studies and mentions. Empty for concepts one group alone reports."
    )
    async def counterparts(self, info: strawberry.Info) -> list[ConceptComparison]:
        if self.strength is None:
            return []
        if self.strength is AlignmentStrength.EXACT:
            return [self]
        # the side that reports this concept, and the other side's entries
        mine_is_a = bool(self.a.mention_iris)
        others = [e for e in self.entries.values() if (e.b if mine_is_a else e.a).mention_iris and e is not self]
        if self.strength is AlignmentStrength.BROADER:
            above = await ancestors(info, self.concept_iri)
            return [e for e in others if e.concept_iri in above]
        above_each = await asyncio.gather(*(ancestors(info, e.concept_iri) for e in others))  # batched per level
        return [e for e, above in zip(others, above_each, strict=True) if self.concept_iri in above]


async def ancestors(info: strawberry.Info, concept: str) -> set[str]:
    """Every concept above ``concept`` through skos:broader (loaded a level at a time, batched)."""
    from api.graphql.types import base as b

    seen: set[str] = set()
    frontier = [concept]
    while frontier:
        props = await info.context.loaders.props.load_many(frontier)
        frontier = [up for p in props for up in b.iris(p, b.BROADER) if up not in seen]
        seen.update(frontier)
    return seen


@strawberry.type(
    description="The result of comparing group a with group b (the same semantics as `egovkg compare`). "
    "Objects are loaded only for the fields a query selects, in one batch per level."
)
class Comparison:
    study_iris_a: strawberry.Private[list[str]]
    study_iris_b: strawberry.Private[list[str]]
    both: list[ConceptComparison]
    only_a: list[ConceptComparison]
    only_b: list[ConceptComparison]

    @strawberry.field(description="The studies of group a.")
    async def studies_a(self, info: strawberry.Info) -> list[StudyT]:
        from api.graphql.types.study import Study

        return await rel.objects(info, self.study_iris_a, Study)

    @strawberry.field(description="The studies of group b.")
    async def studies_b(self, info: strawberry.Info) -> list[StudyT]:
        from api.graphql.types.study import Study

        return await rel.objects(info, self.study_iris_b, Study)
