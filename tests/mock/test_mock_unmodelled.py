"""Operations without a handler: served from the spec, flagged, and never a reason not to start."""

from __future__ import annotations

import copy
import logging
from typing import Any

import httpx
import pytest
from bria_mock import MockConfig, create_app
from mock_helpers import BASE, TOKEN_A, load_spec

pytestmark = pytest.mark.anyio

HELLO = "/v1/tailored-gen/hello"


def test_every_operation_of_the_spec_has_a_handler() -> None:
    """Fails while an operation is served from the spec only: write its handler."""
    mock = create_app(MockConfig()).state.mock
    assert mock.unmodelled == [], (
        f"operations without a mock handler (served from the spec only): {mock.unmodelled}"
    )


def _spec_with_new_operations() -> dict[str, Any]:
    doc = copy.deepcopy(load_spec())
    security = doc["paths"]["/v1/tailored-gen/projects"]["get"]["security"]
    doc["paths"][HELLO] = {
        "post": {
            "operationId": "create_hello",
            "security": security,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {"name": {"type": "string", "minLength": 1}},
                        }
                    }
                },
            },
            "responses": {
                "201": {
                    "description": "created",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["id", "tags"],
                                "properties": {
                                    "id": {"type": "integer", "minimum": 1},
                                    "tags": {"type": "array", "items": {"type": "string"}},
                                    "note": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "400": {"description": "bad request"},
            },
        },
        "get": {
            "operationId": "list_hello",
            "security": security,
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"example": [{"id": 7, "name": "hi"}]}},
                }
            },
        },
    }
    return doc


async def test_operation_without_handler_is_served_from_the_spec(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bria_mock"):
        app = create_app(MockConfig(), spec=_spec_with_new_operations())
    assert app.state.mock.unmodelled == ["create_hello", "list_hello"]
    assert "create_hello, list_hello" in caplog.text and "x-bria-mock" in caplog.text
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=BASE, headers={"api_token": TOKEN_A}
    ) as client:
        created = await client.post(HELLO, json={"name": "x"})
        assert created.status_code == 201
        assert created.headers["x-bria-mock"] == "unimplemented"
        assert created.json() == {"id": 1, "tags": []}  # from the schema: required fields only
        listed = await client.get(HELLO)
        assert listed.status_code == 200 and listed.json() == [{"id": 7, "name": "hi"}]
        assert listed.headers["x-bria-mock"] == "unimplemented"
        # The request is still validated and authenticated like any modelled operation.
        bad = await client.post(HELLO, json={"name": ""})
        assert bad.status_code == 400 and "x-bria-mock" not in bad.headers
        anonymous = await client.post(HELLO, json={"name": "x"}, headers={"api_token": ""})
        assert anonymous.status_code == 401
        # Modelled operations keep their handlers (no header).
        projects = await client.get("/v1/tailored-gen/projects")
        assert projects.status_code == 200 and "x-bria-mock" not in projects.headers
