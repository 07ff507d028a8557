"""The request forms Bria's published clients send, carried into the normalized spec.

``spec/clients/bria-clients.yaml`` records, with evidence, each field a Bria client (or Bria's
own bundle) sends in a type the normalized spec does not declare. The build copies each form's
operations, field and kind into the spec's ``x-bria-request-forms``, so the mock and the suite
read them where they read every other shape, and checks here that each form still fits: the
operation exists, its JSON body declares the field, and the field has the type the form stands in
for. A form that no longer fits stops the build, like an overlay action that matches nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import BuildError
from .inputs import load_yaml

EXTENSION = "x-bria-request-forms"
#: kind of form → the declared type it stands in for
KINDS = {"integer-boolean": "boolean", "digit-string": "integer"}


def read_forms(path: Path) -> dict[str, Any]:
    try:
        loaded = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BuildError(f"{path}: cannot read ({exc})") from None
    forms = loaded.get("forms") if isinstance(loaded, dict) else None
    if not isinstance(forms, dict):
        raise BuildError(f"{path}: no `forms` mapping")
    return forms


def _resolve(doc: dict[str, Any], node: Any) -> Any:
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node and node["$ref"] not in seen:
        seen.add(node["$ref"])
        target: Any = doc
        for part in str(node["$ref"])[2:].split("/"):
            target = target[part]
        node = target
    return node


def _properties(doc: dict[str, Any], schema: Any) -> dict[str, Any]:
    """Every property of a body schema, through $ref and allOf."""
    schema = _resolve(doc, schema)
    if not isinstance(schema, dict):
        return {}
    found = {name: _resolve(doc, sub) for name, sub in schema.get("properties", {}).items()}
    for part in schema.get("allOf", []):
        found.update(_properties(doc, part))
    return found


def _body_properties(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    bodies: dict[str, dict[str, Any]] = {}
    for item in doc.get("paths", {}).values():
        for op in item.values():
            if isinstance(op, dict) and "operationId" in op:
                content = op.get("requestBody", {}).get("content", {})
                schema = content.get("application/json", {}).get("schema", {})
                bodies[op["operationId"]] = _properties(doc, schema)
    return bodies


def request_forms(path: Path, doc: dict[str, Any]) -> dict[str, Any]:
    """``x-bria-request-forms`` for ``doc``: form id → {operations, field, sent_as}."""
    bodies = _body_properties(doc)
    out: dict[str, Any] = {}
    for form_id, form in read_forms(path).items():
        where = f"{path.name} form {form_id!r}"
        if not isinstance(form, dict):
            raise BuildError(f"{where}: not a mapping")
        kind, field, operations = form.get("sent_as"), form.get("field"), form.get("operations")
        if kind not in KINDS:
            raise BuildError(f"{where}: sent_as must be one of {sorted(KINDS)}, not {kind!r}")
        if not isinstance(operations, list) or not operations or not isinstance(field, str):
            raise BuildError(f"{where}: needs `operations` (a list) and `field`")
        if not form.get("evidence"):
            raise BuildError(f"{where}: names no evidence")
        for operation in operations:
            if operation not in bodies:
                raise BuildError(f"{where}: the spec has no operation {operation!r} with a body")
            declared = bodies[operation].get(field)
            if declared is None:
                raise BuildError(f"{where}: {operation} declares no body field {field!r}")
            if declared.get("type") != KINDS[kind]:
                raise BuildError(
                    f"{where}: {operation} declares {field!r} as {declared.get('type')!r}; "
                    f"a {kind} form stands in for a {KINDS[kind]}"
                )
        out[form_id] = {"operations": list(operations), "field": field, "sent_as": kind}
    return out
