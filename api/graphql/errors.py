"""Errors: what a client may read, and the masking of everything else."""

from __future__ import annotations

from graphql import GraphQLError


class UserError(GraphQLError):
    """An error about the client's input (bad group, bad cursor); its message is shown as is."""


def should_mask(error: GraphQLError) -> bool:
    """Mask resolver and internal errors; keep syntax, validation, coercion and UserError messages readable."""
    original = error.original_error
    if original is None:
        return False  # raised by graphql-core itself: parse, validation, variable coercion, limits
    return not isinstance(original, UserError | GraphQLError)


class LimitError(UserError):
    """A request exceeds a server limit (page size); the HTTP layer answers 400."""


def checked_iri(kind: str, value: str) -> str:
    """``value`` (a key under ``id/<kind>/`` or a full IRI) as an IRI the store accepts; a UserError otherwise."""
    import pyoxigraph as ox

    from kg.compare import GroupError, expand

    try:
        full = expand(kind, value)
        ox.NamedNode(full)
    except (GroupError, ValueError) as e:
        raise UserError(f"{value!r} is not a valid {kind} key or IRI") from e
    return full
