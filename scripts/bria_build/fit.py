"""Overlay actions that still match but no longer fit, and catalog pointers that no longer resolve.

An overlay action is written against one version of Bria's spec. When the spec changes, an action
can keep matching its target and still be wrong:

* a ``required`` list naming a property the schema no longer has (a rename upstream);
* an enum narrower than the new upstream enum at the same place (values Bria now documents that
  the repaired spec would refuse), or, in a request, still offering a value Bria no longer
  accepts (a shared enum component keeps the union of every site);
* a type set over a value whose upstream type changed (the repair was for the old type).

Each finding names the action by ``file:line``. The build records which locations each action
matched when it ran; a location is attributed to the last action that matched it or one of its
parents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .changes import OURS, Change
from .http_diff import resolve_schema
from .inputs import load_yaml
from .overlay import ActionTrace

Parts = tuple[Any, ...]


def _node(doc: Any, parts: Parts) -> Any:
    """The node at ``parts``, looking through ``$ref`` and ``allOf`` wrappers on the way.

    The final spec has shared components where the upstream one has inline schemas, so a
    location of the upstream document is found in it by following the references.
    """
    node = doc
    for part in parts:
        node = _child(doc, node, part, 0)
        if node is None:
            return None
    return node


def _child(doc: Any, node: Any, part: Any, depth: int) -> Any:
    if isinstance(node, list):
        return node[part] if isinstance(part, int) and part < len(node) else None
    if not isinstance(node, dict) or depth > 8:
        return None
    if part in node:
        return node[part]
    if "$ref" in node:
        return _child(doc, resolve_schema(doc, {"$ref": node["$ref"]}, ())[0], part, depth + 1)
    for sub in node.get("allOf") or ():
        found = _child(doc, sub, part, depth + 1)
        if found is not None:
            return found
    return None


def _schema_nodes(doc: Any, parts: Parts = ()) -> list[tuple[Parts, dict[str, Any]]]:
    """Every object with a string ``type`` or an ``enum`` list, with its location."""
    found: list[tuple[Parts, dict[str, Any]]] = []
    if isinstance(doc, dict):
        if isinstance(doc.get("type"), str) or isinstance(doc.get("enum"), list):
            found.append((parts, doc))
        for key, value in doc.items():
            if key not in ("example", "examples"):
                found.extend(_schema_nodes(value, (*parts, key)))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found.extend(_schema_nodes(value, (*parts, index)))
    return found


def _update_keys(update: Any) -> set[str]:
    keys: set[str] = set()
    if isinstance(update, dict):
        for key, value in update.items():
            keys.add(str(key))
            keys |= _update_keys(value)
    elif isinstance(update, list):
        for value in update:
            keys |= _update_keys(value)
    return keys


def _owner(traces: list[ActionTrace], parts: Parts, keys: set[str]) -> ActionTrace | None:
    """The last action that matched ``parts`` or a parent of it and sets one of ``keys``."""
    owner = None
    for trace in traces:
        if keys & _update_keys(trace.action.get("update")) and any(
            parts[: len(m)] == m for m in trace.matched
        ):
            owner = trace
    return owner


def _pointer(parts: Parts) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _is_request(parts: Parts) -> bool:
    """Whether a location is something the caller sends (a parameter or a request body)."""
    return "requestBody" in parts or "parameters" in parts


def _enum(doc: dict[str, Any], node: Any) -> set[str] | None:
    schema, _ = resolve_schema(doc, node, ())
    values = schema.get("enum")
    return {str(v) for v in values if v is not None} if isinstance(values, list) else None


def misfits(
    old_upstream: dict[str, Any],
    new_upstream: dict[str, Any],
    new_final: dict[str, Any],
    traces: list[ActionTrace],
) -> list[Change]:
    """Actions that match the new upstream spec but no longer fit it.

    ``old_upstream``/``new_upstream`` are the normalized documents before the overlays,
    ``new_final`` the normalized spec the build produced, ``traces`` what each action matched.
    """
    found: list[Change] = []
    seen: set[tuple[str, str]] = set()

    def add(trace: ActionTrace | None, parts: Parts, kind: str, detail: str) -> None:
        where = trace.where if trace else "overlays (no single action)"
        if (where, detail) in seen:
            return
        seen.add((where, detail))
        found.append(Change(OURS, where, kind, f"{detail} at {_pointer(parts)}", True))

    for trace in traces:
        update = trace.action.get("update")
        if not isinstance(update, dict) or not isinstance(update.get("required"), list):
            continue
        for parts in trace.matched:
            schema, _ = resolve_schema(new_final, _node(new_final, parts), ())
            props = schema.get("properties")
            if not isinstance(props, dict):
                continue
            for name in update["required"]:
                if name not in props:
                    add(
                        trace,
                        parts,
                        "overlay-required-names-missing-property",
                        f"`required` names `{name}`, which the schema no longer has "
                        f"(properties: {', '.join(sorted(props)) or 'none'})",
                    )
    for parts, node in _schema_nodes(new_upstream):
        before = _node(old_upstream, parts)
        final = _node(new_final, parts)
        if final is None:
            continue
        upstream_enum = node.get("enum")
        if isinstance(upstream_enum, list):
            ours = _enum(new_final, final)
            theirs = {str(v) for v in upstream_enum if v is not None}
            old_theirs = (
                {str(v) for v in before["enum"] if v is not None}
                if isinstance(before, dict) and isinstance(before.get("enum"), list)
                else set()
            )
            old_final_gap = old_theirs - ours if ours is not None else set()
            missing = (theirs - ours) - old_final_gap if ours is not None else set()
            if ours is not None and missing:
                owner = _owner(traces, parts, {"enum", "x-bria-name"})
                add(
                    owner,
                    parts,
                    "overlay-enum-narrower-than-upstream",
                    f"the repaired enum {sorted(ours)} lacks {sorted(missing)}, "
                    "which Bria's spec now lists",
                )
            dropped = old_theirs - theirs
            if ours is not None and dropped & ours and _is_request(parts):
                owner = _owner(traces, parts, {"enum", "x-bria-name"})
                add(
                    owner,
                    parts,
                    "overlay-enum-wider-than-upstream",
                    f"Bria no longer accepts {sorted(dropped & ours)} here, but the repaired enum "
                    f"{sorted(ours)} still offers them to callers (shared with other sites)",
                )
        new_type = node.get("type")
        old_type = before.get("type") if isinstance(before, dict) else None
        if isinstance(new_type, str) and isinstance(old_type, str) and new_type != old_type:
            owner = _owner(traces, parts, {"type"})
            final_schema, _ = resolve_schema(new_final, final, ())
            if owner is not None and final_schema.get("type") not in (None, new_type):
                add(
                    owner,
                    parts,
                    "overlay-type-target-changed",
                    f"the action sets type `{final_schema.get('type')}` where Bria's type changed "
                    f"from `{old_type}` to `{new_type}`; the repair was written for `{old_type}`",
                )
    return found


# ---- catalog --------------------------------------------------------------------------------

CATALOG = Path("conformance/suite/bria_conformance/catalog.yaml")


def _resolves(doc: Any, pointer: str) -> bool:
    node = doc
    for raw in pointer.lstrip("#").split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _catalog_sources(catalog: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(owner id, source) of every citation: entries, their mock rules, contradictions' evidence."""
    out: list[tuple[str, dict[str, Any]]] = []
    for entry in catalog.get("entries") or ():
        out += [(str(entry.get("id")), source) for source in entry.get("source") or ()]
        for rule in entry.get("mock") or ():
            out += [(str(entry.get("id")), source) for source in rule.get("source") or ()]
    for contradiction in catalog.get("contradictions") or ():
        out += [
            (str(contradiction.get("id")), source) for source in contradiction.get("evidence") or ()
        ]
    return out


def catalog_breaks(root: Path, old_docs: dict[str, Any], new_docs: dict[str, Any]) -> list[Change]:
    """Catalog ``source`` pointers that resolve in the old documents but not in the new ones.

    ``*_docs`` map the catalog's document keys (``002``, ``status``, ``normalized``) to documents.
    """
    path = root / CATALOG
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    catalog = load_yaml(text) or {}
    text_lines = text.splitlines()
    found: list[Change] = []
    for owner, source in _catalog_sources(catalog):
        key, pointer = str(source.get("doc")), str(source.get("at", ""))
        if key not in new_docs or not pointer.startswith("#"):
            continue
        if _resolves(old_docs[key], pointer) and not _resolves(new_docs[key], pointer):
            anchor = f"id: {owner}"
            line = next((n for n, text in enumerate(text_lines, 1) if anchor in text), 0)
            found.append(
                Change(
                    OURS,
                    f"{CATALOG}:{line}",
                    "catalog-source-gone",
                    f"entry `{owner}` points at {key} {pointer}, which the new "
                    "document no longer has",
                    True,
                )
            )
    return found
