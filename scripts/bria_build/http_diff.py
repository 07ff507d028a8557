"""The HTTP contract diff of two normalized specs, each change judged from the caller's side.

Operations are matched by ``operationId`` (so a new path for the same operation is a *move*, not
an add plus a remove). Inside an operation every parameter, request body and response body is
flattened into dotted field paths (``$ref`` and ``allOf`` resolved, ``items`` as ``[]``) and the
two flattenings are compared. The rules follow oasdiff's breaking-change checks, with the
direction of each one decided by who sends the value:

* request (the caller sends): a new required field or parameter, a field that became required,
  a removed value of an enum, a tighter bound, a changed type, a removed parameter or media type
  break callers;
* response (the caller reads): a removed field, a field that became optional, a new enum value,
  a looser bound, a changed type, a removed status code or media type break callers.

A field removed and a field of the same type added in the same object are reported as one likely
rename, which breaks callers on either side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .changes import HTTP, Change
from .merge import HTTP_METHODS

REQUEST = "request"
RESPONSE = "response"
# Bounds where a larger value is stricter, and those where a smaller value is stricter.
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_MAX_DEPTH = 12


@dataclass(frozen=True)
class Field:
    type: str
    enum: tuple[str, ...] | None
    required: bool
    bounds: tuple[tuple[str, Any], ...]
    pattern: str | None

    def describe(self) -> str:
        return self.type + (f" enum {list(self.enum)}" if self.enum is not None else "")


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    statuses: frozenset[str]
    # (side, site) -> field path -> Field; the site's own value has the path "".
    sites: dict[tuple[str, str], dict[str, Field]]

    @property
    def label(self) -> str:
        return f"{self.operation_id} {self.method} {self.path}"


def _pointer(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for raw in ref.lstrip("#/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or token not in node:
            return {}
        node = node[token]
    return node


def resolve_schema(
    doc: dict[str, Any], node: Any, stack: tuple[str, ...]
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A schema with its ``$ref`` followed and ``allOf``/``oneOf``/``anyOf`` folded into one."""
    while isinstance(node, dict) and "$ref" in node:
        ref = str(node["$ref"])
        if ref in stack:
            return {"type": "recursive"}, stack
        stack = (*stack, ref)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        node = {**_pointer(doc, ref), **siblings} if siblings else _pointer(doc, ref)
    if not isinstance(node, dict):
        return {}, stack
    out = {k: v for k, v in node.items() if k not in ("allOf", "oneOf", "anyOf")}
    for part in node.get("allOf") or ():
        sub, _ = resolve_schema(doc, part, stack)
        _fold(out, sub, all_required=True)
    variants = [*(node.get("oneOf") or ()), *(node.get("anyOf") or ())]
    if variants:
        kinds = []
        for part in variants:
            sub, _ = resolve_schema(doc, part, stack)
            kinds.append(_type_name(sub))
            _fold(out, sub, all_required=False)
        out.setdefault("type", "|".join(sorted(set(kinds))))
    return out, stack


def _fold(out: dict[str, Any], sub: dict[str, Any], *, all_required: bool) -> None:
    for key, value in sub.items():
        if key == "properties":
            out["properties"] = {**value, **out.get("properties", {})}
        elif key == "required":
            if all_required:
                out["required"] = sorted({*out.get("required", ()), *value})
        else:
            out.setdefault(key, value)


def _type_name(schema: dict[str, Any]) -> str:
    value = schema.get("type")
    if isinstance(value, list):
        name = "|".join(str(v) for v in value)
    elif value:
        name = str(value)
    elif "properties" in schema:
        name = "object"
    else:
        name = "any"
    if schema.get("format") and isinstance(value, str):
        name += f"({schema['format']})"
    if schema.get("nullable"):
        name += "|null"
    return name


def _flatten(
    doc: dict[str, Any],
    node: Any,
    path: str,
    required: bool,
    stack: tuple[str, ...],
    out: dict[str, Field],
) -> None:
    schema, stack = resolve_schema(doc, node, stack)
    enum = schema.get("enum")
    out[path] = Field(
        type=_type_name(schema),
        enum=tuple(sorted(str(v) for v in enum if v is not None))
        if isinstance(enum, list)
        else None,
        required=required,
        bounds=tuple((k, schema[k]) for k in (*_LOWER_BOUNDS, *_UPPER_BOUNDS) if k in schema),
        pattern=schema.get("pattern"),
    )
    if len(stack) > _MAX_DEPTH or schema.get("type") == "recursive":
        return
    needed = set(schema.get("required") or ())
    for name, sub in (schema.get("properties") or {}).items():
        _flatten(doc, sub, f"{path}.{name}" if path else name, name in needed, stack, out)
    if isinstance(schema.get("items"), dict):
        _flatten(doc, schema["items"], f"{path}[]", True, stack, out)
    if isinstance(schema.get("additionalProperties"), dict):
        _flatten(doc, schema["additionalProperties"], f"{path}{{*}}", False, stack, out)


