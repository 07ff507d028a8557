"""Schemathesis setup for the stateless property tests of the normalized spec."""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from schemathesis.config._checks import NegativeDataRejectionConfig
from schemathesis.core.failures import Failure
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.case import Case
from schemathesis.schemas import BaseSchema

from . import checks, spec
from .documented_forms import accept_documented_forms
from .runtime import Run
from .throttle import wrap_schema_transport
from .world import World

#: Built-in checks that do not fit a stateful, rule-laden API, with the reason.
EXCLUDED_CHECKS = {
    # A schema-valid request is still refused by documented rules the schema cannot express
    # (input combinations, 409 state conflicts, 412 preconditions), so 4xx on positive data is
    # expected; the targeted tests verify the rules themselves.
    "positive_data_acceptance": "documented rules refuse schema-valid requests",
    # Response time is not part of Bria's contract.
    "max_response_time": "not documented",
    # 405 for methods a path does not declare is HTTP etiquette, not a documented Bria promise;
    # routing is checked by existing_resource_is_found instead.
    "unsupported_method": "not documented",
}
_CUSTOM = re.compile(r"Custom check failed: `([^`]+)`")


def build_schema(run: Run) -> BaseSchema:
    doc = spec.document()
    accept_documented_forms(doc)
    doc[checks.SUITE_MARKER] = True
    schema = schemathesis.openapi.from_dict(doc)
    target = run.target
    if target.app is not None:
        schema.app = target.app
    else:
        schema.config.update(base_url=target.base_url)
    schema.config.seed = run.seed
    # Undeclared query parameters are left out of negative cases: Bria's docs do not promise to
    # refuse them, and HTTP APIs commonly ignore them.
    schema.config.generation.update(
        max_examples=run.max_examples, database="none", allow_extra_parameters=False
    )
    schema.config.checks.update(excluded_check_names=list(EXCLUDED_CHECKS))
    # Any 4xx is a refusal; a 5xx is caught by not_a_server_error instead.
    schema.config.checks.negative_data_rejection = NegativeDataRejectionConfig(
        expected_statuses=["4xx"]
    )
    if target.is_live:
        # The coverage phase must not probe paths with methods they do not declare (a DELETE
        # sent where only GET is documented). Writes are sent only when allowed, aimed at the
        # run's own resources (test_stateless.py).
        schema.config.phases.coverage.unexpected_methods = set()
    wrap_schema_transport(schema, run.throttle)
    return schema


def point_at_world(case: Case[Any], world: World, run: Run, operation_id: str) -> bool:
    """Aim a case at existing resources, unless its path is the part made invalid.

    Returns whether the case may be sent: on a live target a write is sent only when every id
    it names is the run's own (a random id could name the account's data).
    """
    meta = case.meta
    writes_live = run.target.is_live and case.method.upper() != "GET"
    if meta is not None and meta.is_negative_at(ParameterLocation.PATH):
        return True
    if case.method.upper() != case.operation.method.upper():
        return True  # a probe with an undeclared method, not a request to this operation
    # Vary: the second case of each operation, and every fourth after it, keeps its random ids,
    # so unknown ids are exercised on every operation given two cases or more. A count, not a
    # draw: the same seed sends the same requests in every run.
    offered = run.offered_world[operation_id]
    run.offered_world[operation_id] = offered + 1
    if offered % 4 == 1 and not writes_live:
        return True
    params = case.path_parameters or {}
    if params:
        ids = world.path_ids(operation_id)
        if not ids or any(ids.get(name) is None for name in params):
            return not writes_live
        for name in params:
            params[name] = ids[name]
        run.seeded_cases.add(case.id)
    positive_body = meta is None or not meta.is_negative_at(ParameterLocation.BODY)
    if (positive_body or writes_live) and isinstance(case.body, dict):
        known = world.body_ids(operation_id)
        for name in BODY_ID_FIELDS:
            value = case.body.get(name)
            # An invalid body keeps an id whose type is what makes it invalid.
            if not positive_body and type(value) is not int:
                continue
            if name in known and name in case.body:
                case.body[name] = known[name]
            elif writes_live and type(value) is int:
                return False
    return True


#: Body fields naming a resource (`World.body_ids` gives the run's own for each).
BODY_ID_FIELDS = ("project_id", "dataset_id", "tailored_model_id")


def is_negative(case: Case[Any]) -> bool:
    """Whether any part of the case was generated invalid (so a server must refuse it)."""
    meta = case.meta
    return meta is not None and any(c.mode.is_negative for c in meta.components.values())


#: Operations whose success makes a project outside the world (named by its generated body).
CREATES_PROJECT = {"create-project": "id", "upload-model": "project_id"}


def keep_for_cleanup(response: Any, world: World, operation_id: str) -> None:
    """Remember a project a generated request made on a live target, to delete it at the end."""
    field = CREATES_PROJECT.get(operation_id)
    if field is None or not 200 <= response.status_code < 300:
        return
    try:
        created = response.json()
    except ValueError:
        return
    project_id = created.get(field) if isinstance(created, dict) else None
    if type(project_id) is int and project_id != world.ids.get("project_id"):
        world.sc.created_projects.append((world.sc.api, project_id))


def entry_for(failure: Failure, operation_id: str) -> str:
    """The catalog entry a Schemathesis failure breaks."""
    kind = type(failure).__name__
    if kind in ("AcceptedNegativeData", "MissingHeaderNotRejected"):
        return f"op.{operation_id}.rejects-invalid"
    if kind == "IgnoredAuth":
        return "auth.token-required"
    if kind == "ServerError":
        return "shape.no-server-error"
    found = _CUSTOM.search(getattr(failure, "title", "") or "")
    if found and found.group(1) in checks.CHECK_ENTRIES:
        return checks.CHECK_ENTRIES[found.group(1)]
    return f"op.{operation_id}.responses"


def describe(obj: Any) -> str:
    return f"{type(obj).__name__}: {obj}"
