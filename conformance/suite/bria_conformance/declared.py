"""The body each operation declares for a status, held against every answer a scenario expects.

The stateless phase checks generated requests against the spec; the answers only a scenario
reaches (a 409 for a completed dataset, a model after its training, a failed request's status)
are held to the same schemas here, through `scenario.expect`. Only statuses the operation declares
are checked: where the suite tolerates an undeclared one, the scenario says so itself.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import httpx
import schemathesis
from schemathesis.core.failures import Failure

from . import spec
from .documented_forms import accept_documented_forms


@cache
def _schema() -> Any:
    doc = spec.document()
    accept_documented_forms(doc)  # every form Bria documents for a response is accepted
    return schemathesis.openapi.from_dict(doc)


def _plain(response: httpx.Response) -> httpx.Response:
    """The answer with a bodiless copy of its request: the request's body (a stream already sent,
    for an upload) plays no part in validating a response."""
    request = httpx.Request(
        response.request.method, response.request.url, headers=response.request.headers
    )
    plain = httpx.Response(
        response.status_code, headers=response.headers, content=response.content, request=request
    )
    plain.elapsed = response.elapsed if hasattr(response, "_elapsed") else dt.timedelta(0)
    return plain


def problem(response: httpx.Response) -> tuple[str, str] | None:
    """(operationId, what is wrong) when the body breaks the schema declared for its status."""
    request = response.request
    operation = _schema().find_operation_by_path(request.method, request.url.path)
    if operation is None:
        return None
    declared = operation.definition.raw.get("responses") or {}
    if str(response.status_code) not in declared:
        return None
    try:
        operation.validate_response(_plain(response))
    except Failure as failure:
        return str(operation.definition.raw.get("operationId")), failure.title + ": " + (
            failure.message.strip().splitlines()[0] if failure.message.strip() else ""
        )
    return None
