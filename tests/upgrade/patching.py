"""RFC 6902 JSON Patch (add, remove, replace, move, copy, test) for the upgrade fixtures.

The fixtures describe an upstream change as a patch of the vendored bundle, so each one stays a
few readable lines and keeps applying when the bundle is re-vendored.
"""

from __future__ import annotations

import copy
from typing import Any


class PatchError(Exception):
    pass


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"JSON pointer must start with '/': {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _parent(doc: Any, pointer: str) -> tuple[Any, str]:
    tokens = _tokens(pointer)
    if not tokens:
        raise PatchError("cannot patch the document root")
    node = doc
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node, tokens[-1]


def _get(doc: Any, pointer: str) -> Any:
    node = doc
    for token in _tokens(pointer):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _add(doc: Any, pointer: str, value: Any) -> None:
    parent, key = _parent(doc, pointer)
    if isinstance(parent, list):
        parent.insert(len(parent) if key == "-" else int(key), value)
    else:
        parent[key] = value


def _remove(doc: Any, pointer: str) -> Any:
    parent, key = _parent(doc, pointer)
    if isinstance(parent, list):
        return parent.pop(int(key))
    if key not in parent:
        raise PatchError(f"remove: nothing at {pointer}")
    return parent.pop(key)


def apply_patch(doc: Any, patch: list[dict[str, Any]]) -> Any:
    out = copy.deepcopy(doc)
    for step in patch:
        op, path = step["op"], step["path"]
        if op == "add":
            _add(out, path, copy.deepcopy(step["value"]))
        elif op == "remove":
            _remove(out, path)
        elif op == "replace":
            _remove(out, path)
            _add(out, path, copy.deepcopy(step["value"]))
        elif op == "move":
            _add(out, path, _remove(out, step["from"]))
        elif op == "copy":
            _add(out, path, copy.deepcopy(_get(out, step["from"])))
        elif op == "test":
            if _get(out, path) != step["value"]:
                raise PatchError(f"test failed at {path}")
        else:
            raise PatchError(f"unknown patch op {op!r}")
    return out
