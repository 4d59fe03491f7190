"""Statistic: a figure a study reports, with unit, reference date and cited source."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import ReferenceT, StudyT


@strawberry.type(description="A figure a study reports, with its unit, reference date and the source it cites.")
class Statistic(b.Node):
    label: str | None
    value: float | None
    unit: str | None
    reference_date: str | None
    section: str | None
    inconsistency_notes: list[str]
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Statistic:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            label=b.text(p, b.LABEL),
            value=b.number(p, b.egov("value")),
            unit=b.text(p, b.egov("unit")),
            reference_date=b.text(p, b.egov("referenceDate")),
            section=b.text(p, b.egov("section")),
            inconsistency_notes=b.texts(p, b.egov("inconsistencyNote")),
            _p=p,
        )

    @strawberry.field(description="The publication the study cites for the figure.")
    async def cited_source(self, info: strawberry.Info) -> ReferenceT | None:
        from api.graphql.types.reference import Reference

        return await rel.obj(info, b.text(self._p, b.egov("citedSource")), Reference)

    @strawberry.field(description="The study that reports the figure.")
    async def study(self, info: strawberry.Info) -> StudyT | None:
        from api.graphql.types.study import Study

        return await rel.obj(info, b.text(self._p, b.DERIVED_FROM), Study)
