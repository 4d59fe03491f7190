"""Method: a plan by which a study collects or analyses its data."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import FieldworkT, MethodKindT, ReferenceT, StudyT


@strawberry.type(
    description="A plan by which a study collects or analyses its data, such as brainstorming focus "
    "groups, semi-structured interviews or grounded-theory coding."
)
class Method(b.Node):
    label: str | None
    description: str | None
    section: str | None
    participants: list[str]
    sample_size: int | None
    group_count: int | None
    software_tools: list[str]
    coding_stages: list[str]
    start_date: str | None
    end_date: str | None
    inconsistency_notes: list[str]
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Method:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            label=b.text(p, b.LABEL),
            description=b.text(p, b.DESCRIPTION),
            section=b.text(p, b.egov("section")),
            participants=b.texts(p, b.egov("participants")),
            sample_size=b.integer(p, b.egov("sampleSize")),
            group_count=b.integer(p, b.egov("groupCount")),
            software_tools=b.texts(p, b.egov("softwareTool")),
            coding_stages=b.texts(p, b.egov("codingStage")),
            start_date=b.text(p, b.egov("startDate")),
            end_date=b.text(p, b.egov("endDate")),
            inconsistency_notes=b.texts(p, b.egov("inconsistencyNote")),
            _p=p,
        )

    @strawberry.field(description="The kind of method.")
    async def kind(self, info: strawberry.Info) -> MethodKindT | None:
        from api.graphql.types.method_kind import MethodKind

        return await rel.obj(info, b.text(self._p, b.egov("methodKind")), MethodKind)

    @strawberry.field(description="The waves of fieldwork carried out with the method.")
    async def fieldwork(self, info: strawberry.Info) -> list[FieldworkT]:
        from api.graphql.types.fieldwork import Fieldwork

        found = await rel.objects(info, b.iris(self._p, b.egov("fieldwork")), Fieldwork)
        return sorted(found, key=lambda f: (f.start_date or "", f.iri))

    @strawberry.field(description="The methodological literature the study cites for the method.")
    async def references(self, info: strawberry.Info) -> list[ReferenceT]:
        from api.graphql.types.reference import Reference

        return await rel.objects(info, b.iris(self._p, b.REFERENCES), Reference)

    @strawberry.field(description="The study that applies the method.")
    async def study(self, info: strawberry.Info) -> StudyT | None:
        from api.graphql.types.study import Study

        found = await rel.objects(info, await rel.inverse(info, self.iri, b.egov("usesMethod")), Study)
        return found[0] if found else None
