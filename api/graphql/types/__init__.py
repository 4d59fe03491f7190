"""GraphQL object types: one per module, each built by a ``from_props`` constructor from a node's properties."""
