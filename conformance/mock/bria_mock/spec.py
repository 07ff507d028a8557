"""The normalized OpenAPI document, compiled once into per-operation validators.

The spec is the single source of request and response shapes: the mock routes by its paths,
validates parameters and bodies with its schemas and shapes errors after its declared responses.
Schemas are turned into plain JSON Schema (``nullable``, ``$ref`` siblings, OpenAPI-only keywords)
and compiled with jsonschema-rs at start-up so a request pays only for the validation itself.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema_rs
from bria_tailored.runtime import openapi_text

from .request_forms import forms_by_operation

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
# Keywords that carry documentation only or mean something else outside OpenAPI.
_DROP = {
    "example",
    "examples",
    "xml",
    "externalDocs",
    "discriminator",
    "deprecated",
    "x-nullable",
}


class SpecError(Exception):
    """The spec cannot be loaded or does not fit the mock."""


def _where(path: str | None) -> str:
    return path or "bria_tailored/openapi.json (package data of the generated client)"


def _spec_text(path: str | None) -> str:
    try:
        return Path(path).read_text(encoding="utf-8") if path else openapi_text()
    except (OSError, ModuleNotFoundError) as exc:
        raise SpecError(f"cannot read the OpenAPI spec at {_where(path)}: {exc}") from exc


def _parse(text: str, path: str | None) -> dict[str, Any]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"the OpenAPI spec at {_where(path)} is not valid JSON: {exc}") from exc
    if not isinstance(doc, dict) or "paths" not in doc:
        raise SpecError("the OpenAPI spec has no `paths`")
    return doc


# Compiling takes longer than answering hundreds of requests, and a process (a test run, a
# server with several app instances) builds many mocks from one document. Compiled specs are
# read-only after compile_spec, so mocks built from the same text share one.
_COMPILED: dict[str, Spec] = {}
_COMPILED_KEEP = 4


def compiled_spec(path: str | None = None) -> Spec:
    """The compiled spec at ``path`` (default: the client's packaged one), once per text."""
    text = _spec_text(path)
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    spec = _COMPILED.get(key)
    if spec is None:
        spec = compile_spec(_parse(text, path))
        if len(_COMPILED) >= _COMPILED_KEEP:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[key] = spec
    return spec


class _Resolver:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.oas30 = str(doc.get("openapi", "3.0")).startswith("3.0")

    def pointer(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise SpecError(f"only local $ref values are supported, got {ref!r}")
        node: Any = self.doc
        for raw in ref[2:].split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            try:
                node = node[int(token)] if isinstance(node, list) else node[token]
            except (KeyError, IndexError, ValueError) as exc:
                raise SpecError(f"dangling $ref {ref!r}") from exc
        return node

    def deref(self, node: Any) -> Any:
        """Follow a $ref chain of a non-schema object (parameter, response, body)."""
        seen: set[str] = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                raise SpecError(f"$ref cycle at {ref!r}")
            seen.add(ref)
            node = self.pointer(ref)
        return node

    def schema(self, node: Any, stack: tuple[str, ...] = ()) -> Any:
        """Inline every $ref and translate OpenAPI 3.0 schema keywords to JSON Schema."""
        if isinstance(node, list):
            return [self.schema(item, stack) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            ref = node["$ref"]
            if ref in stack:
                # Recursive schemas are not part of this API; accept anything rather than loop.
                return {}
            target = self.schema(self.pointer(ref), (*stack, ref))
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if not siblings:
                return target
            merged = self.schema(siblings, stack)
            nullable = merged.pop("nullable", False) if isinstance(merged, dict) else False
            out: dict[str, Any] = {"allOf": [target, merged]} if merged else target
            return {"anyOf": [out, {"type": "null"}]} if nullable else out
        out = {}
        for key, value in node.items():
            if key in _DROP:
                continue
            if key in ("properties", "patternProperties", "definitions", "$defs"):
                out[key] = {name: self.schema(sub, stack) for name, sub in value.items()}
            elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
                out[key] = self.schema(value, stack)
            else:
                out[key] = value
        if self.oas30 and out.pop("nullable", False):
            out = _make_nullable(out)
        if out.get("format") == "binary":
            # A binary part arrives as a file; the validator sees a placeholder string.
            out.pop("format")
        return out


def _make_nullable(schema: dict[str, Any]) -> dict[str, Any]:
    schema_type = schema.get("type")
    if isinstance(schema_type, str):
        schema = dict(schema)
        schema["type"] = [schema_type, "null"]
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


def _compile(schema: Any, oas30: bool) -> jsonschema_rs.Validator:
    if oas30:
        return jsonschema_rs.Draft4Validator(schema)
    return jsonschema_rs.Draft202012Validator(schema)


@dataclass
class Param:
    name: str
    location: str
    required: bool
    schema: dict[str, Any]
    validator: jsonschema_rs.Validator

    @cached_property
    def type(self) -> str | None:
        return _primary_type(self.schema)

    @cached_property
    def only_typed(self) -> bool:
        """The schema asks for its scalar type and nothing more, so a value coerced to that type
        (``validation._coerce``) is valid without running the validator."""
        return self.schema.get("type") in _SCALARS and all(
            key == "type" or key in _ANNOTATIONS or key.startswith("x-") for key in self.schema
        )


_SCALARS = ("integer", "number", "boolean", "string")
# keywords that describe a value without constraining it
_ANNOTATIONS = frozenset(
    ("title", "description", "example", "examples", "deprecated", "readOnly", "writeOnly")
)


def _primary_type(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    value = schema.get("type")
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return next((t for t in value if t != "null"), None)
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key) or ():
            found = _primary_type(part)
            if found:
                return found
    return None


def schema_type(schema: Any, *path: str) -> str | None:
    """The primary type at a path inside a resolved schema (through allOf/anyOf wrappers)."""
    node = schema
    for key in path:
        node = _descend(node, key)
        if node is None:
            return None
    return _primary_type(node)


def _descend(node: Any, key: str) -> Any:
    if not isinstance(node, dict):
        return None
    if key in node:
        return node[key]
    for combinator in ("allOf", "anyOf", "oneOf"):
        for part in node.get(combinator) or ():
            found = _descend(part, key)
            if found is not None:
                return found
    return None


@dataclass
class Body:
    media_type: str
    schema: dict[str, Any]
    validator: jsonschema_rs.Validator

    def property_types(self) -> dict[str, str | None]:
        props = self.schema.get("properties") or {}
        return {name: _primary_type(sub) for name, sub in props.items()}


@dataclass
class Operation:
    operation_id: str
    method: str
    path: str
    params: dict[tuple[str, str], Param] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)
    body_required: bool = False
    # status code (as declared, e.g. "400" or "5XX") -> resolved JSON schema or None
    responses: dict[str, Any] = field(default_factory=dict)
    secured: bool = True
    # JSON body field -> the documented form Bria's clients also send it in (request_forms.py)
    client_forms: dict[str, str] = field(default_factory=dict)

    def declared(self) -> list[str]:
        return list(self.responses)

    def response_schema(self, status: int) -> Any:
        key = str(status)
        if key in self.responses:
            return self.responses[key]
        wildcard = f"{key[0]}XX"
        return self.responses.get(wildcard, self.responses.get("default"))


@dataclass
class Spec:
    doc: dict[str, Any]
    operations: dict[str, Operation]
    token_header: str


def compile_spec(doc: dict[str, Any]) -> Spec:
    resolver = _Resolver(copy.deepcopy(doc))
    token_header = _token_header(doc)
    global_security = doc.get("security")
    client_forms = forms_by_operation(doc)
    operations: dict[str, Operation] = {}
    for path, item in (doc.get("paths") or {}).items():
        item = resolver.deref(item)
        shared = item.get("parameters") or []
        for method in HTTP_METHODS:
            raw = item.get(method)
            if not isinstance(raw, dict):
                continue
            op_id = raw.get("operationId") or f"{method} {path}"
            op = Operation(operation_id=op_id, method=method.upper(), path=path)
            op.client_forms = client_forms.get(op_id, {})
            for prm_raw in [*shared, *(raw.get("parameters") or [])]:
                prm = resolver.deref(prm_raw)
                location = prm.get("in")
                name = prm.get("name")
                if location == "header" and name == token_header:
                    continue
                schema = resolver.schema(prm.get("schema") or {})
                op.params[(location, name.lower() if location == "header" else name)] = Param(
                    name=name,
                    location=location,
                    required=bool(prm.get("required")) or location == "path",
                    schema=schema,
                    validator=_compile(schema, resolver.oas30),
                )
            body = resolver.deref(raw.get("requestBody")) if raw.get("requestBody") else None
            if body:
                op.body_required = bool(body.get("required"))
                for media_type, media in (body.get("content") or {}).items():
                    schema = resolver.schema(media.get("schema") or {})
                    op.bodies[media_type.split(";")[0].strip().lower()] = Body(
                        media_type, schema, _compile(schema, resolver.oas30)
                    )
            for status, resp_raw in (raw.get("responses") or {}).items():
                resp = resolver.deref(resp_raw)
                content = resp.get("content") or {}
                media = content.get("application/json") or next(iter(content.values()), None)
                schema = (
                    resolver.schema(media.get("schema")) if media and "schema" in media else None
                )
                op.responses[str(status).upper() if "X" in str(status).upper() else str(status)] = (
                    schema
                )
            security = raw.get("security", global_security)
            op.secured = bool(security) or token_header_param(raw, shared, token_header)
            operations[op_id] = op
    return Spec(doc=doc, operations=operations, token_header=token_header)


def token_header_param(raw: dict[str, Any], shared: list[Any], token_header: str) -> bool:
    for prm in [*shared, *(raw.get("parameters") or [])]:
        if isinstance(prm, dict) and prm.get("in") == "header" and prm.get("name") == token_header:
            return True
    return False


def _token_header(doc: dict[str, Any]) -> str:
    schemes = (doc.get("components") or {}).get("securitySchemes") or {}
    for scheme in schemes.values():
        if (
            isinstance(scheme, dict)
            and scheme.get("type") == "apiKey"
            and scheme.get("in") == "header"
        ):
            return str(scheme.get("name", "api_token"))
    return "api_token"
