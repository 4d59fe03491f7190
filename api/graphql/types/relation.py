"""FactorRelation: a relation a study states between a factor and another factor or an effect."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import EvidenceT, MentionT, RelationTypeT, StudyT


@strawberry.type(
    description="A relation a study states from a factor mention to another factor mention or to an effect."
)
class FactorRelation(b.Node):
    section: str | None
    effect: str | None = strawberry.field(description="The effect, when the relation's object is not a factor.")
    from_iri: strawberry.Private[str | None]
    to_iri: strawberry.Private[str | None]
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> FactorRelation:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            section=b.text(p, b.egov("section")),
            effect=b.text(p, b.egov("effect")),
            from_iri=b.text(p, b.egov("fromFactor")),
            to_iri=b.text(p, b.egov("toFactor")),
            _p=p,
        )

    @strawberry.field(name="from", description="The factor that is the relation's subject.")
    async def from_factor(self, info: strawberry.Info) -> MentionT | None:
        from api.graphql.types.mention import FactorMention

        return await rel.obj(info, self.from_iri, FactorMention)

    @strawberry.field(name="to", description="The factor that is the relation's object, if it is a factor.")
    async def to_factor(self, info: strawberry.Info) -> MentionT | None:
        from api.graphql.types.mention import FactorMention

        return await rel.obj(info, self.to_iri, FactorMention)

    @strawberry.field(description="The kind of relation (depends on, caused by, impedes).")
    async def relation_type(self, info: strawberry.Info) -> RelationTypeT | None:
        from api.graphql.types.relation_type import RelationType

        return await rel.obj(info, b.text(self._p, b.egov("relationType")), RelationType)

    @strawberry.field(description="The evidence for the relation.")
    async def evidence(self, info: strawberry.Info) -> list[EvidenceT]:
        from api.graphql.types.evidence import Evidence

        return await rel.objects(info, b.iris(self._p, b.egov("evidence")), Evidence)

    @strawberry.field(description="The study that states the relation.")
    async def study(self, info: strawberry.Info) -> StudyT | None:
        from api.graphql.types.study import Study

        return await rel.obj(info, b.text(self._p, b.DERIVED_FROM), Study)
