"""The suite's copy of the spec, widened to accept every form Bria documents for a response.

The normalized spec states the canonical form; Bria's own examples also show looser ones
(docs/contract.md). A conforming server may answer in either, so response validation accepts:

* digit strings for the integers Bria writes as strings: ``checkpoint_steps`` and ``model_ids``
  items (tailored-generation.openapi.json get-models: ``["1500", "1000", "500"]``) and a result's
  ``seed`` (status.openapi.yaml completed examples: ``seed: '42'``);
* date-times without a UTC offset (``"2025-08-20T06:06:05.849402"``, eight bundle examples);
* enum values Bria writes in another case: an uploaded model's ``completed`` (upload_model prose;
  its example says ``Completed``).

Only response-side component properties are widened; request generation is unchanged.
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
