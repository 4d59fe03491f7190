"""Evidence: a short quotation or passage, located by its section, supporting a mention, relation or claim."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import ClaimT, MentionT, RelationT, StudyT


@strawberry.type(
    description="A short quotation from an interview or a passage of a study, located by its section, "
    "that supports a factor mention, relation or claim."
)
class Evidence(b.Node):
    quote: str | None
    section: str | None
    speaker: str | None = strawberry.field(description="Who said it, as the source describes them (interviews).")
    kind: str | None = strawberry.field(description="`interview` (a quote) or `passage` (the author's text).")
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Evidence:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            quote=b.text(p, b.egov("quote")),
            section=b.text(p, b.egov("section")),
            speaker=b.text(p, b.egov("speaker")),
            kind=b.text(p, b.egov("evidenceKind")),
            _p=p,
        )

    @strawberry.field(description="The study the evidence is taken from.")
    async def study(self, info: strawberry.Info) -> StudyT | None:
        from api.graphql.types.study import Study

        return await rel.obj(info, b.text(self._p, b.DERIVED_FROM), Study)

    @strawberry.field(description="The factor mentions this evidence supports.")
    async def mentions(self, info: strawberry.Info) -> list[MentionT]:
        from api.graphql.types.mention import FactorMention

        subjects = await rel.inverse(info, self.iri, b.egov("evidence"))
        return await rel.objects(info, subjects, FactorMention, only="FactorMention")

    @strawberry.field(description="The factor relations this evidence supports.")
    async def relations(self, info: strawberry.Info) -> list[RelationT]:
        from api.graphql.types.relation import FactorRelation

        subjects = await rel.inverse(info, self.iri, b.egov("evidence"))
        return await rel.objects(info, subjects, FactorRelation, only="FactorRelation")

    @strawberry.field(description="The claims this evidence supports.")
    async def claims(self, info: strawberry.Info) -> list[ClaimT]:
        from api.graphql.types.claim import Claim

        return await rel.objects(info, await rel.inverse(info, self.iri, b.egov("evidence")), Claim, only="Claim")
