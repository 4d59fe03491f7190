"""Lazy references between type modules (types refer to each other; strawberry resolves these on first use)."""

from typing import Annotated

import strawberry

StudyT = Annotated["Study", strawberry.lazy("api.graphql.types.study")]
MentionT = Annotated["FactorMention", strawberry.lazy("api.graphql.types.mention")]
ConceptT = Annotated["FactorConcept", strawberry.lazy("api.graphql.types.concept")]
DimensionT = Annotated["Dimension", strawberry.lazy("api.graphql.types.dimension")]
RoleT = Annotated["Role", strawberry.lazy("api.graphql.types.role")]
PolarityT = Annotated["Polarity", strawberry.lazy("api.graphql.types.polarity")]
FocusT = Annotated["ResearchFocus", strawberry.lazy("api.graphql.types.focus")]
PurposeT = Annotated["Purpose", strawberry.lazy("api.graphql.types.purpose")]
CountryT = Annotated["Country", strawberry.lazy("api.graphql.types.country")]
RegionT = Annotated["Region", strawberry.lazy("api.graphql.types.region")]
EvidenceT = Annotated["Evidence", strawberry.lazy("api.graphql.types.evidence")]
MethodT = Annotated["Method", strawberry.lazy("api.graphql.types.method")]
MethodKindT = Annotated["MethodKind", strawberry.lazy("api.graphql.types.method_kind")]
FieldworkT = Annotated["Fieldwork", strawberry.lazy("api.graphql.types.fieldwork")]
StatisticT = Annotated["Statistic", strawberry.lazy("api.graphql.types.statistic")]
RecommendationT = Annotated["Recommendation", strawberry.lazy("api.graphql.types.recommendation")]
ClaimT = Annotated["Claim", strawberry.lazy("api.graphql.types.claim")]
InterpretationT = Annotated["Interpretation", strawberry.lazy("api.graphql.types.interpretation")]
RelationT = Annotated["FactorRelation", strawberry.lazy("api.graphql.types.relation")]
RelationTypeT = Annotated["RelationType", strawberry.lazy("api.graphql.types.relation_type")]
ReferenceT = Annotated["Reference", strawberry.lazy("api.graphql.types.reference")]
NodeT = Annotated["Node", strawberry.lazy("api.graphql.types.base")]
