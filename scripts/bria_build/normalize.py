"""Structural normalization that Overlay documents cannot express.

Overlays can update and remove nodes but cannot rename keys or combine documents, so three steps
happen here, before the overlays run:

* the stray top-level path blocks are merged into ``paths`` (see ``merge.py``);
* the Status Service document is merged in (every async v2 call answers with a ``status_url``
  into it);
* each operation's server base path (``/v1`` or ``/v2``) is hoisted into its path key, because
  openapi-python-client ignores ``servers`` and would otherwise send training calls to ``/v2``.
  The operation-level ``servers`` themselves are removed by ``overlays/10-routing.yaml`` so the
  decision stays documented there.

Every operation taken from Bria's files also records where that file holds it, as
``x-bria-upstream: <file>#<JSON pointer>``
(``tailored-generation.openapi.json#/paths/~1tailored-gen~1projects/post``;
a stray block's own operation points outside ``paths``). The suite's catalog derives its
per-operation entries, and their evidence, from the normalized spec through it.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlsplit

from .errors import BuildError
from .merge import HTTP_METHODS, MergeReport, merge_stray_paths, pointer_token, stray_path_blocks

#: Where an operation stands in Bria's files: ``<file name>#<JSON pointer>``.
UPSTREAM_KEY = "x-bria-upstream"
BUNDLE_NAME = "tailored-generation.openapi.json"
STATUS_NAME = "status.openapi.yaml"


def _server_prefix(servers: list[dict[str, Any]] | None) -> str | None:
    if not servers:
        return None
    return urlsplit(str(servers[0]["url"])).path.rstrip("/")


def hoist_server_paths(doc: dict[str, Any], source: str) -> dict[str, Any]:
    """Prefix every path with the base path of the server its operations declare."""
    root_prefix = _server_prefix(doc.get("servers")) or ""
    hoisted: dict[str, Any] = {}
    for path, item in doc.get("paths", {}).items():
        item_prefix = _server_prefix(item.get("servers")) or root_prefix
        per_prefix: dict[str, dict[str, Any]] = {}
        shared = {k: v for k, v in item.items() if k not in HTTP_METHODS}
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            prefix = _server_prefix(op.get("servers")) or item_prefix
            per_prefix.setdefault(prefix, copy.deepcopy(shared))[method] = copy.deepcopy(op)
        for prefix, new_item in per_prefix.items():
            key = f"{prefix}{path}"
            if key in hoisted:
                raise BuildError(
                    f"{source}: path {key!r} would be produced twice while prefixing server base "
                    "paths; the upstream spec declares the same route under two servers."
                )
            hoisted[key] = new_item
    out = dict(doc)
    out["paths"] = hoisted
    return out


def merge_documents(base: dict[str, Any], extra: dict[str, Any], extra_name: str) -> dict[str, Any]:
    """Add another document's paths, components and tags to ``base``; collisions are errors."""
    out = copy.deepcopy(base)
    for path, item in extra.get("paths", {}).items():
        if path in out["paths"]:
            raise BuildError(f"{extra_name}: path {path!r} already exists in the main bundle.")
        out["paths"][path] = copy.deepcopy(item)
    for section, entries in extra.get("components", {}).items():
        target = out.setdefault("components", {}).setdefault(section, {})
        for name, value in entries.items():
            if name in target and target[name] != value:
                raise BuildError(
                    f"{extra_name}: components/{section}/{name} differs from the main bundle's."
                )
            target[name] = copy.deepcopy(value)
    known_tags = {t["name"] for t in out.get("tags", [])}
    for tag in extra.get("tags", []):
        if tag["name"] not in known_tags:
            out.setdefault("tags", []).append(copy.deepcopy(tag))
    return out


def _with_locations(doc: dict[str, Any], name: str) -> dict[str, Any]:
    """``doc`` with each operation stamped with where ``doc`` holds it (:data:`UPSTREAM_KEY`).

    An operation both under ``paths`` and in a stray block is cited under ``paths``; the stray
    copy stays unstamped, so the merge sees no conflict.
    """
    out = dict(doc)
    paths = doc.get("paths", {})
    blocks = [("/paths/", key, paths[key], True) for key in paths]
    blocks += [("/", key, doc[key], False) for key in stray_path_blocks(doc)]
    stamped_paths: dict[str, Any] = {}
    for prefix, key, item, in_paths in blocks:
        if not isinstance(item, dict):
            continue
        new_item = dict(item)
        for method, op in item.items():
            if method not in HTTP_METHODS or not isinstance(op, dict):
                continue
            if not in_paths and isinstance(paths.get(key), dict) and method in paths[key]:
                continue
            at = f"{prefix}{pointer_token(key)}/{method}"
            new_item[method] = {**op, UPSTREAM_KEY: f"{name}#{at}"}
        if in_paths:
            stamped_paths[key] = new_item
        else:
            out[key] = new_item
    if "paths" in doc:
        out["paths"] = stamped_paths
    return out


def normalize(bundle: dict[str, Any], status: dict[str, Any]) -> tuple[dict[str, Any], MergeReport]:
    bundle = _with_locations(bundle, BUNDLE_NAME)
    status = _with_locations(status, STATUS_NAME)
    merged, report = merge_stray_paths(bundle)
    merged = hoist_server_paths(merged, "tailored-generation bundle")
    merged = merge_documents(merged, hoist_server_paths(status, "status service"), "status service")
    return merged, report
