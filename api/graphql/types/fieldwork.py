"""Fieldwork: one wave of a study's data collection."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.types import base as b


@strawberry.type(
    description="An activity that is one wave of a study's data collection, with the number of "
    "sessions and the period as the study gives them."
)
class Fieldwork(b.Node):
    label: str | None
    session_count: int | None
    start_date: str | None = strawberry.field(description="To the precision the study gives (year, month or day).")
    end_date: str | None
    section: str | None
    inconsistency_notes: list[str]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Fieldwork:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            label=b.text(p, b.LABEL),
            session_count=b.integer(p, b.egov("sessionCount")),
            start_date=b.text(p, b.egov("startDate")),
            end_date=b.text(p, b.egov("endDate")),
            section=b.text(p, b.egov("section")),
            inconsistency_notes=b.texts(p, b.egov("inconsistencyNote")),
        )
