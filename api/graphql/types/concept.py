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
        description="The mentions aligned to this concept across all studies, optionally of one dimension or role. "
        + rel.PAGE_ARGS
    )
    async def mentions(
        self,
        info: strawberry.Info,
        dimension: str | None = None,
        role: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> list[MentionT]:
        from api.graphql.types.mention import FactorMention

        iris = await rel.inverse(info, self.iri, b.egov("concept"))
        if dimension is None and role is None:  # page before loading: only the page's mentions are read
            return await rel.objects(info, rel.page(info, iris, first, after, "mention"), FactorMention)
        found = FactorMention.filter(await rel.objects(info, iris, FactorMention), dimension=dimension, role=role)
        by_iri = {m.iri: m for m in found}
        return [by_iri[i] for i in rel.page(info, list(by_iri), first, after, "mention")]

    @strawberry.field(description="The studies that report a mention aligned to this concept. " + rel.PAGE_ARGS)
    async def studies(self, info: strawberry.Info, first: int | None = None, after: str | None = None) -> list[StudyT]:
        from api.graphql.types.mention import FactorMention
        from api.graphql.types.study import Study

        found = await rel.objects(info, await rel.inverse(info, self.iri, b.egov("concept")), FactorMention)
        studies = list({b.text(m._p, b.egov("reportedIn")) or "" for m in found} - {""})
        return await rel.objects(info, rel.page(info, studies, first, after, "study"), Study)

    @strawberry.field(description="The claims that concern this concept. " + rel.PAGE_ARGS)
    async def claims(self, info: strawberry.Info, first: int | None = None, after: str | None = None) -> list[ClaimT]:
        from api.graphql.types.claim import Claim

        iris = rel.page(info, await rel.inverse(info, self.iri, b.egov("concernsConcept")), first, after, "claim")
        return await rel.objects(info, iris, Claim)