def operations(doc: dict[str, Any]) -> dict[str, Operation]:
    """Every operation of a normalized spec, keyed by operationId (else ``METHOD path``)."""
    found: dict[str, Operation] = {}
    for path, item in (doc.get("paths") or {}).items():
        shared = item.get("parameters") or []
        for method, raw in item.items():
            if method not in HTTP_METHODS or not isinstance(raw, dict):
                continue
            op_id = str(raw.get("operationId") or f"{method.upper()} {path}")
            sites: dict[tuple[str, str], dict[str, Field]] = {}
            for prm_raw in [*shared, *(raw.get("parameters") or [])]:
                prm, _ = resolve_schema(doc, prm_raw, ())
                fields: dict[str, Field] = {}
                required = bool(prm.get("required")) or prm.get("in") == "path"
                _flatten(doc, prm.get("schema") or {}, "", required, (), fields)
                sites[(REQUEST, f"{prm.get('in')} parameter {prm.get('name')}")] = fields
            body, _ = resolve_schema(doc, raw.get("requestBody") or {}, ())
            for media, content in (body.get("content") or {}).items():
                fields = {}
                _flatten(
                    doc, content.get("schema") or {}, "", bool(body.get("required")), (), fields
                )
                sites[(REQUEST, f"body {media}")] = fields
            for status, resp_raw in (raw.get("responses") or {}).items():
                resp, _ = resolve_schema(doc, resp_raw, ())
                for media, content in (resp.get("content") or {}).items():
                    fields = {}
                    _flatten(doc, content.get("schema") or {}, "", True, (), fields)
                    sites[(RESPONSE, f"{status} {media}")] = fields
            found[op_id] = Operation(
                op_id,
                method.upper(),
                path,
                frozenset(str(s) for s in raw.get("responses") or {}),
                sites,
            )
    return found


def _shown(path: str) -> str:
    return f"`{path}`" if path else "the body"


def _top_level(paths: set[str]) -> list[str]:
    """Drop paths under another path of the set: a removed object hides its removed fields."""
    return sorted(
        p
        for p in paths
        if not any(p != q and (p.startswith(q + ".") or p.startswith(q + "[")) for q in paths if q)
    )


def _parent(path: str) -> str:
    return path.rsplit(".", 1)[0] if "." in path else ""


def _bound_changes(side: str, old: Field, new: Field) -> list[tuple[str, bool]]:
    before, after = dict(old.bounds), dict(new.bounds)
    found = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a == b:
            continue
        if key in _LOWER_BOUNDS:
            tighter = b is not None and (a is None or b > a)
        else:
            tighter = b is not None and (a is None or b < a)
        breaking = tighter if side == REQUEST else not tighter
        found.append(
            (f"{key} {a if a is not None else 'none'} → {b if b is not None else 'none'}", breaking)
        )
    if old.pattern != new.pattern:
        found.append(
            (f"pattern {old.pattern!r} → {new.pattern!r}", side == REQUEST or new.pattern is None)
        )
    return found


