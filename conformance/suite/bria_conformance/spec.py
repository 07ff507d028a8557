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
