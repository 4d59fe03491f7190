"""RelationType: a concept naming a kind of relation a study states between factors."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import RelationT


@strawberry.type(description="A concept naming a kind of relation a study states between factors.")
class RelationType(b.VocabularyTerm):
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> RelationType:
        """Build from the node's properties."""
        return cls(**b.term_fields(iri, p), _p=p)

    @strawberry.field(description="The factor relations of this kind.")
    async def relations(self, info: strawberry.Info) -> list[RelationT]:
        from api.graphql.types.relation import FactorRelation

        return await rel.objects(info, await rel.inverse(info, self.iri, b.egov("relationType")), FactorRelation)
