"""Every property the normalized spec declares nullable parses ``null`` into ``None``.

The list of fields is read from the spec, so a nullable field added by an overlay is covered
without editing this file. A nullable enum or reference must survive generation: the spec writes
it as ``oneOf: [{$ref}, {type, nullable, enum: [null]}]`` because openapi-python-client drops
``nullable`` beside a bare ``$ref`` (see ``bria_build.componentize.null_branch``).
"""

from __future__ import annotations

from typing import Any

import bria_tailored.models as models
import pytest
from bria_tailored.runtime.spec import openapi_document

SPEC = openapi_document()
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _resolve(SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0])
    return schema


def minimal_instance(schema: dict[str, Any]) -> Any:
    """The smallest value the schema accepts: required properties only, first enum member."""
    schema = _resolve(schema)
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    if "oneOf" in schema or "anyOf" in schema:  # the first alternative is the non-null one
        return minimal_instance((schema.get("oneOf") or schema["anyOf"])[0])
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: minimal_instance(props[name]) for name in schema.get("required", [])}
    if kind == "array":
        return [minimal_instance(schema["items"])] if schema.get("minItems") else []
    if kind == "string":
        if schema.get("format") == "date-time":
            return "2025-01-01T00:00:00Z"
        return "x" * max(1, int(schema.get("minLength", 1)))
    return {"integer": 1, "number": 1.0, "boolean": True}[kind]


def _admits_null(schema: dict[str, Any]) -> bool:
    """``nullable: true`` on the property, or on one ``oneOf``/``anyOf`` alternative."""
    alternatives = schema.get("oneOf", []) + schema.get("anyOf", [])
    return bool(schema.get("nullable")) or any(_admits_null(alt) for alt in alternatives)


def nullable_fields() -> list[tuple[str, str]]:
    return [
        (name, prop)
        for name, schema in SCHEMAS.items()
        for prop, sub in schema.get("properties", {}).items()
        if _admits_null(sub)
    ]


def test_the_spec_declares_nullable_fields_including_references() -> None:
    fields = nullable_fields()
    assert ("Image", "caption_source") in fields
    assert ("Project", "training_version") in fields
    assert len(fields) >= 8


@pytest.mark.parametrize(
    ("model", "field"), nullable_fields(), ids=[f"{m}.{f}" for m, f in nullable_fields()]
)
def test_null_parses_to_none_and_serializes_back(model: str, field: str) -> None:
    cls = getattr(models, model)
    data = minimal_instance(SCHEMAS[model])
    data[field] = None
    parsed = cls.from_dict(data)
    assert getattr(parsed, field) is None
    assert parsed.to_dict()[field] is None


def test_an_image_without_caption_source_keeps_its_id() -> None:
    image = models.Image.from_dict({"id": 1, "dataset_id": 1, "caption_source": None})
    assert image.id == 1
    assert image.caption_source is None


def test_no_ref_in_the_spec_has_siblings() -> None:
    offenders: list[str] = []

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            if "$ref" in node and len(node) > 1:
                offenders.append(pointer)
            for key, value in node.items():
                walk(value, f"{pointer}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{pointer}/{index}")

    walk(SPEC, "")
    assert offenders == []
