"""An operation's inline request and response schemas are named after the operation by default."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from bria_build.componentize import componentize, name_operation_schemas
from bria_build.errors import BuildError
from bria_build.merge import MergeReport
from provenance import ROOT

OBJECT = {"type": "object", "properties": {"id": {"type": "integer"}}}


def _doc(operation: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "paths": {"/projects/{project_id}/archive": {"post": operation}},
        "components": {"schemas": schemas or {}},
    }


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": copy.deepcopy(schema)}}


def _archive(**extra: Any) -> dict[str, Any]:
    return {
        "operationId": "archive-project",
        "responses": {
            "200": {"description": "ok", "content": _json(OBJECT)},
            "404": {"description": "gone", "content": _json(OBJECT)},
        },
        **extra,
    }


def test_inline_schemas_take_their_operation_s_name() -> None:
    body = {"content": _json(OBJECT)}
    doc = _doc(_archive(requestBody=body))
    out = componentize(doc, MergeReport())
    operation = out["paths"]["/projects/{project_id}/archive"]["post"]
    assert sorted(out["components"]["schemas"]) == [
        "ArchiveProjectNotFound",
        "ArchiveProjectRequest",
        "ArchiveProjectResponse",
    ]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ArchiveProjectResponse"}
    assert out["components"]["schemas"]["ArchiveProjectResponse"] == OBJECT


def test_items_of_an_inline_array_and_several_successes() -> None:
    listed = {"type": "array", "items": copy.deepcopy(OBJECT)}
    operation = {
        "operationId": "get_status",
        "responses": {
            "200": {"description": "done", "content": _json(listed)},
            "202": {"description": "later", "content": _json(OBJECT)},
        },
    }
    assert name_operation_schemas(_doc(operation)) == [
        "GetStatusAcceptedResponse",
        "GetStatusOkResponseItem",
    ]


def test_named_referenced_and_scalar_schemas_are_left_alone() -> None:
    named = {**OBJECT, "x-bria-name": "Archive"}
    operation = _archive()
    operation["responses"]["200"]["content"]["application/json"]["schema"] = named
    operation["responses"]["404"]["content"]["application/json"]["schema"] = {"type": "string"}
    operation["responses"]["409"] = {
        "description": "conflict",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    assert name_operation_schemas(_doc(operation)) == []


def test_a_default_name_another_schema_holds_is_refused() -> None:
    with pytest.raises(BuildError, match="ArchiveProjectResponse is already taken"):
        name_operation_schemas(_doc(_archive(), {"ArchiveProjectResponse": {"type": "string"}}))


def test_every_inline_schema_of_the_spec_is_named_by_an_overlay() -> None:
    """The default names nothing in today's spec, so no generated name changed with it."""
    spec = json.loads((ROOT / "spec/bria-tailored.openapi.json").read_text(encoding="utf-8"))
    assert name_operation_schemas(spec) == []
