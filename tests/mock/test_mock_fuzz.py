"""Schemathesis-generated requests against every operation: never a server error.

Valid and invalid inputs alike must be answered with a deliberate status (catalog entry
shape.no-server-error); the bodies of documented statuses must match the spec.
"""

from __future__ import annotations

import schemathesis
from bria_mock import MockConfig, create_app
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

app = create_app(MockConfig())
schema = schemathesis.openapi.from_asgi("/_mock/openapi.json", app)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call(headers={"api_token": "fuzz-token"})
    checks = [not_a_server_error]
    checks.append(response_schema_conformance)
    case.validate_response(response, checks=checks)
