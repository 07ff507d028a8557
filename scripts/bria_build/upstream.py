"""``bria-build --upstream FILE``: vendor a new upstream bundle and say what changed.

The comparison runs on the normalized documents (stray blocks merged, server prefixes hoisted) so a
block that merely moved between ``paths`` and the top level is not reported as a change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .inputs import read_bundle, read_status
from .layout import Layout
from .merge import HTTP_METHODS
from .normalize import normalize


def _operations(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": op
        for path, item in doc.get("paths", {}).items()
        for method, op in item.items()
        if method in HTTP_METHODS
    }


def _params(op: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{p.get('in')}:{p.get('name')}": p for p in op.get("parameters", []) if isinstance(p, dict)
    }


def _schemas(op: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for ctype, media in op.get("requestBody", {}).get("content", {}).items():
        found[f"request {ctype}"] = media.get("schema")
    for code, response in op.get("responses", {}).items():
        for ctype, media in response.get("content", {}).items():
            found[f"response {code} {ctype}"] = media.get("schema")
    return found


def _keyed_changes(label: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines = [f"{label} added: {k}" for k in sorted(set(new) - set(old))]
    lines += [f"{label} removed: {k}" for k in sorted(set(old) - set(new))]
    lines += [f"{label} changed: {k}" for k in sorted(set(old) & set(new)) if old[k] != new[k]]
    return lines


def describe_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    old_ops, new_ops = _operations(old), _operations(new)
    lines = [f"operation added: {k}" for k in sorted(set(new_ops) - set(old_ops))]
    lines += [f"operation removed: {k}" for k in sorted(set(old_ops) - set(new_ops))]
    for key in sorted(set(old_ops) & set(new_ops)):
        changes = _keyed_changes("parameter", _params(old_ops[key]), _params(new_ops[key]))
        changes += _keyed_changes("schema", _schemas(old_ops[key]), _schemas(new_ops[key]))
        lines += [f"{key}: {change}" for change in changes]
    lines += _keyed_changes(
        "component schema",
        old.get("components", {}).get("schemas", {}),
        new.get("components", {}).get("schemas", {}),
    )
    return lines


def vendor_upstream(layout: Layout, bundle_file: Path, status_file: Path | None) -> str:
    """Copy the new upstream files byte for byte into spec/upstream and summarise the change."""
    layout.require_inputs()
    new_bundle = read_bundle(bundle_file)
    old_bundle = read_bundle(layout.upstream_bundle)
    old_status = read_status(layout.upstream_status)
    new_status = read_status(status_file) if status_file else old_status
    old_doc, _ = normalize(old_bundle, old_status)
    new_doc, _ = normalize(new_bundle, new_status)
    changes = describe_changes(old_doc, new_doc)
    layout.upstream_bundle.write_bytes(bundle_file.read_bytes())
    if status_file:
        layout.upstream_status.write_bytes(status_file.read_bytes())
    header = (
        f"upstream: vendored {bundle_file} -> {layout.upstream_bundle.relative_to(layout.root)}"
    )
    if not changes:
        return f"{header}\nupstream: no operation, parameter or schema changes"
    return "\n".join([header, f"upstream: {len(changes)} change(s):", *(f"  {c}" for c in changes)])