def _field_changes(
    side: str, old: dict[str, Field], new: dict[str, Field]
) -> list[tuple[str, str, bool]]:
    """(kind, detail, breaking) for one site."""
    found: list[tuple[str, str, bool]] = []
    removed = _top_level(set(old) - set(new))
    added = _top_level(set(new) - set(old))
    for gone in list(removed):
        twin = next(
            (a for a in added if _parent(a) == _parent(gone) and new[a].type == old[gone].type),
            None,
        )
        if twin is not None:
            removed.remove(gone)
            added.remove(twin)
            found.append(
                (
                    f"{side}-property-renamed",
                    f"`{gone}` → `{twin}` (likely rename: one {old[gone].type} field removed and "
                    "one added in the same object)",
                    True,
                )
            )
    for gone in removed:
        found.append(
            (
                f"{side}-property-removed",
                f"{_shown(gone)} ({old[gone].describe()}) removed",
                side == RESPONSE,
            )
        )
    for new_path in added:
        need = new[new_path].required
        found.append(
            (
                f"{side}-property-added",
                f"{_shown(new_path)} ({new[new_path].describe()}, "
                f"{'required' if need else 'optional'}) added",
                side == REQUEST and need,
            )
        )
    for path in sorted(set(old) & set(new)):
        a, b = old[path], new[path]
        if a.type != b.type:
            found.append(
                (f"{side}-property-type-changed", f"{_shown(path)}: {a.type} → {b.type}", True)
            )
        if a.enum != b.enum and a.enum is not None and b.enum is not None:
            dropped = sorted(set(a.enum) - set(b.enum))
            gained = sorted(set(b.enum) - set(a.enum))
            if dropped:
                found.append(
                    (
                        f"{side}-enum-value-removed",
                        f"{_shown(path)}: {dropped} no longer allowed",
                        side == REQUEST,
                    )
                )
            if gained:
                found.append(
                    (
                        f"{side}-enum-value-added",
                        f"{_shown(path)}: {gained} now possible",
                        side == RESPONSE,
                    )
                )
        elif (a.enum is None) != (b.enum is None):
            narrowed = b.enum is not None
            found.append(
                (
                    f"{side}-enum-{'added' if narrowed else 'removed'}",
                    f"{_shown(path)}: "
                    + (f"now limited to {list(b.enum or ())}" if narrowed else "no longer an enum"),
                    side == REQUEST if narrowed else side == RESPONSE,
                )
            )
        if a.required != b.required:
            found.append(
                (
                    f"{side}-property-became-{'required' if b.required else 'optional'}",
                    f"{_shown(path)} is now {'required' if b.required else 'optional'}",
                    b.required if side == REQUEST else not b.required,
                )
            )
        for detail, breaking in _bound_changes(side, a, b):
            found.append((f"{side}-bound-changed", f"{_shown(path)}: {detail}", breaking))
    return found


def _site_kind(side: str, site: str) -> str:
    if side == RESPONSE:
        return "response-media-type"
    return "request-body" if site.startswith("body ") else "request-parameter"


def diff_specs(old_doc: dict[str, Any], new_doc: dict[str, Any]) -> list[Change]:
    old_ops, new_ops = operations(old_doc), operations(new_doc)
    changes: list[Change] = []
    for op_id in sorted(set(new_ops) - set(old_ops)):
        op = new_ops[op_id]
        changes.append(Change(HTTP, op.label, "endpoint-added", "new operation", False))
    for op_id in sorted(set(old_ops) - set(new_ops)):
        op = old_ops[op_id]
        changes.append(Change(HTTP, op.label, "endpoint-removed", "operation removed", True))
    for op_id in sorted(set(old_ops) & set(new_ops)):
        old, new = old_ops[op_id], new_ops[op_id]
        where = new.label
        if (old.method, old.path) != (new.method, new.path):
            changes.append(
                Change(
                    HTTP,
                    where,
                    "endpoint-moved",
                    f"moved from {old.method} {old.path} (same operationId)",
                    True,
                )
            )
        for status in sorted(old.statuses - new.statuses):
            changes.append(
                Change(HTTP, where, "response-status-removed", f"status {status} removed", True)
            )
        for status in sorted(new.statuses - old.statuses):
            changes.append(
                Change(HTTP, where, "response-status-added", f"status {status} added", False)
            )
        for side, site in sorted(set(new.sites) - set(old.sites)):
            if side == RESPONSE and site.split(" ", 1)[0] not in old.statuses:
                continue  # reported with its status
            root = new.sites[(side, site)].get("")
            breaking = side == REQUEST and root is not None and root.required
            need = "required" if root is not None and root.required else "optional"
            detail = f"{site} added" + (f" ({need})" if side == REQUEST else "")
            changes.append(Change(HTTP, where, f"{_site_kind(side, site)}-added", detail, breaking))
        for side, site in sorted(set(old.sites) - set(new.sites)):
            if side == RESPONSE and site.split(" ", 1)[0] not in new.statuses:
                continue
            changes.append(
                Change(HTTP, where, f"{_site_kind(side, site)}-removed", f"{site} removed", True)
            )
        for side, site in sorted(set(old.sites) & set(new.sites)):
            for kind, detail, breaking in _field_changes(
                side, old.sites[(side, site)], new.sites[(side, site)]
            ):
                changes.append(Change(HTTP, f"{where} {side} {site}", kind, detail, breaking))
    return changes
