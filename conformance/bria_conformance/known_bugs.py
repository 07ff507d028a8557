"""Deviations of the bundled mock that are reported, not hidden.

A Schemathesis failure fully explained by one of these is recorded and the test is reported as
an expected failure naming the bug, instead of failing the run. They apply to mock targets
only: on any other server the same behaviour is an ordinary violation. Each entry should go away
once the mock is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from schemathesis.core.failures import Failure
from schemathesis.generation.case import Case


@dataclass(frozen=True)
class KnownBug:
    key: str
    reason: str
    matches: Callable[[Failure, Case[Any], int, str, str], bool]


def _starlette_not_found(
    failure: Failure, case: Case[Any], status: int, content_type: str, text: str
) -> bool:
    return status == 404 and content_type.startswith("text/plain") and text.strip() == "Not Found"


def _null_json_body(
    failure: Failure, case: Case[Any], status: int, content_type: str, text: str
) -> bool:
    return (
        type(failure).__name__ == "AcceptedNegativeData"
        and case.body is None
        and (case.media_type or "").endswith("json")
    )


def _regenerate_without_schema(
    failure: Failure, case: Case[Any], status: int, content_type: str, text: str
) -> bool:
    return (
        type(failure).__name__ == "UndefinedStatusCode"
        and status == 409
        and case.operation.method.upper() == "PUT"
        and case.operation.path.endswith("/images")
    )


def _whitespace_path_405(
    failure: Failure, case: Case[Any], status: int, content_type: str, text: str
) -> bool:
    # Coverage-phase values may arrive already percent-encoded.
    values = [unquote(v) for v in (case.path_parameters or {}).values() if isinstance(v, str)]
    return (
        type(failure).__name__ == "UndefinedStatusCode"
        and status == 405
        and any(v != v.strip() or not v.strip() for v in values)
    )


KNOWN_BUGS = [
    KnownBug(
        "mock-control-char-404",
        "bria_mock: a path whose decoded form holds a line break (e.g. a path parameter with %0A) "
        "misses the catch-all route and Starlette answers 404 text/plain 'Not Found' instead of "
        "the JSON error envelope",
        _starlette_not_found,
    ),
    KnownBug(
        "mock-whitespace-path-405",
        "bria_mock: a path parameter that is only whitespace (e.g. %0D) is stripped away, so the "
        "path matches the parent collection and the mock answers 405, a status the operation "
        "does not declare, instead of refusing the parameter with 400",
        _whitespace_path_405,
    ),
    KnownBug(
        "mock-null-json-body",
        "bria_mock: a JSON body of `null` is taken as an empty object and accepted, although the "
        "operation declares an object body",
        _null_json_body,
    ),
    KnownBug(
        "mock-regenerate-409",
        "bria_mock: Regenerate All Captions on a dataset without visual_schema answers 409, a "
        "status "
        "the operation does not declare (202/400/401/403/404/429/500)",
        _regenerate_without_schema,
    ),
]


def explain(
    failure: Failure, case: Case[Any], status: int, content_type: str, text: str
) -> KnownBug | None:
    for bug in KNOWN_BUGS:
        if bug.matches(failure, case, status, content_type, text):
            return bug
    return None
