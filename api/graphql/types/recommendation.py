"""Recommendation: advice a study gives, linked to the factors it addresses."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import MentionT, StudyT


@strawberry.type(description="Advice a study gives to governments or researchers, linked to the factors it addresses.")
class Recommendation(b.Node):
    label: str | None
    description: str | None
    audience: str | None
    section: str | None
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Recommendation:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            label=b.text(p, b.LABEL),
            description=b.text(p, b.DESCRIPTION),
            audience=b.text(p, b.egov("audience")),
            section=b.text(p, b.egov("section")),
            _p=p,
        )

    @strawberry.field(description="The factor mentions (weaknesses, challenges) the recommendation addresses.")
    async def addresses(self, info: strawberry.Info) -> list[MentionT]:
        from api.graphql.types.mention import FactorMention

        return await rel.objects(info, b.iris(self._p, b.egov("addresses")), FactorMention)

    @strawberry.field(description="The study that makes the recommendation.")
    async def study(self, info: strawberry.Info) -> StudyT | None:
        from api.graphql.types.study import Study

        return await rel.obj(info, b.text(self._p, b.DERIVED_FROM), Study)
