"""The GraphQL schema: the Query type, a Mutation type assembled from a list, and the limits as extensions."""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.tools import merge_types

from api.config import Settings
from api.graphql.errors import should_mask
from api.graphql.mutations_ingest import IngestMutation
from api.graphql.resolvers import computed, lists, lookup
from api.graphql.types import base
from api.graphql.types.claim import Claim
from api.graphql.types.comparison import Comparison
from api.graphql.types.concept import FactorConcept
from api.graphql.types.country import Country
from api.graphql.types.dataset_statistics import DatasetStatistics
from api.graphql.types.dimension import Dimension
from api.graphql.types.evidence import Evidence
from api.graphql.types.fieldwork import Fieldwork
from api.graphql.types.focus import ResearchFocus
from api.graphql.types.interpretation import Interpretation
from api.graphql.types.mention import FactorMention
from api.graphql.types.method import Method
from api.graphql.types.method_kind import MethodKind
from api.graphql.types.polarity import Polarity
from api.graphql.types.purpose import Purpose
from api.graphql.types.recommendation import Recommendation
from api.graphql.types.reference import Reference
from api.graphql.types.region import Region
from api.graphql.types.relation import FactorRelation
from api.graphql.types.relation_type import RelationType
from api.graphql.types.role import Role
from api.graphql.types.statistic import Statistic
from api.graphql.types.study import Study
from api.graphql.types.table import Table

MUTATION_TYPES: list[type] = [IngestMutation]
"""Mutation classes (``@strawberry.type class …Mutation``) merged into the schema's Mutation type. The API is
read-only today; a write feature (e.g. ingest: ``addStudy``, ``validateStudy``) adds its module's class here."""

ALL_TYPES: list[Any] = [
    Study,
    FactorMention,
    FactorConcept,
    Dimension,
    Role,
    Polarity,
    ResearchFocus,
    Purpose,
    Country,
    Region,
    Evidence,
    Method,
    MethodKind,
    Fieldwork,
    Statistic,
    Recommendation,
    Claim,
    Interpretation,
    FactorRelation,
    RelationType,
    Reference,
]


def _lookup(kind: str, cls: Any, doc: str) -> Any:
    """A lookup-by-IRI field for one type (the IRI may be a key under ``id/<kind>/``)."""

    async def resolve(info: strawberry.Info, iri: str) -> Any:
        return await lookup.typed(info, iri, kind, cls)

    resolve.__annotations__ = {"info": strawberry.Info, "iri": str, "return": cls | None}
    return strawberry.field(resolver=resolve, description=doc)


async def _vocabulary(info: strawberry.Info, cls_name: str, cls: Any) -> list[Any]:
    """Every term of one controlled vocabulary, in the paper's order."""
    from api.graphql.types.base import egov

    found = await lookup.nodes(info, await info.context.loaders.inverse.load((egov(cls_name), base.TYPE)))
    found = [f for f in found if isinstance(f, cls)]
    return sorted(found, key=lambda t: (getattr(t, "order", None) or 99, getattr(t, "label", None) or "", t.iri))


def _all(cls_name: str, cls: Any, doc: str) -> Any:
    async def resolve(info: strawberry.Info) -> Any:
        return await _vocabulary(info, cls_name, cls)

    resolve.__annotations__ = {"info": strawberry.Info, "return": list[cls]}
    return strawberry.field(resolver=resolve, description=doc)


