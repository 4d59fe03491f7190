"""Lookup by IRI for every type, and Relay ``node(id:)`` (the ID is the IRI)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pyoxigraph as ox
import strawberry

from api.graphql.types import base as b


@cache
def registry() -> list[tuple[str, Any]]:
    """(class IRI, GraphQL type) pairs, most specific first: a node is returned as the first type it has."""
    from api.graphql.types import (
        claim,
        concept,
        country,
        dimension,
        evidence,
        fieldwork,
        focus,
        interpretation,
        mention,
        method,
        method_kind,
        polarity,
        purpose,
        recommendation,
        reference,
        region,
        relation,
        relation_type,
        role,
        statistic,
        study,
    )
    from kg.namespaces import BIBO

    pairs = [
        ("Study", study.Study),
        ("FactorMention", mention.FactorMention),
        ("FactorConcept", concept.FactorConcept),
        ("Dimension", dimension.Dimension),
        ("Role", role.Role),
        ("Polarity", polarity.Polarity),
        ("ResearchFocus", focus.ResearchFocus),
        ("Purpose", purpose.Purpose),
        ("Country", country.Country),
        ("Region", region.Region),
        ("Evidence", evidence.Evidence),
        ("Method", method.Method),
        ("MethodKind", method_kind.MethodKind),
        ("Fieldwork", fieldwork.Fieldwork),
        ("Statistic", statistic.Statistic),
        ("Recommendation", recommendation.Recommendation),
        ("Claim", claim.Claim),
        ("UniqueFindingClaim", claim.Claim),
        ("Interpretation", interpretation.Interpretation),
        ("FactorRelation", relation.FactorRelation),
        ("RelationType", relation_type.RelationType),
    ]
    out = [(b.egov(name), cls) for name, cls in pairs]
    out.append((str(BIBO.Document), reference.Reference))
    return out


def type_of(props: dict[str, list[Any]]) -> Any:
    """The GraphQL type for a node's properties, or None."""
    types = props.get(b.TYPE, ())
    for cls_iri, cls in registry():
        if cls_iri in types:
            return cls
    return None


def valid_iri(iri: str) -> bool:
    """Whether ``iri`` is an IRI the store can hold (not one with spaces, control characters or no scheme)."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


async def nodes(info: strawberry.Info, iris: list[str]) -> list[Any]:
    """The typed objects for ``iris`` (nodes of no known type, and strings that are no IRI, are left out)."""
    iris = [i for i in iris if valid_iri(i)]
    found = await info.context.loaders.props.load_many(iris) if iris else []
    out = []
    for i, p in zip(iris, found, strict=True):
        cls = type_of(p)
        if cls is not None:
            out.append(cls.from_props(i, p))
    return out


async def node(info: strawberry.Info, id: strawberry.ID) -> b.Node | None:
    """Relay: the object with this global ID (its IRI), whatever its type."""
    found = await nodes(info, [str(id)])
    return found[0] if found else None


async def typed(info: strawberry.Info, iri: str, kind: str, cls: Any) -> Any:
    """The object of type ``cls`` at ``iri`` (a full IRI, or a key under ``id/<kind>/``), or None."""
    from kg.compare import GroupError, expand

    try:
        full = expand(kind, iri)
    except GroupError as e:
        from api.graphql.errors import UserError

        raise UserError(str(e)) from e
    if not valid_iri(full):
        from api.graphql.errors import UserError

        raise UserError(f"{iri!r} is not a valid IRI")
    p = await info.context.loaders.props.load(full)
    found = type_of(p)
    return cls.from_props(full, p) if found is cls else None
