"""Role: a concept that states how a factor bears on government social media use."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import MentionT, PolarityT


@strawberry.type(description="A concept that states how a factor bears on government social media use.")
class Role(b.VocabularyTerm):
    table2_heading: str | None = strawberry.field(description="The column heading Table 2 gives the role.")
    polarity_iri: strawberry.Private[str | None]
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Role:
        """Build from the node's properties."""
        return cls(
            **b.term_fields(iri, p),
            table2_heading=b.text(p, b.egov("table2Heading")),
            polarity_iri=b.text(p, b.egov("rolePolarity")),
            _p=p,
        )

    @strawberry.field(description="The polarity every mention in this role has (none for an issue without polarity).")
    async def polarity(self, info: strawberry.Info) -> PolarityT | None:
        from api.graphql.types.polarity import Polarity

        return await rel.obj(info, self.polarity_iri, Polarity)

    @strawberry.field(description="The mentions in this role, across all studies. " + rel.PAGE_ARGS)
    async def mentions(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None
    ) -> list[MentionT]:
        from api.graphql.types.mention import FactorMention

        iris = rel.page(info, await rel.inverse(info, self.iri, b.egov("role")), first, after, "mention")
        return await rel.objects(info, iris, FactorMention)
