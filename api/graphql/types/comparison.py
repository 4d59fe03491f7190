"""Comparison: the factor concepts two groups of studies both report, and those only one reports (kg.compare)."""

from __future__ import annotations

from enum import Enum

import strawberry

from api.graphql.types.refs import ConceptT, MentionT, StudyT


@strawberry.enum(description="How the other group matches a concept.")
class AlignmentStrength(Enum):
    EXACT = "exact"
    BROADER = "broader"
    NARROWER = "narrower"


@strawberry.input(description="A group of studies: all given criteria must hold (values are IRIs or short keys, "
                              "e.g. `place: \"western\"`, `studies: [\"zheng-2013\"]`).")
class StudyGroup:
    place: str | None = strawberry.field(default=None, description="Country or region (a country's region counts).")
    focus: str | None = None
    purpose: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    studies: list[str] | None = strawberry.field(default=None, description="Restrict to these studies.")


@strawberry.type(description="One group's side of a compared concept: its studies and mentions aligned to the concept.")
class ComparisonSide:
    studies: list[StudyT]
    mentions: list[MentionT]


@strawberry.type(description="One factor concept in a comparison: how the other group matches it, and each side's "
                             "studies, mentions (and through them, evidence).")
class ConceptComparison:
    concept: ConceptT
    strength: AlignmentStrength | None = strawberry.field(
        description="For concepts both groups report: EXACT (the other group reports the same concept), BROADER (only "
                    "a broader one), NARROWER (only a narrower one). Null for concepts one group alone reports.")
    a: ComparisonSide
    b: ComparisonSide


@strawberry.type(description="The result of comparing group a with group b (the same semantics as `egovkg compare`).")
class Comparison:
    studies_a: list[StudyT]
    studies_b: list[StudyT]
    both: list[ConceptComparison]
    only_a: list[ConceptComparison]
    only_b: list[ConceptComparison]
