"""Operations the spec declares but the mock has no handler for: served from the spec itself.

When Bria adds an operation, the regenerated spec has it before anyone writes its handler. Rather
than refuse to start (which would stop every job that uses the mock), the mock serves it from the
spec: the request is still authenticated and validated like any other, and the answer is the
operation's first success response, built from its example or, failing that, from its schema.
Such answers carry ``x-bria-mock: unimplemented`` so a client or the conformance suite can tell
them from modelled behaviour; the mock's own tests fail while any operation is unmodelled.
"""

from __future__ import annotations

from typing import Any

from .context import Ctx, Handler, Reply
from .spec import HTTP_METHODS, Operation, Spec

UNMODELLED_HEADER = "x-bria-mock"
UNMODELLED_VALUE = "unimplemented"
_MAX_DEPTH = 8


def _deref(doc: dict[str, Any], node: Any) -> Any:
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node and node["$ref"] not in seen:
        seen.add(node["$ref"])
        target: Any = doc
        for raw in str(node["$ref"]).lstrip("#/").split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            target = target.get(token, {}) if isinstance(target, dict) else {}
        node = target
    return node


def _raw_operation(spec: Spec, op: Operation) -> dict[str, Any]:
    item = _deref(spec.doc, (spec.doc.get("paths") or {}).get(op.path) or {})
    method = op.method.lower()
    raw = item.get(method) if method in HTTP_METHODS else None
    return raw if isinstance(raw, dict) else {}


def _example(media: dict[str, Any], doc: dict[str, Any]) -> tuple[bool, Any]:
    if "example" in media:
        return True, media["example"]
    for example in (media.get("examples") or {}).values():
        example = _deref(doc, example)
        if isinstance(example, dict) and "value" in example:
            return True, example["value"]
    schema = _deref(doc, media.get("schema"))
    if isinstance(schema, dict) and "example" in schema:
        return True, schema["example"]
    return False, None


def sample(schema: Any, depth: int = 0) -> Any:
    """A minimal value valid against a resolved JSON schema (required properties only)."""
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return None
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("allOf", "anyOf", "oneOf"):
        parts = schema.get(key)
        if isinstance(parts, list) and parts:
            if key == "allOf":
                merged: dict[str, Any] = {}
                for part in parts:
                    value = sample(part, depth + 1)
                    if isinstance(value, dict):
                        merged.update(value)
                    elif value is not None:
                        return value
                return merged
            return sample(parts[0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        return {
            name: sample(props[name], depth + 1)
            for name in schema.get("required") or ()
            if name in props
        }
    if kind == "array":
        count = int(schema.get("minItems") or 0)
        return [sample(schema.get("items"), depth + 1) for _ in range(count)]
    if kind == "integer":
        return int(schema.get("minimum", 0))
    if kind == "number":
        return float(schema.get("minimum", 0))
    if kind == "boolean":
        return False
    if kind == "string":
        return "x" * int(schema.get("minLength") or 0) or "string"
    return None


def spec_handler(spec: Spec, op: Operation) -> Handler:
    """A handler answering ``op``'s first declared success response from the spec."""
    raw = _raw_operation(spec, op)
    successes = sorted(code for code in op.responses if code.isdigit() and code.startswith("2"))
    status = int(successes[0]) if successes else 200
    response = _deref(spec.doc, (raw.get("responses") or {}).get(str(status)) or {})
    content = response.get("content") if isinstance(response, dict) else None
    body: Any = None
    if isinstance(content, dict) and content and status != 204:
        media = content.get("application/json") or next(iter(content.values()))
        found, body = _example(media if isinstance(media, dict) else {}, spec.doc)
        if not found:
            body = sample(op.responses.get(str(status)))
    headers = {UNMODELLED_HEADER: UNMODELLED_VALUE}

    def handle(ctx: Ctx) -> Reply:
        return Reply(status, body, dict(headers))

    return handle
