"""FactorConcept: a canonical factor of the concept scheme, to which mentions of all studies are aligned."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import ClaimT, ConceptT, MentionT, StudyT


@strawberry.type(
    description="A canonical factor in the factor concept scheme (SKOS); mentions of different "
    "studies are aligned to it so that they can be compared."
)
class FactorConcept(b.Node):
    label: str | None = strawberry.field(description="The preferred label.")
    alt_labels: list[str]
    definition: str | None
    scope_notes: list[str]
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> FactorConcept:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            label=b.text(p, b.PREF),
            alt_labels=b.texts(p, b.ALT),
            definition=b.text(p, b.DEFINITION),
            scope_notes=b.texts(p, b.SCOPE_NOTE),
            _p=p,
        )

    @strawberry.field(description="The broader concepts (skos:broader).")
    async def broader(self, info: strawberry.Info) -> list[ConceptT]:
        return await rel.objects(info, b.iris(self._p, b.BROADER), FactorConcept)

    @strawberry.field(description="The narrower concepts (those whose skos:broader is this one).")
    async def narrower(self, info: strawberry.Info) -> list[ConceptT]:
        return await rel.objects(info, await rel.inverse(info, self.iri, b.BROADER), FactorConcept)

    @strawberry.field(description="Associated concepts (skos:related); not counted as matches by compare.")
    async def related(self, info: strawberry.Info) -> list[ConceptT]:
        return await rel.objects(info, b.iris(self._p, b.RELATED), FactorConcept)

    @strawberry.field(
        description="The mentions aligned to this concept across all studies, optionally of one dimension or role."
    )
    async def mentions(
        self, info: strawberry.Info, dimension: str | None = None, role: str | None = None
    ) -> list[MentionT]:
        from api.graphql.types.mention import FactorMention

        found = await rel.objects(info, await rel.inverse(info, self.iri, b.egov("concept")), FactorMention)
        return FactorMention.filter(found, dimension=dimension, role=role)

    @strawberry.field(description="The studies that report a mention aligned to this concept.")
    async def studies(self, info: strawberry.Info) -> list[StudyT]:
        from api.graphql.types.mention import FactorMention
        from api.graphql.types.study import Study

        found = await rel.objects(info, await rel.inverse(info, self.iri, b.egov("concept")), FactorMention)
        return await rel.objects(info, sorted({b.text(m._p, b.egov("reportedIn")) or "" for m in found} - {""}), Study)

    @strawberry.field(description="The claims that concern this concept.")
    async def claims(self, info: strawberry.Info) -> list[ClaimT]:
        from api.graphql.types.claim import Claim

        return await rel.objects(info, await rel.inverse(info, self.iri, b.egov("concernsConcept")), Claim)
