"""Turn inline schemas into named shared components, and demote request defaults.

Overlay 1.0 cannot move a node (no ``copy`` action), so naming works in two halves: the overlay
``overlays/30-components.yaml`` tags inline schemas with ``x-bria-name: <Component>``, and this
step moves every tagged schema into ``components/schemas/<Component>``. An operation's inline
request or response schema that no overlay named takes a name from its operation
(:func:`name_operation_schemas`: ``ArchiveProjectResponse``), so a new operation needs no overlay
action for its models not to be named after paths and statuses. Several sites with the
same name (Bria repeats the model schema in five operations) are deep-merged
with the same rules as the stray-path merge, so the component is the union of every copy and every
conflicting value lands in the merge report.

Site-specific annotations (``description``, ``example``, ``nullable``, the request default
demoted into ``x-server-default``) stay at the site, wrapped as ``allOf: [$ref]`` (a nullable
site as ``oneOf: [$ref, null branch]``, see :func:`null_branch`), because OpenAPI 3.0 ignores
siblings of ``$ref`` and openapi-python-client follows a ``$ref`` and drops ``nullable`` beside
it. Two copies of one component can name the same child once as a bare ``$ref`` and once as a
wrapped site; their union would hold both, so a last pass
(:func:`lift_ref_siblings`) leaves no ``$ref`` with anything beside it anywhere in the document.
"""

from __future__ import annotations

import copy
import re
from http import HTTPStatus
from typing import Any

from .errors import BuildError
from .merge import MergeReport, merge_values, pointer_token

NAME_KEY = "x-bria-name"
SITE_KEYS = ("description", "example", "nullable", "readOnly", "writeOnly", "x-server-default")


def _walk(node: Any, pointer: str, found: list[tuple[str, dict[str, Any]]]) -> None:
    """Collect tagged schemas innermost first, so nested names are replaced before outer ones."""
    if isinstance(node, dict):
        for key, value in node.items():
            _walk(value, f"{pointer}/{pointer_token(key)}", found)
        if NAME_KEY in node:
            found.append((pointer, node))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _walk(value, f"{pointer}/{index}", found)


def componentize(doc: dict[str, Any], report: MergeReport) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    name_operation_schemas(out)
    schemas = out.setdefault("components", {}).setdefault("schemas", {})
    found: list[tuple[str, dict[str, Any]]] = []
    _walk(out.get("paths", {}), "/paths", found)
    _walk(schemas, "/components/schemas", found)
    for pointer, node in found:
        name = node.pop(NAME_KEY)
        if not isinstance(name, str) or not name.isidentifier():
            raise BuildError(
                f"{pointer}: {NAME_KEY} must be a Python-style identifier, got {name!r}"
            )
        if pointer == f"/components/schemas/{pointer_token(name)}":
            continue
        parts = pointer.split("/")
        is_property = parts[-2] == "properties" or parts[-1] == "items"
        site = {k: node.pop(k) for k in SITE_KEYS if k in node} if is_property else {}
        body = dict(node)
        target = f"/components/schemas/{pointer_token(name)}"
        if name in schemas:
            schemas[name] = merge_values(target, schemas[name], body, report)
        else:
            schemas[name] = body
        node.clear()
        ref = {"$ref": f"#/components/schemas/{name}"}
        if site.pop("nullable", False):
            node.update({"oneOf": [ref, null_branch(schemas[name], pointer)], **site})
        elif site:
            node.update({"allOf": [ref], **site})
        else:
            node.update(ref)
    out["components"]["schemas"] = dict(sorted(schemas.items()))
    lift_ref_siblings(out)
    return out


def null_branch(target: dict[str, Any], pointer: str) -> dict[str, Any]:
    """The ``oneOf`` branch that admits ``null`` beside a reference to ``target``.

    A nullable reference is written ``oneOf: [{$ref}, {type: T, nullable: true, enum: [null]}]``.
    Each alternative is one every tool reads the same way: ``allOf: [{$ref}]`` + ``nullable``
    has no ``type`` beside ``nullable`` (Redocly's ``nullable-type-sibling`` error, and Spectral
    cannot validate examples against it), while adding ``type`` there makes
    openapi-python-client 0.29.1 pass the single ``allOf`` reference through and drop
    ``nullable``. The null branch carries the target's ``type`` so it is valid OpenAPI 3.0.
    """
    kind = target.get("type")
    if not isinstance(kind, str):
        raise BuildError(
            f"{pointer}: a nullable reference needs a target schema with a single `type`, "
            f"got {kind!r}; give the component a type in an overlay"
        )
    return {"type": kind, "nullable": True, "enum": [None]}


def lift_ref_siblings(node: Any) -> None:
    """Leave no ``$ref`` with siblings anywhere below ``node`` (OpenAPI 3.0 ignores them).

    When the siblings already hold the same reference in ``allOf`` or ``oneOf`` (a wrapped site
    merged with a bare copy of the same property) the bare ``$ref`` adds nothing and is dropped;
    otherwise the reference moves into ``allOf``, which is what the siblings meant.
    """
    if isinstance(node, dict):
        for value in node.values():
            lift_ref_siblings(value)
        if "$ref" in node and len(node) > 1:
            ref = {"$ref": node.pop("$ref")}
            if not any(ref in node.get(key, []) for key in ("allOf", "oneOf")):
                node.setdefault("allOf", []).append(ref)
    elif isinstance(node, list):
        for value in node:
            lift_ref_siblings(value)


