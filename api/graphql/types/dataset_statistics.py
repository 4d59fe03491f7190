"""DatasetStatistics: counts by type, dimension, role, polarity, country/region, focus and purpose."""

from __future__ import annotations

import strawberry


@strawberry.type(description="How many nodes one key counts.")
class Count:
    key: str = strawberry.field(description="The IRI of the class, dimension, role, polarity, place, focus or purpose.")
    label: str | None
    count: int


@strawberry.type(description="Counts over the whole knowledge graph.")
class DatasetStatistics:
    version: str = strawberry.field(description="The dataset version (changes with every write; the basis of ETags).")
    triples: int = strawberry.field(description="The number of quads in the store.")
    types: list[Count] = strawberry.field(description="Nodes per ontology class.")
    dimensions: list[Count] = strawberry.field(description="Factor mentions per dimension.")
    roles: list[Count] = strawberry.field(description="Factor mentions per role.")
    polarities: list[Count] = strawberry.field(description="Factor mentions per polarity (of their role).")
    places: list[Count] = strawberry.field(description="Studies per country or region (a country's region counts).")
    foci: list[Count] = strawberry.field(description="Studies per research focus.")
    purposes: list[Count] = strawberry.field(description="Studies per purpose.")
