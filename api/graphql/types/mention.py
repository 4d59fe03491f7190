"""FactorMention: one factor as one study reports it."""

from __future__ import annotations

import strawberry

from api.graphql.errors import checked_iri
from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import (
    ClaimT,
    ConceptT,
    DimensionT,
    EvidenceT,
    InterpretationT,
    MentionT,
    PolarityT,
    RecommendationT,
    RelationT,
    RoleT,
    StudyT,
)


@strawberry.type(
    description="A factor as one study reports it: its label as written, the dimension and role that "
    "study gives it, the evidence behind it, and the factor concepts it is aligned to."
)
class FactorMention(b.Node):
    label: str | None
    label_as_written: str | None
    alt_labels: list[str]
    description: str | None = strawberry.field(description="What the factor means, in the curators' words.")
    table: str | None = strawberry.field(description="The table of the source paper the mention appears in.")
    table_cell: str | None = strawberry.field(description="The original text of the table cell, before splitting.")
    position_in_cell: int | None
    section: str | None
    inconsistency_notes: list[str]
    dimension_iri: strawberry.Private[str | None]
    role_iri: strawberry.Private[str | None]
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> FactorMention:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            label=b.text(p, b.LABEL),
            label_as_written=b.text(p, b.egov("labelAsWritten")),
            alt_labels=b.texts(p, b.ALT),
            description=b.text(p, b.DESCRIPTION),
            table=b.text(p, b.egov("table")),
            table_cell=b.text(p, b.egov("tableCell")),
            position_in_cell=b.integer(p, b.egov("positionInCell")),
            section=b.text(p, b.egov("section")),
            inconsistency_notes=b.texts(p, b.egov("inconsistencyNote")),
            dimension_iri=b.text(p, b.egov("dimension")),
            role_iri=b.text(p, b.egov("role")),
            _p=p,
        )

    @staticmethod
    def filter(
        mentions: list[FactorMention], dimension: str | None = None, role: str | None = None
    ) -> list[FactorMention]:
        """Keep the mentions of a dimension and/or role (IRIs or keys)."""
        if dimension:
            d = checked_iri("dimension", dimension)
            mentions = [m for m in mentions if m.dimension_iri == d]
        if role:
            r = checked_iri("role", role)
            mentions = [m for m in mentions if m.role_iri == r]
        return mentions

    async def _relation_iris(self, info: strawberry.Info) -> list[str]:
        """The factor relations from or to this mention (both directions in one batch)."""
        keys = [(self.iri, b.egov("fromFactor")), (self.iri, b.egov("toFactor"))]
        out, into = await info.context.loaders.inverse.load_many(keys)
        return sorted(set(out) | set(into))

    @strawberry.field(description="The one study that reports the mention.")
    async def study(self, info: strawberry.Info) -> StudyT | None:
        from api.graphql.types.study import Study

        return await rel.obj(info, b.text(self._p, b.egov("reportedIn")), Study)

    @strawberry.field(description="The dimension the study places the factor in.")
    async def dimension(self, info: strawberry.Info) -> DimensionT | None:
        from api.graphql.types.dimension import Dimension

        return await rel.obj(info, self.dimension_iri, Dimension)

    @strawberry.field(description="The role the study gives the factor.")
    async def role(self, info: strawberry.Info) -> RoleT | None:
        from api.graphql.types.role import Role

        return await rel.obj(info, self.role_iri, Role)

    @strawberry.field(
        description="The polarity, which follows from the role (none for an issue reported without polarity)."
    )
    async def polarity(self, info: strawberry.Info) -> PolarityT | None:
        from api.graphql.types.polarity import Polarity
        from api.graphql.types.role import Role

        pol = b.text(self._p, b.egov("polarity"))
        if pol is None and self.role_iri:
            role = await rel.obj(info, self.role_iri, Role)
            pol = role.polarity_iri if role else None
        return await rel.obj(info, pol, Polarity)

    @strawberry.field(description="The factor concepts the mention is aligned to (the curators' interpretation).")
    async def concepts(self, info: strawberry.Info) -> list[ConceptT]:
        from api.graphql.types.concept import FactorConcept

        return await rel.objects(info, b.iris(self._p, b.egov("concept")), FactorConcept)

    @strawberry.field(description="The evidence (quotes and passages) that supports the mention.")
    async def evidence(self, info: strawberry.Info) -> list[EvidenceT]:
        from api.graphql.types.evidence import Evidence

        return await rel.objects(info, b.iris(self._p, b.egov("evidence")), Evidence)

    @strawberry.field(description="The relations the study states from or to this factor.")
    async def relations(self, info: strawberry.Info) -> list[RelationT]:
        from api.graphql.types.relation import FactorRelation

        return await rel.objects(info, await self._relation_iris(info), FactorRelation)

    @strawberry.field(description="The factors this one is related to by a stated relation, in either direction.")
    async def related_factors(self, info: strawberry.Info) -> list[MentionT]:
        from api.graphql.types.relation import FactorRelation

        rels = await rel.objects(info, await self._relation_iris(info), FactorRelation)
        others = {i for r in rels for i in (r.from_iri, r.to_iri) if i and i != self.iri}
        return await rel.objects(info, sorted(others), FactorMention)

    @strawberry.field(description="The recommendations that address this factor.")
    async def recommendations(self, info: strawberry.Info) -> list[RecommendationT]:
        from api.graphql.types.recommendation import Recommendation

        return await rel.objects(info, await rel.inverse(info, self.iri, b.egov("addresses")), Recommendation)

    @strawberry.field(description="The claims that concern this factor.")
    async def claims(self, info: strawberry.Info) -> list[ClaimT]:
        from api.graphql.types.claim import Claim

        return await rel.objects(info, await rel.inverse(info, self.iri, b.egov("concernsFactor")), Claim)

    @strawberry.field(description="The curators' interpretations about the mention (its concept alignment).")
    async def interpretations(self, info: strawberry.Info) -> list[InterpretationT]:
        from api.graphql.types.interpretation import Interpretation

        return await rel.objects(info, b.iris(self._p, b.egov("interpretation")), Interpretation)
