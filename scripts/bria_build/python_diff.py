"""The generated Python API diff: the committed ``bria_tailored`` against a candidate build.

Both packages are read statically by griffe (nothing is imported). Breaking changes are griffe's
own verdicts (``griffe.find_breaking_changes``: removed objects, removed or newly required
parameters, changed kinds, incompatible types), plus required fields of the attrs models (whose
constructors griffe cannot see); additions are the public objects and parameters
the new package has and the old one lacks, reported at the highest new level (a new module, not
each of its functions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import griffe

from .changes import PYTHON, Change
from .layout import PACKAGE_NAME, RUNTIME_NAME

_SKIPPED = f"{PACKAGE_NAME}.{RUNTIME_NAME}"


def _public(obj: Any) -> bool:
    name = str(obj.name)
    return not name.startswith("_") or name == "__init__"


def _walk(obj: Any, found: dict[str, Any]) -> None:
    for member in obj.members.values():
        if member.is_alias or not _public(member) or member.path.startswith(_SKIPPED):
            continue
        found[member.path] = member
        if member.is_module or member.is_class:
            _walk(member, found)


def _params(obj: Any) -> dict[str, Any]:
    if not obj.is_function:
        return {}
    return {p.name: p for p in obj.parameters if p.name not in ("self", "cls")}


def _required_model_field(obj: Any) -> bool:
    """An attrs field without a default: a required argument of the model's constructor.

    griffe compares ``__init__`` signatures, but attrs writes them at import time, so a new
    required field of a generated model is only visible as a class attribute without a value.
    """
    parent = obj.parent
    return bool(
        obj.is_attribute
        and "property" not in obj.labels
        and obj.value is None
        and parent is not None
        and parent.is_class
        and any("attrs_define" in str(d.value) for d in parent.decorators)
    )


def _load(search_path: Path) -> Any:
    return griffe.load(
        PACKAGE_NAME,
        search_paths=[search_path],
        allow_inspection=False,
        store_source=False,
        resolve_aliases=False,
    )


def diff_packages(old_parent: Path, new_parent: Path) -> list[Change]:
    """Compare ``old_parent/bria_tailored`` with ``new_parent/bria_tailored``."""
    old_pkg, new_pkg = _load(old_parent), _load(new_parent)
    changes: list[Change] = []
    for breakage in griffe.find_breaking_changes(old_pkg, new_pkg):
        path = str(breakage.obj.path)
        if path.startswith(_SKIPPED):
            continue
        old_value, new_value = breakage.old_value, breakage.new_value
        detail = breakage.kind.value
        if breakage.kind in (
            griffe.BreakageKind.PARAMETER_REMOVED,
            griffe.BreakageKind.PARAMETER_ADDED_REQUIRED,
            griffe.BreakageKind.PARAMETER_CHANGED_REQUIRED,
            griffe.BreakageKind.PARAMETER_MOVED,
            griffe.BreakageKind.PARAMETER_CHANGED_KIND,
            griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT,
        ):
            param = old_value if old_value is not None else new_value
            detail += f": `{getattr(param, 'name', param)}`"
        elif breakage.kind is not griffe.BreakageKind.OBJECT_REMOVED:
            detail += f": {_short(old_value)} → {_short(new_value)}"
        changes.append(
            Change(PYTHON, path, breakage.kind.name.lower().replace("_", "-"), detail, True)
        )
    old_objs: dict[str, Any] = {}
    new_objs: dict[str, Any] = {}
    _walk(old_pkg, old_objs)
    _walk(new_pkg, new_objs)
    added = set(new_objs) - set(old_objs)
    for path in sorted(added):
        if path.rsplit(".", 1)[0] in added:
            continue
        obj = new_objs[path]
        if _required_model_field(obj):
            changes.append(
                Change(
                    PYTHON,
                    path,
                    "model-field-added-required",
                    f"new required constructor argument `{obj.name}` of {obj.parent.name}",
                    True,
                )
            )
            continue
        changes.append(
            Change(PYTHON, path, f"{obj.kind.value}-added", f"new {obj.kind.value}", False)
        )
    for path in sorted(set(old_objs) & set(new_objs)):
        if _required_model_field(new_objs[path]) and not _required_model_field(old_objs[path]):
            changes.append(
                Change(
                    PYTHON,
                    path,
                    "model-field-became-required",
                    f"`{new_objs[path].name}` is now a required constructor argument",
                    True,
                )
            )
        before, after = _params(old_objs[path]), _params(new_objs[path])
        for name in sorted(set(after) - set(before)):
            if after[name].required:
                continue  # griffe reported it as breaking
            changes.append(
                Change(PYTHON, path, "parameter-added", f"optional parameter `{name}` added", False)
            )
    return changes


def _short(value: Any) -> str:
    text = str(getattr(value, "name", value))
    return text if len(text) <= 80 else text[:77] + "..."
