"""Filter inputs of the list connections (values are IRIs or short keys, e.g. `china`, `organizational-managerial`)."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Criteria on factor mentions; all given criteria must hold.")
class MentionFilter:
    dimension: str | None = None
    role: str | None = None
    polarity: str | None = strawberry.field(default=None, description="`external` or `internal` (from the role).")
    study: str | None = None
    concept: str | None = None
    place: str | None = strawberry.field(default=None, description="Country or region of the reporting study.")
    focus: str | None = strawberry.field(default=None, description="Research focus of the reporting study.")
    purpose: str | None = strawberry.field(default=None, description="A purpose the reporting study considers.")
    year_from: int | None = None
    year_to: int | None = None
    text: str | None = strawberry.field(default=None, description="Case-insensitive search of label and description.")


@strawberry.input(
    description="Criteria on studies; all given criteria must hold. The mention criteria keep the "
    "studies that report at least one such mention."
)
class StudyFilter:
    place: str | None = strawberry.field(default=None, description="Country or region (a country's region counts).")
    focus: str | None = None
    purpose: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    dimension: str | None = None
    role: str | None = None
    polarity: str | None = None
    concept: str | None = None
    text: str | None = strawberry.field(default=None, description="Search of label, title, authors, description.")


@strawberry.input(
    description="Criteria on factor concepts: the mention criteria keep the concepts that at least "
    "one such mention is aligned to."
)
class ConceptFilter:
    dimension: str | None = None
    role: str | None = None
    polarity: str | None = None
    place: str | None = strawberry.field(default=None, description="Country or region of a reporting study.")
    text: str | None = strawberry.field(default=None, description="Search of labels and definition.")


@strawberry.input(
    description="Criteria on evidence, statistics, claims, recommendations, methods, relations and interpretations."
)
class ItemFilter:
    study: str | None = strawberry.field(default=None, description="The study the items belong to.")
    text: str | None = strawberry.field(default=None, description="Search of label, quote, justification, description.")
