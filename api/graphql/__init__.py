"""The GraphQL API for research portals: types, resolvers, per-request DataLoaders, limits, caches."""
