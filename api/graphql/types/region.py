"""Region: a group of countries used to compare studies."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import CountryT, StudyT


@strawberry.type(
    description="A location that is a group of countries used to compare studies, such as the "
    "Western countries of a literature review."
)
class Region(b.Node):
    label: str | None
    alt_labels: list[str]
    definition: str | None
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Region:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            label=b.text(p, b.LABEL),
            alt_labels=b.texts(p, b.ALT),
            definition=b.text(p, b.DEFINITION),
            _p=p,
        )

    @strawberry.field(description="The countries grouped under this region.")
    async def countries(self, info: strawberry.Info) -> list[CountryT]:
        from api.graphql.types.country import Country

        return await rel.objects(info, await rel.inverse(info, self.iri, b.egov("region")), Country, only="Country")

    @strawberry.field(
        description="The studies of this region: those assigned to it and those of its countries. " + rel.PAGE_ARGS
    )
    async def studies(self, info: strawberry.Info, first: int | None = None, after: str | None = None) -> list[StudyT]:
        from api.graphql.types.study import Study

        direct = await rel.inverse(info, self.iri, b.egov("region"))
        countries = [
            c
            for c, p in zip(direct, await info.context.loaders.props.load_many(direct), strict=True)
            if b.is_a(p, "Country")
        ]
        per_country = await info.context.loaders.inverse.load_many([(c, b.egov("country")) for c in countries])
        via = [s for studies in per_country for s in studies]
        iris = rel.page(info, list(set(direct) - set(countries) | set(via)), first, after, "study")
        return await rel.objects(info, iris, Study, only="Study")
