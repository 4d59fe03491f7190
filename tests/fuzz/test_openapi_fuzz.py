"""Schemathesis against the app's OpenAPI description: every REST operation, generated inputs sent to a real server,
no 5xx and no stack trace or internal path in any body. Bounded examples so that CI stays fast.

The operations come from the app's own description (built in process, no store needed), one test per operation;
schemathesis's pytest plugin is not used because it does not run under pytest 9.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from api.config import Settings
from api.main import create_app

TOKEN = "fuzz-write-token-3b9d"  # the fuzz server's write token
LEAKS = re.compile(r"Traceback|/work/|\.py\"|File \"/|site-packages|\.venv/|line \d+, in ")
MAX_EXAMPLES = 30
SCHEMA = schemathesis.openapi.from_dict(create_app(Settings(store="memory:")).openapi())
OPERATIONS = {op.label: op for op in (r.ok() for r in SCHEMA.get_all_operations())}
# /graphql is not a REST route (plain Starlette routes, outside the OpenAPI description): tests/fuzz fuzzes it
# through its GraphQL schema instead.
EXPECTED = ("GET /health", "GET /metrics", "GET /sparql", "POST /sparql",
            "GET /dumps/", "GET /dumps/{name}", "POST /studies", "PUT /studies/{key}", "DELETE /studies/{key}",
            "GET /compare", "GET /network", "GET /tables/{number}.csv", "GET /id/{rest}", "GET /.well-known/void")


@schemathesis.check
def rest_clean(ctx, response, case) -> None:
    """No stack trace or internal path in the body."""
    leak = LEAKS.search(response.text)
    if leak is not None:
        raise AssertionError(f"{case.method} {case.formatted_path}: {response.status_code} leaks {leak.group()!r}: "
                             f"{response.text[:300]}")


def test_every_rest_route_is_described():
    """The fuzzing covers what the description names: check that it names the routes of the issues."""
    missing = [e for e in EXPECTED if e not in OPERATIONS]
    assert not missing, f"missing from the OpenAPI description: {missing}; it has {sorted(OPERATIONS)}"


def fuzz(label: str, base_url: str, headers: dict[str, str] | None = None) -> int:
    """Run the operation's generated cases against the server; return how many ran."""
    ran = [0]

    @given(case=OPERATIONS[label].as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        response = case.call(base_url=base_url, headers=headers, timeout=60)
        case.validate_response(response, checks=[not_a_server_error, rest_clean])
        ran[0] += 1

    run()
    return ran[0]


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_rest_fuzz_anonymous(fuzz_server, label):
    """Anonymous clients: reads answer, writes are refused, nothing is a 5xx or leaks."""
    assert fuzz(label, fuzz_server.url) > 0


@pytest.mark.parametrize("label", sorted(k for k in OPERATIONS if "/studies" in k))
def test_rest_fuzz_writes_with_the_token(fuzz_server, label):
    """With the write token, generated uploads reach the ingest code: every refusal is a 4xx with a message."""
    assert fuzz(label, fuzz_server.url, {"Authorization": f"Bearer {TOKEN}"}) > 0
