"""Dimension: a concept that is one of the five areas into which the source paper sorts factors."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import MentionT


@strawberry.type(description="A concept that is one of the five areas into which the source paper sorts factors.")
class Dimension(b.VocabularyTerm):
    table1_heading: str | None = strawberry.field(description="The heading Table 1 gives the dimension.")
    table2_heading: str | None = strawberry.field(description="The heading Table 2 gives the dimension.")
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Dimension:
        """Build from the node's properties."""
        return cls(
            **b.term_fields(iri, p),
            table1_heading=b.text(p, b.egov("table1Heading")),
            table2_heading=b.text(p, b.egov("table2Heading")),
            _p=p,
        )

    @strawberry.field(description="The mentions placed in this dimension, across all studies. " + rel.PAGE_ARGS)
    async def mentions(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None
    ) -> list[MentionT]:
        from api.graphql.types.mention import FactorMention

        iris = rel.page(info, await rel.inverse(info, self.iri, b.egov("dimension")), first, after, "mention")
        return await rel.objects(info, iris, FactorMention)