def demote_request_defaults(doc: dict[str, Any]) -> list[str]:
    """Move request-side ``default`` values into descriptions.

    openapi-python-client sends every default it knows, and Bria refuses advanced training
    parameters on fully automated models, so a default in a request schema changes behaviour.
    The value is kept as documentation (description text and ``x-server-default``).
    """
    moved: list[str] = []

    def note(value: Any) -> str:
        shown = value if isinstance(value, str) else repr(value)
        return f"Server default when omitted: `{shown}`."

    def append(holder: dict[str, Any], text: str) -> None:
        current = str(holder.get("description", "")).rstrip()
        holder["description"] = f"{current}\n\n{text}" if current else text

    def demote(schema: dict[str, Any], pointer: str, doc_holder: dict[str, Any]) -> None:
        if "default" in schema:
            value = schema.pop("default")
            schema["x-server-default"] = value
            append(doc_holder, note(value))
            moved.append(pointer)
        for key, value in schema.get("properties", {}).items():
            if isinstance(value, dict):
                demote(value, f"{pointer}/properties/{pointer_token(key)}", value)

    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict):
                continue
            base = f"/paths/{pointer_token(path)}/{method}"
            for index, param in enumerate(op.get("parameters", [])):
                if isinstance(param, dict) and isinstance(param.get("schema"), dict):
                    demote(param["schema"], f"{base}/parameters/{index}/schema", param)
            for ctype, media in op.get("requestBody", {}).get("content", {}).items():
                if isinstance(media.get("schema"), dict):
                    schema = media["schema"]
                    demote(
                        schema, f"{base}/requestBody/content/{pointer_token(ctype)}/schema", schema
                    )
    return moved


_METHODS = ("get", "put", "post", "delete", "patch")


def _pascal(operation_id: str) -> str:
    """``archive-project`` → ``ArchiveProject`` (``get_status`` → ``GetStatus``)."""
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^0-9A-Za-z]+", operation_id))


def _needs_name(schema: Any) -> bool:
    """An inline schema the generator would turn into a class named after its path and status."""
    return (
        isinstance(schema, dict)
        and "$ref" not in schema
        and NAME_KEY not in schema
        and (schema.get("type") == "object" or "properties" in schema)
    )


def _taken(doc: dict[str, Any]) -> set[str]:
    found: list[tuple[str, dict[str, Any]]] = []
    _walk(doc.get("paths", {}), "/paths", found)
    return {str(node[NAME_KEY]) for _, node in found} | set(
        doc.get("components", {}).get("schemas", {})
    )


def name_operation_schemas(doc: dict[str, Any]) -> list[str]:
    """Tag each inline request or response schema no overlay named with its operation's name.

    openapi-python-client names such a schema after its path and status
    (`ArchiveProjectResponse200`, `PostTailoredGenProjectsBody`); a name from the operation says
    what it is without an overlay action: `<Operation>Request` for a request body,
    `<Operation>Response` for the success response (`<Operation><Status phrase>Response` when
    several successes carry one, `<Operation><Status phrase>` for an error), `…Item` for the items
    of an inline array. Returns the names given; a name another schema already holds is refused,
    so no two shapes are merged by accident.
    """
    taken = _taken(doc)
    given: dict[str, str] = {}

    def tag(schema: Any, name: str, pointer: str) -> None:
        if isinstance(schema, dict) and schema.get("type") == "array":
            schema, name, pointer = schema.get("items"), f"{name}Item", f"{pointer}/items"
        if not _needs_name(schema):
            return
        if name in taken:
            raise BuildError(
                f"{pointer}: the schema's default name {name} is already taken; name it with an "
                f"{NAME_KEY} action in overlays/30-components.yaml"
            )
        schema[NAME_KEY] = name
        given.setdefault(name, pointer)

    for path, item in doc.get("paths", {}).items():
        if not isinstance(item, dict):
            continue
        for method in _METHODS:
            op = item.get(method)
            if not isinstance(op, dict) or not isinstance(op.get("operationId"), str):
                continue
            stem = _pascal(op["operationId"])
            base = f"/paths/{pointer_token(path)}/{method}"
            body = op.get("requestBody", {})
            for media, content in (body.get("content") or {}).items():
                where = f"{base}/requestBody/content/{pointer_token(media)}/schema"
                tag(content.get("schema"), f"{stem}Request", where)
            responses = op.get("responses") or {}
            successes = [c for c in responses if str(c).startswith("2")]
            for code, response in responses.items():
                if not isinstance(response, dict):
                    continue
                phrase = _phrase(str(code))
                if str(code).startswith("2"):
                    name = f"{stem}Response" if len(successes) == 1 else f"{stem}{phrase}Response"
                else:
                    name = f"{stem}{phrase}"
                at = f"{base}/responses/{pointer_token(code)}/content"
                for media, content in (response.get("content") or {}).items():
                    tag(content.get("schema"), name, f"{at}/{pointer_token(media)}/schema")
    return sorted(given)


def _phrase(code: str) -> str:
    try:
        return HTTPStatus(int(code)).phrase.title().replace(" ", "").replace("-", "")
    except ValueError:
        return "Default" if code == "default" else f"Status{code.replace('X', 'x')}"
