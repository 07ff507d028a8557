"""The normalized OpenAPI document every part of the toolkit agrees on."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from bria_tailored.runtime import openapi_document

METHODS = ("get", "put", "post", "delete", "patch")


@cache
def _load() -> dict[str, Any]:
    return openapi_document()


def document() -> dict[str, Any]:
    """A private copy: Schemathesis and the tests may annotate it freely."""
    return copy.deepcopy(_load())


def operations() -> list[tuple[str, str, str]]:
    """(method, path, operationId) for every operation, in document order."""
    found = []
    for path, item in _load()["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                found.append((method.upper(), path, str(op["operationId"])))
    return found


def operation_id(method: str, path: str) -> str | None:
    for m, p, oid in operations():
        if m == method.upper() and p == path:
            return oid
    return None


def _resolve(node: Any) -> Any:
    doc = _load()
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node and node["$ref"] not in seen:
        seen.add(node["$ref"])
        target: Any = doc
        for part in str(node["$ref"]).lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def body_bounds(operation: str) -> dict[str, tuple[str, float | None, float | None]]:
    """(type, minimum, maximum) of each numeric field of ``operation``'s JSON request body that
    declares a bound; the spec is the one home of these numbers."""
    for _, path, oid in operations():
        if oid != operation:
            continue
        for item in _load()["paths"][path].values():
            if not isinstance(item, dict) or item.get("operationId") != operation:
                continue
            content = item.get("requestBody", {}).get("content", {})
            schema = _resolve(content.get("application/json", {}).get("schema", {}))
            found: dict[str, tuple[str, float | None, float | None]] = {}
            for name, raw in schema.get("properties", {}).items():
                prop = _resolve(raw)
                kind = prop.get("type")
                low, high = prop.get("minimum"), prop.get("maximum")
                if kind in ("integer", "number") and (low is not None or high is not None):
                    found[name] = (str(kind), low, high)
            return found
    raise KeyError(f"the spec has no operation {operation!r}")
