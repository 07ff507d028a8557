"""Hand a response body to the generated client exactly as a call would, and report what it made.

Each operation of the normalized spec is found in ``bria_tailored.api.<tag>.<operation>``; its
``_build_response`` is the function ``sync_detailed`` ends with, so parsing a body here is
parsing it in a real call without building the call's arguments.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import httpx
from bria_tailored import Client
from bria_tailored.runtime.errors import (
    APIStatusError,
    UnexpectedResponseError,
    status_error_from_response,
)
from bria_tailored.runtime.spec import openapi_document
from bria_tailored.types import Response
from openapi_schemas import JsonSchemas

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
NORMALIZED = openapi_document()
_CLIENT = Client(base_url="https://engine.prod.bria-api.com")


def _snake(name: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()


def _operations() -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): op
        for path, item in NORMALIZED["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    }


OPERATIONS = _operations()


def normalized_path(method: str, upstream_path: str) -> str:
    """The normalized path of an upstream operation: its server version moved into the path."""
    for prefix in ("/v1", "/v2"):
        if (method, prefix + upstream_path) in OPERATIONS:
            return prefix + upstream_path
    raise LookupError(f"{method.upper()} {upstream_path} has no operation in the normalized spec")


def endpoint_module(method: str, path: str) -> ModuleType:
    op = OPERATIONS[(method, path)]
    return importlib.import_module(
        f"bria_tailored.api.{_snake(op['tags'][0])}.{_snake(op['operationId'])}"
    )


def concrete_status(status: str) -> int:
    """``5XX`` → 500-range example status; a literal status is itself."""
    return int(status.replace("XX", "03")) if status.endswith("XX") else int(status)


def declared(method: str, path: str, status: int) -> bool:
    responses = OPERATIONS[(method, path)]["responses"]
    return str(status) in responses or f"{str(status)[0]}XX" in responses


_SCHEMAS = JsonSchemas(NORMALIZED)


def serialized(parsed: Any) -> Any:
    """The JSON value the client would send back for ``parsed`` (models via ``to_dict``)."""
    if isinstance(parsed, list):
        return [serialized(item) for item in parsed]
    to_dict = getattr(parsed, "to_dict", None)
    return to_dict() if callable(to_dict) else parsed


def typed_problems(method: str, path: str, status: int, parsed: Any) -> list[str]:
    """Where the parsed value, written back as JSON, breaks the normalized (strict) schema.

    A documented loose form (``"1500"``, a timestamp without offset) must come out of the client
    as the one typed value the normalized spec declares; this is what shows that it did.
    """
    media = OPERATIONS[(method, path)]["responses"].get(str(status), {}).get("content", {})
    schema = media.get("application/json", {}).get("schema")
    if schema is None or parsed is None:
        return []
    validator = _SCHEMAS.validator(schema)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(serialized(parsed))
    ]


def encode(body: Any) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


def parse(
    method: str, path: str, status: int, body: Any, headers: dict[str, str] | None = None
) -> Response[Any]:
    """What the generated client returns for ``status`` + ``body`` on this operation."""
    module = endpoint_module(method, path)
    response = httpx.Response(
        status,
        content=encode(body),
        headers={"content-type": "application/json", **(headers or {})},
        request=httpx.Request(method.upper(), f"https://engine.prod.bria-api.com{path}"),
    )
    result: Response[Any] = module._build_response(client=_CLIENT, response=response)
    return result


@dataclass
class Tally:
    """Counts for the report: bodies parsed, typed errors raised, failures (with where).

    ``typed`` also demands that a parsed success, written back as JSON, satisfies the normalized
    schema: right for documented examples and for the mock, too strict for arbitrary instances of
    Bria's looser upstream schemas (an unknown enum member parses but is not a declared value).
    """

    typed: bool = True
    parsed: int = 0
    typed_errors: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, where: str, method: str, path: str, status: int, body: Any) -> None:
        """Parse one body; a declared success must give a value, an error a typed exception."""
        try:
            result = parse(method, path, status, body)
            if status >= 400:
                error = status_error_from_response(result)
                assert isinstance(error, APIStatusError), type(error)
                assert error.status_code == status
            elif _declares_content(method, path, status):
                assert result.parsed is not None, "declared success parsed to None"
                if self.typed:
                    problems = typed_problems(method, path, status, result.parsed)
                    assert not problems, f"parsed value is not the declared type: {problems}"
        except UnexpectedResponseError:
            self.typed_errors += 1
            return
        except Exception as exc:
            self.failures.append(f"{where}: {type(exc).__name__}: {exc}"[:400])
            return
        self.parsed += 1


def _declares_content(method: str, path: str, status: int) -> bool:
    response = OPERATIONS[(method, path)]["responses"].get(str(status), {})
    return bool(response.get("content"))
