"""Country: a sovereign state whose government a study examines."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import RegionT, StudyT


@strawberry.type(description="A location that is a sovereign state whose government a study examines.")
class Country(b.Node):
    label: str | None
    code: str | None = strawberry.field(description="The ISO 3166-1 alpha-2 code (skos:notation).")
    definition: str | None
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Country:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            label=b.text(p, b.LABEL),
            code=b.text(p, b.NOTATION),
            definition=b.text(p, b.DEFINITION),
            _p=p,
        )

    @strawberry.field(description="The regions the country is grouped under for comparison.")
    async def regions(self, info: strawberry.Info) -> list[RegionT]:
        from api.graphql.types.region import Region

        return await rel.objects(info, b.iris(self._p, b.egov("region")), Region)

    @strawberry.field(description="The studies that examine this country's government. " + rel.PAGE_ARGS)
    async def studies(self, info: strawberry.Info, first: int | None = None, after: str | None = None) -> list[StudyT]:
        from api.graphql.types.study import Study

        iris = rel.page(info, await rel.inverse(info, self.iri, b.egov("country")), first, after, "study")
        return await rel.objects(info, iris, Study)
