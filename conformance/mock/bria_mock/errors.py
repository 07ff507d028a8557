"""Client-facing errors and the body shapes Bria documents for them.

Which shape a status gets is read from the operation's declared response schema, so the mock
answers in whatever shape the normalized spec promises: a JSON string (403), ``{"message"}``
(409 on delete model), ``{"errors": [...]}`` (start_training bounds), ``{"status": "NOT_FOUND"}``
(status service) or Bria's envelope ``{"error": {code, message, details}, "request_id"}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

JSON = Any


class ApiError(Exception):
    """A request the mock refuses; never a server fault.

    ``status`` may list alternatives in order of preference: the first one the operation declares
    is used, so a rule never answers with a status the spec does not promise when an equally
    truthful declared one exists.
    """

    def __init__(
        self,
        status: int | Sequence[int],
        message: str,
        *,
        details: str = "",
        field_errors: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.statuses: tuple[int, ...] = (status,) if isinstance(status, int) else tuple(status)
        self.message = message
        self.details = details
        self.field_errors = field_errors
        self.headers = dict(headers or {})

    def choose_status(self, declared: Sequence[str] | None) -> int:
        if declared:
            for status in self.statuses:
                if str(status) in declared:
                    return status
        return self.statuses[0]


def _properties(schema: Mapping[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = dict(schema.get("properties") or {})
    for part in schema.get("allOf") or ():
        if isinstance(part, Mapping):
            props.update(_properties(part))
    return props


def _shape_of(schema: Any, field_errors: bool) -> tuple[str, Any]:
    if not isinstance(schema, Mapping):
        return ("envelope", None)
    alternatives = schema.get("oneOf") or schema.get("anyOf")
    if alternatives:
        shapes = [_shape_of(alt, field_errors) for alt in alternatives]
        wanted = "errors" if field_errors else "message"
        for shape in shapes:
            if shape[0] == wanted:
                return shape
        return shapes[0]
    schema_type = schema.get("type")
    if schema_type == "string" or (isinstance(schema_type, list) and "string" in schema_type):
        return ("string", None)
    props = _properties(schema)
    if "error" in props:
        return ("envelope", None)
    if "errors" in props:
        return ("errors", None)
    if "message" in props:
        return ("message", None)
    status = props.get("status")
    if isinstance(status, Mapping) and status.get("enum"):
        return ("status", status["enum"][0])
    return ("envelope", None)


def error_body(
    schema: Any,
    status: int,
    message: str,
    details: str,
    request_id: str,
    field_errors: list[dict[str, Any]] | None,
) -> JSON:
    shape, extra = _shape_of(schema, bool(field_errors))
    if shape == "string":
        return message
    if shape == "message":
        return {"message": message}
    if shape == "errors":
        errors = field_errors or [{"msg": message, "field_name": "", "field_input": ""}]
        return {"errors": errors}
    if shape == "status":
        return {"status": extra}
    return {
        "error": {"code": status, "message": message, "details": details or message},
        "request_id": request_id,
    }
