"""Schemathesis against the GraphQL schema (the exported SDL): every query and mutation field, generated arguments
and selections, sent to a real server. No 5xx, no stack trace or internal path, and no masked internal error: an
input the resolvers cannot handle must be refused with a readable message, not crash into "Internal error."."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

TOKEN = "fuzz-write-token-3b9d"  # the fuzz server's write token
SDL = Path(__file__).resolve().parents[2] / "api" / "schema.graphql"
LEAKS = re.compile(r"Traceback|/work/|\.py\"|File \"/|site-packages|\.venv/|line \d+, in ")
MASKED = "Internal error."
"""The message of a masked resolver exception (api.graphql.schema)."""
MAX_EXAMPLES = 20
SCHEMA = schemathesis.graphql.from_file(SDL.read_text(encoding="utf-8"))
OPERATIONS = {op.label: op for op in (r.ok() for r in SCHEMA.get_all_operations())}


@schemathesis.check
def graphql_clean(ctx, response, case) -> None:
    """No 5xx, no stack trace, no internal path, and no resolver crash hidden behind the masked message.

    Schemathesis's own ``not_a_server_error`` is not used: for GraphQL it counts every resolver error without an
    Apollo ``BAD_USER_INPUT`` code as a server error, and this API answers input errors with readable messages
    (``UserError``) but no such code. The masked message is what a real crash looks like here.
    """
    if response.status_code >= 500:
        raise AssertionError(f"{response.status_code}: {response.text[:300]}\nquery: {case.body}")
    leak = LEAKS.search(response.text)
    if leak is not None:
        raise AssertionError(f"{response.status_code} leaks {leak.group()!r}: {response.text[:300]}")
    try:
        errors = response.json().get("errors") or []
    except ValueError:
        return
    crashed = [e for e in errors if isinstance(e, dict) and e.get("message") == MASKED]
    if crashed:
        raise AssertionError(f"a resolver crashed on a generated input: {crashed[:3]}\nquery: {case.body}")


def test_every_field_is_fuzzed():
    assert len(OPERATIONS) >= 40 and "Query.compare" in OPERATIONS and "Mutation.addStudy" in OPERATIONS, (
        sorted(OPERATIONS))


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_graphql_fuzz(fuzz_server, label):
    ran = [0]
    headers = {"Authorization": f"Bearer {TOKEN}"} if label.startswith("Mutation.") else None

    @given(case=OPERATIONS[label].as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        response = case.call(base_url=fuzz_server.url + "/graphql", headers=headers, timeout=60)
        case.validate_response(response, checks=[graphql_clean])
        ran[0] += 1

    run()
    assert ran[0] > 0
