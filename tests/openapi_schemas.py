"""OpenAPI 3.0 documents read as plain JSON Schema, and every example they carry.

Kept independent of the mock's own translation so the round-trip tests do not trust the code
they check. ``nullable`` becomes a ``null`` alternative, every ``$ref`` is inlined, and
``date-time`` is checked as RFC 3339 (an offset is required), which is what the linters check.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jsonschema

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_DOC_ONLY = {"example", "examples", "xml", "externalDocs", "discriminator", "deprecated"}
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_rfc3339(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    datetime.datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    return True


class JsonSchemas:
    """Turns schemas of one document into self-contained JSON Schema (draft 4 semantics)."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def pointer(self, ref: str) -> Any:
        node: Any = self.doc
        for raw in ref.removeprefix("#/").split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def deref(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            node = self.pointer(node["$ref"])
        return node

    def convert(self, node: Any, stack: tuple[str, ...] = ()) -> Any:
        if isinstance(node, list):
            return [self.convert(item, stack) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            ref = node["$ref"]
            return {} if ref in stack else self.convert(self.pointer(ref), (*stack, ref))
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DOC_ONLY or key.startswith("x-"):
                continue
            if key == "properties":
                out[key] = {name: self.convert(sub, stack) for name, sub in value.items()}
            elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
                out[key] = self.convert(value, stack)
            else:
                out[key] = value
        if out.pop("nullable", False):
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
            return {"anyOf": [out, {"type": "null"}]}
        return out

    def validator(self, schema: Any) -> jsonschema.Draft4Validator:
        return jsonschema.Draft4Validator(self.convert(schema), format_checker=FORMATS)


@dataclass(frozen=True)
class Example:
    pointer: str
    value: Any
    schema: Any


def _schema_examples(schema: Any, pointer: str, doc: JsonSchemas) -> Iterator[Example]:
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    if "example" in schema:
        yield Example(f"{pointer}/example", schema["example"], schema)
    for name, sub in schema.get("properties", {}).items():
        yield from _schema_examples(sub, f"{pointer}/properties/{name}", doc)
    for key in ("items", "additionalProperties"):
        yield from _schema_examples(schema.get(key), f"{pointer}/{key}", doc)
    for key in ("allOf", "anyOf", "oneOf"):
        for index, sub in enumerate(schema.get(key, [])):
            yield from _schema_examples(sub, f"{pointer}/{key}/{index}", doc)


def _holder_examples(holder: dict[str, Any], pointer: str, doc: JsonSchemas) -> Iterator[Example]:
    """Examples of a media type, parameter or header, then those inside its schema."""
    schema = holder.get("schema")
    if schema is None:
        return
    if "example" in holder:
        yield Example(f"{pointer}/example", holder["example"], schema)
    for name, example in holder.get("examples", {}).items():
        example = doc.deref(example)
        if "value" in example:
            yield Example(f"{pointer}/examples/{name}/value", example["value"], schema)
    yield from _schema_examples(schema, f"{pointer}/schema", doc)


def examples(spec: dict[str, Any]) -> Iterator[Example]:
    """Every example of the document: media types, parameters, headers and schemas."""
    doc = JsonSchemas(spec)
    for path, item in spec.get("paths", {}).items():
        base = f"/paths/{path.replace('~', '~0').replace('/', '~1')}"
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            where = f"{base}/{method}"
            for index, param in enumerate([*item.get("parameters", []), *op.get("parameters", [])]):
                yield from _holder_examples(doc.deref(param), f"{where}/parameters/{index}", doc)
            body = doc.deref(op.get("requestBody", {}))
            for ctype, media in body.get("content", {}).items():
                yield from _holder_examples(media, f"{where}/requestBody/content/{ctype}", doc)
            for status, response in op.get("responses", {}).items():
                response = doc.deref(response)
                for ctype, media in response.get("content", {}).items():
                    yield from _holder_examples(
                        media, f"{where}/responses/{status}/content/{ctype}", doc
                    )
                for name, header in response.get("headers", {}).items():
                    yield from _holder_examples(
                        doc.deref(header), f"{where}/responses/{status}/headers/{name}", doc
                    )
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        yield from _schema_examples(schema, f"/components/schemas/{name}", doc)


def invalid_examples(spec: dict[str, Any]) -> tuple[list[str], int]:
    """(``pointer: reason`` of each example its schema refuses, number of examples checked)."""
    doc = JsonSchemas(spec)
    problems: list[str] = []
    total = 0
    for example in examples(spec):
        total += 1
        errors = sorted(doc.validator(example.schema).iter_errors(example.value), key=str)
        if errors:
            where = "/".join(str(p) for p in errors[0].absolute_path)
            problems.append(f"{example.pointer} [{where}]: {errors[0].message}")
    return problems, total
