"""Interpretation: a judgement the curators made (a concept alignment, a country), with its justification."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import NodeT


@strawberry.type(
    description="A judgement made by the curators of this knowledge graph rather than stated by the "
    "source, such as a mention's concept alignment or a study's country, with a one-line "
    "justification."
)
class Interpretation(b.Node):
    justification: str | None
    interpreted_properties: list[str] = strawberry.field(description="The properties whose values it justifies.")
    attributed_to: str | None = strawberry.field(description="The agent responsible (the curators).")

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Interpretation:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            justification=b.text(p, b.egov("justification")),
            interpreted_properties=b.iris(p, b.egov("interpretedProperty")),
            attributed_to=b.text(p, b.ATTRIBUTED_TO),
        )

    @strawberry.field(description="The nodes (studies, mentions) this interpretation is about.")
    async def subjects(self, info: strawberry.Info) -> list[NodeT]:
        from api.graphql.resolvers.lookup import nodes

        return await nodes(info, await rel.inverse(info, self.iri, b.egov("interpretation")))
