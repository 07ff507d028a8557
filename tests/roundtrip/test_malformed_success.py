"""A 2xx whose body is not the declared shape raises the runtime's typed error, nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from bria_tailored.runtime.errors import UnexpectedResponseError
from client_parse import OPERATIONS, parse


def _json_successes() -> list[tuple[str, str, int, str]]:
    found = []
    for (method, path), op in sorted(OPERATIONS.items()):
        for status, response in op["responses"].items():
            if not status.startswith("2"):
                continue
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                shape = "array" if schema.get("type") == "array" else "object"
                found.append((method, path, int(status), shape))
    return found


SUCCESSES = _json_successes()
MALFORMED: dict[str, Any] = {
    "empty": b"",
    "html": b"<html><body>502 Bad Gateway</body></html>",
    "truncated": b'{"id": 1, "name": ',
    "empty-object": {},
    "array-for-object": [],
    "string": "ok",
    "number": 7,
}


def test_every_json_success_is_covered() -> None:
    assert len(SUCCESSES) >= 30


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_a_malformed_success_body_raises_unexpected_response_error(kind: str) -> None:
    body = MALFORMED[kind]
    raised = 0
    for method, path, status, shape in SUCCESSES:
        if shape == "array" and kind == "array-for-object":
            continue  # `[]` is a valid empty list
        with pytest.raises(UnexpectedResponseError, match=f"HTTP {status}"):
            parse(method, path, status, body)
        raised += 1
    assert raised > 0


def test_the_message_quotes_the_body() -> None:
    with pytest.raises(UnexpectedResponseError, match="502 Bad Gateway"):
        parse("get", "/v1/tailored-gen/projects/{project_id}", 200, MALFORMED["html"])
