"""The suite's copy of the spec, widened to accept every form Bria documents for a response.

The normalized spec states the canonical form; Bria's own examples also show looser ones
(docs/contract.md). A conforming server may answer in either, so response validation accepts:

* digit strings for the integers Bria writes as strings: ``checkpoint_steps`` and ``model_ids``
  items (tailored-generation.openapi.json get-models: ``["1500", "1000", "500"]``) and a result's
  ``seed`` (status.openapi.yaml completed examples: ``seed: '42'``);
* date-times without a UTC offset (``"2025-08-20T06:06:05.849402"``, eight bundle examples);
* enum values Bria writes in another case: an uploaded model's ``completed`` (upload_model prose;
  its example says ``Completed``).

Request bodies are widened too, operation by operation, for the forms Bria's published clients
send (spec/clients/bria-clients.yaml, carried in the spec as ``x-bria-request-forms``): a boolean
as the integer 0 or 1, an integer id or seed as a digit string. Schemathesis then never counts
such a form as invalid data, so a server that accepts it (as Bria must, for its own clients) is
never failed for it, and the stateless tests send it as valid data.
"""

from __future__ import annotations

from typing import Any

#: (component, property) whose integer values Bria also writes as digit strings.
STRING_INTEGERS = (
    ("Model", "checkpoint_steps"),
    ("Dataset", "model_ids"),
    ("GenerationResult", "seed"),
)
#: (enum component, value) Bria also writes: the value differs from a member only by case.
CASE_VARIANTS = (("ModelStatus", "completed"),)
_DIGITS = {"type": "string", "pattern": "^-?[0-9]+$"}
# RFC 3339 date-time with the offset optional.
_ISO_DATE_TIME = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$",
}


def _either_form(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, dict(_DIGITS)]}


def accept_documented_forms(doc: dict[str, Any]) -> None:
    """Widen ``doc`` (the suite's own copy) in place."""
    schemas = doc.get("components", {}).get("schemas", {})
    for component, prop in STRING_INTEGERS:
        node = schemas.get(component, {}).get("properties", {}).get(prop)
        if not isinstance(node, dict):
            continue
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            node["items"] = _either_form(node["items"])
        elif node.get("type") == "integer":
            replacement = _either_form({k: v for k, v in node.items() if k != "description"})
            description = node.get("description")
            node.clear()
            node.update(replacement)
            if description:
                node["description"] = description
    for component, value in CASE_VARIANTS:
        enum = schemas.get(component, {}).get("enum")
        if isinstance(enum, list) and value not in enum:
            enum.append(value)
    for schema in schemas.values():
        _widen_date_times(schema)
    _accept_client_request_forms(doc)


#: kind of client form → the JSON Schema of the values it adds
_CLIENT_FORMS: dict[str, dict[str, Any]] = {
    "integer-boolean": {"type": "integer", "enum": [0, 1]},
    "digit-string": dict(_DIGITS),
}


def _resolve(doc: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = doc
        for part in str(node["$ref"])[2:].split("/"):
            target = target[part]
        node = target
    return node


def _flat_object(doc: dict[str, Any], schema: Any) -> dict[str, Any]:
    """``schema`` (a $ref or an allOf of objects) as one object schema of its own."""
    schema = _resolve(doc, schema)
    out: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    out["properties"] = dict(schema.get("properties", {}))
    required = list(schema.get("required", []))
    for part in schema.get("allOf", []):
        flat = _flat_object(doc, part)
        out["properties"].update(flat["properties"])
        required += [name for name in flat.get("required", []) if name not in required]
        out.setdefault("type", flat.get("type"))
    if required:
        out["required"] = required
    return out


def _accept_client_request_forms(doc: dict[str, Any]) -> None:
    forms = doc.get("x-bria-request-forms", {})
    bodies: dict[str, dict[str, Any]] = {}
    for item in doc.get("paths", {}).values():
        for op in item.values():
            if isinstance(op, dict) and "operationId" in op:
                media = op.get("requestBody", {}).get("content", {}).get("application/json")
                if isinstance(media, dict):
                    bodies[op["operationId"]] = media
    for form in forms.values():
        for operation in form["operations"]:
            media = bodies.get(operation)
            if media is None:
                continue
            # The operation gets a widened copy of its body schema; operations sharing the
            # component keep the strict one.
            media["schema"] = schema = _flat_object(doc, media["schema"])
            declared = schema["properties"].get(form["field"])
            if declared is not None:
                schema["properties"][form["field"]] = {
                    "anyOf": [declared, dict(_CLIENT_FORMS[form["sent_as"]])]
                }


def _widen_date_times(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "date-time":
            del node["format"]
            node["pattern"] = _ISO_DATE_TIME["pattern"]
        for value in node.values():
            _widen_date_times(value)
    elif isinstance(node, list):
        for value in node:
            _widen_date_times(value)
