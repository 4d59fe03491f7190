"""The IRI criteria of the GraphQL list queries, shared by the tests that check every value of each: how to find
every value of a criterion in the store, with plain triple patterns that none of the tested queries uses."""

VALUES = {
    "dimension": "?x egov:dimension ?v",
    "role": "?x egov:role ?v",
    "polarity": "?x egov:rolePolarity ?v",
    "concept": "?x egov:concept ?v",
    "place": "{ ?x egov:country ?v } UNION { ?x egov:region ?v }",
    "focus": "?x egov:researchFocus ?v",
    "purpose": "?x egov:purpose ?v",
    "study": "?v a egov:Study",
}
"""Criterion -> a pattern binding ``?v`` to each of its values (prefix ``egov:``)."""
