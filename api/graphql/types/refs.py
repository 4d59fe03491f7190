"""Lazy references between type modules (types refer to each other; strawberry resolves these on first use)."""

from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:  # for type checkers and linters; strawberry resolves the lazy references itself
    from api.graphql.types.base import Node  # noqa: F401
    from api.graphql.types.claim import Claim  # noqa: F401
    from api.graphql.types.concept import FactorConcept  # noqa: F401
    from api.graphql.types.country import Country  # noqa: F401
    from api.graphql.types.dimension import Dimension  # noqa: F401
    from api.graphql.types.evidence import Evidence  # noqa: F401
    from api.graphql.types.fieldwork import Fieldwork  # noqa: F401
    from api.graphql.types.focus import ResearchFocus  # noqa: F401
    from api.graphql.types.interpretation import Interpretation  # noqa: F401
    from api.graphql.types.mention import FactorMention  # noqa: F401
    from api.graphql.types.method import Method  # noqa: F401
    from api.graphql.types.method_kind import MethodKind  # noqa: F401
    from api.graphql.types.polarity import Polarity  # noqa: F401
    from api.graphql.types.purpose import Purpose  # noqa: F401
    from api.graphql.types.recommendation import Recommendation  # noqa: F401
    from api.graphql.types.reference import Reference  # noqa: F401
    from api.graphql.types.region import Region  # noqa: F401
    from api.graphql.types.relation import FactorRelation  # noqa: F401
    from api.graphql.types.relation_type import RelationType  # noqa: F401
    from api.graphql.types.role import Role  # noqa: F401
    from api.graphql.types.statistic import Statistic  # noqa: F401
    from api.graphql.types.study import Study  # noqa: F401

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
