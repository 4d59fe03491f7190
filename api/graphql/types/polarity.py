"""Polarity: a concept that states whether a factor lies in the external environment or the internal capability."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import RoleT


@strawberry.type(
    description="A concept that states whether a factor lies in the external environment or the internal capability."
)
class Polarity(b.VocabularyTerm):
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Polarity:
        """Build from the node's properties."""
        return cls(**b.term_fields(iri, p), _p=p)

    @strawberry.field(description="The roles of this polarity.")
    async def roles(self, info: strawberry.Info) -> list[RoleT]:
        from api.graphql.types.role import Role

        return await rel.objects(info, await rel.inverse(info, self.iri, b.egov("rolePolarity")), Role)
