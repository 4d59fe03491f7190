"""MethodKind: a concept naming a kind of research method."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import MethodT


@strawberry.type(description="A concept naming a kind of research method.")
class MethodKind(b.VocabularyTerm):
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> MethodKind:
        """Build from the node's properties."""
        return cls(**b.term_fields(iri, p), _p=p)

    @strawberry.field(description="The methods of this kind.")
    async def methods(self, info: strawberry.Info) -> list[MethodT]:
        from api.graphql.types.method import Method

        return await rel.objects(info, await rel.inverse(info, self.iri, b.egov("methodKind")), Method)