@strawberry.type(
    description="Read the knowledge graph: lookups by IRI, Relay node(id:), filtered lists, compare, "
    "the paper's tables and dataset statistics."
)
class Query:
    node: base.Node | None = strawberry.field(
        resolver=lookup.node, description="Relay: any object by its ID (its IRI)."
    )

    study: Study | None = _lookup("study", Study, "A study by IRI (or key, e.g. `zheng-2013`).")
    mention: FactorMention | None = _lookup("mention", FactorMention, "A factor mention by IRI (or key).")
    concept: FactorConcept | None = _lookup("concept", FactorConcept, "A factor concept by IRI (or key).")
    dimension: Dimension | None = _lookup("dimension", Dimension, "A dimension by IRI (or key).")
    role: Role | None = _lookup("role", Role, "A role by IRI (or key).")
    polarity: Polarity | None = _lookup("polarity", Polarity, "A polarity by IRI (or key).")
    research_focus: ResearchFocus | None = _lookup("focus", ResearchFocus, "A research focus by IRI (or key).")
    purpose: Purpose | None = _lookup("purpose", Purpose, "A purpose by IRI (or key).")
    country: Country | None = _lookup("place", Country, "A country by IRI (or key, e.g. `china`).")
    region: Region | None = _lookup("place", Region, "A region by IRI (or key, e.g. `western`).")
    evidence_item: Evidence | None = _lookup("evidence", Evidence, "A piece of evidence by IRI (or key).")
    method: Method | None = _lookup("method", Method, "A method by IRI (or key).")
    method_kind: MethodKind | None = _lookup("method-kind", MethodKind, "A method kind by IRI (or key).")
    fieldwork: Fieldwork | None = _lookup("method", Fieldwork, "A wave of fieldwork by IRI (or key).")
    statistic: Statistic | None = _lookup("statistic", Statistic, "A statistic by IRI (or key).")
    recommendation: Recommendation | None = _lookup(
        "recommendation", Recommendation, "A recommendation by IRI (or key)."
    )
    claim: Claim | None = _lookup("claim", Claim, "A claim by IRI (or key).")
    interpretation: Interpretation | None = _lookup(
        "interpretation", Interpretation, "An interpretation by IRI (or key)."
    )
    factor_relation: FactorRelation | None = _lookup("relation", FactorRelation, "A factor relation by IRI (or key).")
    relation_type: RelationType | None = _lookup("relation-type", RelationType, "A relation type by IRI (or key).")
    reference: Reference | None = _lookup("reference", Reference, "A cited publication by IRI (or key).")

    studies = strawberry.field(resolver=lists.studies, description="Studies, filtered, a page at a time.")
    mentions = strawberry.field(resolver=lists.mentions, description="Factor mentions, filtered, a page at a time.")
    concepts = strawberry.field(resolver=lists.concepts, description="Factor concepts, filtered, a page at a time.")
    evidence = strawberry.field(resolver=lists.evidence, description="Evidence, filtered, a page at a time.")
    statistics = strawberry.field(resolver=lists.statistics, description="Statistics, a page at a time.")
    claims = strawberry.field(resolver=lists.claims, description="Claims, a page at a time.")
    recommendations = strawberry.field(resolver=lists.recommendations, description="Recommendations, a page at a time.")
    methods = strawberry.field(resolver=lists.methods, description="Methods, a page at a time.")
    factor_relations = strawberry.field(
        resolver=lists.factor_relations, description="Factor relations, a page at a time."
    )
    interpretations = strawberry.field(resolver=lists.interpretations, description="Interpretations, a page at a time.")

    dimensions: list[Dimension] = _all("Dimension", Dimension, "The five dimensions, in the paper's order.")
    roles: list[Role] = _all("Role", Role, "The roles, in order.")
    polarities: list[Polarity] = _all("Polarity", Polarity, "The two polarities.")
    research_foci: list[ResearchFocus] = _all("ResearchFocus", ResearchFocus, "The research foci.")
    purposes: list[Purpose] = _all("Purpose", Purpose, "The purposes.")
    countries: list[Country] = _all("Country", Country, "The countries studies cover.")
    regions: list[Region] = _all("Region", Region, "The regions studies are grouped under.")
    method_kinds: list[MethodKind] = _all("MethodKind", MethodKind, "The kinds of method.")
    relation_types: list[RelationType] = _all("RelationType", RelationType, "The kinds of factor relation.")

    compare: Comparison = strawberry.field(
        resolver=computed.compare,
        description="The factor concepts both groups report (with how strongly they align), and those only a or only b "
        "reports, each with the studies, mentions and evidence on each side.",
    )
    table1: Table = strawberry.field(resolver=computed.table1, description="The paper's Table 1 as a matrix.")
    table2: Table = strawberry.field(
        resolver=computed.table2, description="The paper's Table 2 (or another study's) as a matrix."
    )
    dataset_statistics: DatasetStatistics = strawberry.field(
        resolver=computed.dataset_statistics, description="Counts over the whole knowledge graph."
    )


def extensions(settings: Settings) -> list[Any]:
    """The limits (tokens, depth, aliases), error masking and the parse/validation caches, as factories: strawberry
    builds fresh extension instances per request (an instance holds the request's execution context)."""
    # The depth and alias limiters are validation rules; build their rule classes once, so that the validation
    # cache (keyed by schema, document and rules) hits across requests.
    rules = [
        *QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
    ]
    exts: list[Any] = [
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(AddValidationRules, rules),
        partial(MaskErrors, should_mask_error=should_mask, error_message="Internal error."),
        partial(ParserCache, maxsize=256),  # the LRUs are module-level, shared by the per-request instances
        partial(ValidationCache, maxsize=256),
    ]
    if not settings.introspection:
        exts.append(DisableIntrospection)
    return exts


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the settings' limits."""
    mutation = merge_types("Mutation", tuple(MUTATION_TYPES)) if MUTATION_TYPES else None
    return strawberry.Schema(query=Query, mutation=mutation, types=ALL_TYPES, extensions=extensions(settings))


def sdl() -> str:
    """The schema in SDL (what ``api/schema.graphql`` holds)."""
    return build_schema(Settings.model_construct()).as_str() + "\n"  # defaults: the SDL is the same whatever the limits
