"""Claim: a conclusion a study states (a unique-finding claim names the region it compares with)."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import ConceptT, EvidenceT, MentionT, RegionT, StudyT


@strawberry.type(description="A conclusion a study states, summarised in the curators' words.")
class Claim(b.Node):
    label: str | None
    description: str | None
    section: str | None
    unique_finding: bool = strawberry.field(
        description="Whether the claim says a factor is found only in the "
        "study's own country (egov:UniqueFindingClaim)."
    )
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Claim:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            label=b.text(p, b.LABEL),
            description=b.text(p, b.DESCRIPTION),
            section=b.text(p, b.egov("section")),
            unique_finding=b.is_a(p, "UniqueFindingClaim"),
            _p=p,
        )

    @strawberry.field(description="The factor mentions the claim is about.")
    async def factors(self, info: strawberry.Info) -> list[MentionT]:
        from api.graphql.types.mention import FactorMention

        return await rel.objects(info, b.iris(self._p, b.egov("concernsFactor")), FactorMention)

    @strawberry.field(description="The factor concepts the claim is about (as aligned by the curators).")
    async def concepts(self, info: strawberry.Info) -> list[ConceptT]:
        from api.graphql.types.concept import FactorConcept

        return await rel.objects(info, b.iris(self._p, b.egov("concernsConcept")), FactorConcept)

    @strawberry.field(description="The region whose studies a unique-finding claim compares against.")
    async def compared_with(self, info: strawberry.Info) -> RegionT | None:
        from api.graphql.types.region import Region

        return await rel.obj(info, b.text(self._p, b.egov("comparedWith")), Region)

    @strawberry.field(description="The evidence that supports the claim.")
    async def evidence(self, info: strawberry.Info) -> list[EvidenceT]:
        from api.graphql.types.evidence import Evidence

        return await rel.objects(info, b.iris(self._p, b.egov("evidence")), Evidence)

    @strawberry.field(description="The study that states the claim.")
    async def study(self, info: strawberry.Info) -> StudyT | None:
        from api.graphql.types.study import Study

        return await rel.obj(info, b.text(self._p, b.DERIVED_FROM), Study)
