"""Stateless property tests: every operation, valid and invalid generated requests.

Schemathesis's built-in checks (server errors, status codes, content types, response schemas,
negative data rejection, ignored auth) run with the suite's own checks on every response.
"""

from __future__ import annotations

from typing import Any

import pytest
from schemathesis.core.failures import FailureGroup

from bria_conformance import runtime, spec, throttle
from bria_conformance.api import is_paid, live_permission_problem, skip_if_not_modelled
from bria_conformance.journal import MASK
from bria_conformance.stateless import (
    build_schema,
    entry_for,
    is_negative,
    keep_for_cleanup,
    point_at_world,
)

schema = build_schema(runtime.current())


@pytest.mark.catalog(
    "auth.token-required",
    "shape.error-envelope",
    "shape.no-server-error",
    "shape.forbidden-is-string",
    "shape.documented-routes",
    "shape.ids-are-integers",
    "shape.timestamps-rfc3339",
    "limit.rate-limit-429",
    "status.status-url",
)
@schema.parametrize()
def test_operation(case: Any, bria_run: Any, world: Any) -> None:
    operation_id = spec.operation_id(case.operation.method, case.operation.path) or "unknown"
    target = bria_run.target
    problem = live_permission_problem(target, case.operation.method, case.operation.path)
    if problem:
        pytest.skip(problem)
    if target.is_live and is_paid(case.operation.path) and not is_negative(case):
        return  # never sent: a valid paid request would be charged; invalid ones are refused
    try:
        world.ensure()
        if not point_at_world(case, world, bria_run, operation_id):
            return  # never sent: a live write naming ids the run did not make
    except Exception:
        bria_run.blame(f"op.{operation_id}.responses")
        raise
    # An invalid case must be refused: it spends no training or generation on a conforming
    # target (live start_training cases also name a model that cannot train).
    kind = bria_run.budget.before(case.method, case.formatted_path, refused=is_negative(case))
    bria_run.schemathesis_cases += 1
    try:
        response = bria_run.throttle.send(
            lambda: case.call(headers={"api_token": bria_run.target.token}),
            lambda r: r.status_code,
            throttle.schemathesis_headers,
            case.operation.label,
        )
    except Exception:
        # The exchange itself broke (e.g. an unreadable response): a fault of this operation.
        bria_run.blame(f"op.{operation_id}.responses")
        raise
    bria_run.budget.after(kind, response.status_code)
    if (
        case.method.upper() == "DELETE"
        and response.status_code < 300
        and case.id not in bria_run.seeded_cases
    ):
        # A random id hit one of the world's resources: rebuild it before the next case.
        world.ready = False
    if target.is_live:
        keep_for_cleanup(response, world, operation_id)
    skip_if_not_modelled(response.headers, operation_id)
    try:
        case.validate_response(response, headers={"api_token": bria_run.target.token})
    except FailureGroup as group:
        for failure in group.exceptions:
            bria_run.blame(entry_for(failure, operation_id))
        bria_run.journal.reproductions.append(case.as_curl_command(headers={"api_token": MASK}))
        bria_run.messages[bria_run.current_nodeid] = str(group.message)
        raise
