"""Reference: a publication a study cites (the source of a statistic or a method)."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.types import base as b


@strawberry.type(description="A publication a study cites, such as the source of a statistic or of a method.")
class Reference(b.Node):
    label: str | None
    title: str | None
    issued: str | None
    citation: str | None

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Reference:
        """Build from the node's properties."""
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            label=b.text(p, b.LABEL),
            title=b.text(p, b.TITLE),
            issued=b.text(p, b.ISSUED),
            citation=b.text(p, b.CITATION),
        )
