"""Purpose: a concept naming a purpose of government social media use that a study considers."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import StudyT


@strawberry.type(description="A concept naming a purpose of government social media use that a study considers.")
class Purpose(b.VocabularyTerm):
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Purpose:
        """Build from the node's properties."""
        return cls(**b.term_fields(iri, p), _p=p)

    @strawberry.field(description="The studies that consider this purpose. " + rel.PAGE_ARGS)
    async def studies(self, info: strawberry.Info, first: int | None = None, after: str | None = None) -> list[StudyT]:
        from api.graphql.types.study import Study

        iris = rel.page(info, await rel.inverse(info, self.iri, b.egov("purpose")), first, after, "study")
        return await rel.objects(info, iris, Study)
