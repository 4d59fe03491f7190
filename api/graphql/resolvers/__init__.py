"""Resolvers as plain functions: lookups, lists (connections), compare, tables, statistics, and relation helpers."""
