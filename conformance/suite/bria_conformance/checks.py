"""The suite's own Schemathesis checks: one documented rule each, one assertion, a clear message.

They are registered globally (that is how Schemathesis finds custom checks), so each first makes
sure the response belongs to an active conformance run on the normalized Bria spec and stays
silent otherwise.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis
from schemathesis import CheckContext, Response
from schemathesis.generation.case import Case

from . import runtime
from .scenario import is_timestamp

#: Root key added to the suite's copy of the spec, so the checks know a case is theirs.
SUITE_MARKER = "x-bria-conformance-suite"
#: Which catalog entry each check verifies (failures are reported against it).
CHECK_ENTRIES = {
    "error_code_matches_status": "shape.error-envelope",
    "forbidden_body_is_string": "shape.forbidden-is-string",
    "retry_after_on_429": "limit.rate-limit-429",
    "existing_resource_is_found": "shape.documented-routes",
    "ids_are_integers": "shape.ids-are-integers",
    "timestamps_are_rfc3339": "shape.timestamps-rfc3339",
    "accepted_job_is_pollable": "status.status-url",
}
ID_FIELDS = ("id", "project_id", "dataset_id", "image_id", "model_id", "checkpoint_step")
TIME_FIELDS = ("created_at", "updated_at")


def _ours(case: Case[Any]) -> bool:
    return runtime.active() is not None and bool(case.operation.schema.raw_schema.get(SUITE_MARKER))


def _json(response: Response) -> Any:
    try:
        return json.loads(response.content or b"null")
    except ValueError:
        return None


def _objects(value: Any) -> list[dict[str, Any]]:
    """Every JSON object in a body, nested ones included."""
    found: list[dict[str, Any]] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


@schemathesis.check
def error_code_matches_status(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """Bria's error envelope repeats the HTTP status in `error.code`."""
    body = _json(response)
    if not _ours(case) or response.status_code < 400 or not isinstance(body, dict):
        return None
    error = body.get("error")
    if not isinstance(error, dict) or "code" not in error:
        return None
    assert error["code"] == response.status_code, (
        f"The error envelope says code {error['code']!r} but the HTTP status is "
        f"{response.status_code}; Bria's envelope repeats the status in error.code."
    )
    return None


@schemathesis.check
def forbidden_body_is_string(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A 403 (quota exceeded / access denied) carries a JSON string."""
    if not _ours(case) or response.status_code != 403:
        return None
    body = _json(response)
    assert isinstance(body, str), (
        f'403 bodies are documented as a JSON string like "Access denied: ...", got {body!r}.'
    )
    return None


@schemathesis.check
def retry_after_on_429(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A `Retry-After` on a 429, when there is one, is a whole number of seconds.

    No Bria document promises the header, so its absence is accepted (docs/contract.md).
    """
    if not _ours(case) or response.status_code != 429:
        return None
    values = response.headers.get("retry-after") or response.headers.get("Retry-After") or []
    value = values[0] if isinstance(values, list) and values else values
    if not value:
        return None
    assert isinstance(value, str) and value.strip().isdigit(), (
        f"Retry-After on a 429 must be a non-negative number of seconds, got {value!r}."
    )
    return None


@schemathesis.check
def existing_resource_is_found(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """A request that names only resources the suite created must not be answered 404."""
    run = runtime.active()
    if not _ours(case) or run is None or case.id not in run.seeded_cases:
        return None
    assert response.status_code != 404, (
        f"{case.operation.label} answered 404 although every id in the path names a resource "
        f"that exists ({case.path_parameters}); the documented route does not reach it."
    )
    return None


def non_integer_ids(payload: Any) -> list[tuple[str, Any]]:
    """Id fields of a body, at any depth, whose value is not an integer (null is no id)."""
    return [
        (key, obj[key])
        for obj in _objects(payload)
        for key in ID_FIELDS
        if key in obj and obj[key] is not None and (type(obj[key]) is not int)
    ]


@schemathesis.check
def ids_are_integers(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Identifiers are integers in every successful body."""
    if not _ours(case) or not 200 <= response.status_code < 300:
        return None
    wrong = non_integer_ids(_json(response))
    assert not wrong, f"Resource ids must be integers; got {wrong[:3]} in {case.operation.label}."
    return None


@schemathesis.check
def timestamps_are_rfc3339(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """created_at / updated_at are ISO date-times (the offset may be missing, as documented)."""
    if not _ours(case) or not 200 <= response.status_code < 300:
        return None
    wrong = [
        (key, obj[key])
        for obj in _objects(_json(response))
        for key in TIME_FIELDS
        if key in obj and obj[key] is not None and not is_timestamp(obj[key])
    ]
    assert not wrong, (
        f"Timestamps are ISO 8601 date-times (`format: date-time`; Bria's examples omit the "
        f"offset, which is accepted); got {wrong[:3]}."
    )
    return None


@schemathesis.check
def accepted_job_is_pollable(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A 202 from a v2 operation names the request its `status_url` polls."""
    if not _ours(case) or response.status_code != 202 or not case.operation.path.startswith("/v2/"):
        return None
    body = _json(response)
    request_id = body.get("request_id") if isinstance(body, dict) else None
    status_url = body.get("status_url") if isinstance(body, dict) else None
    assert (
        isinstance(request_id, str) and isinstance(status_url, str) and request_id in status_url
    ), (
        f"An accepted v2 request must return its request_id and a status_url that polls it; got "
        f"request_id={request_id!r}, status_url={status_url!r}."
    )
    return None
