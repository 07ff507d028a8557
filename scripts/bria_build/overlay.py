"""A small Overlay 1.0 applier on RFC 9535 JSONPath (python-jsonpath in strict mode).

Besides the standard, the project requires every action to carry a ``description`` (the reason and
its evidence) and treats an action whose target matches nothing as an error: a dead target means
the upstream spec changed under the overlay, which the user must look at.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jsonpath
import jsonschema
import yaml

from .errors import BuildError
from .inputs import YAML_LOADER, load_yaml
from .targets import compile_target, find


@dataclass(frozen=True)
class DeadAction:
    file: str
    index: int
    target: str
    description: str
    line: int = 0

    @property
    def where(self) -> str:
        """``file:line`` of the action, what an editor jumps to."""
        name = f"overlays/{self.file}"
        return f"{name}:{self.line}" if self.line else f"{name} action #{self.index}"

    def __str__(self) -> str:
        return (
            f"{self.where}: target {self.target!r} matches nothing "
            f"({self.description.splitlines()[0] if self.description else 'no description'})"
        )


@dataclass
class ActionTrace:
    """One applied action and the locations (JSONPath parts) it matched when it ran."""

    file: str
    line: int
    action: dict[str, Any]
    matched: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"overlays/{self.file}:{self.line}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "action": self.action,
            "matched": [list(parts) for parts in self.matched],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ActionTrace:
        return cls(data["file"], data["line"], data["action"], [tuple(p) for p in data["matched"]])


@dataclass
class OverlayResult:
    document: dict[str, Any]
    dead: list[DeadAction] = field(default_factory=list)
    applied: int = 0
    traces: list[ActionTrace] = field(default_factory=list)


def _schema() -> dict[str, Any]:
    text = resources.files("bria_build").joinpath("data/overlay-1.0.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def action_lines(text: str) -> list[int]:
    """The 1-based line of each entry of ``actions`` (0 when the text has no such list)."""
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "actions" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _at(path: Path, text: str, index: int) -> str:
    """``file:line`` of an action, for error messages (the lines are found only then)."""
    lines = action_lines(text)
    return f"{path}:{lines[index]}" if index < len(lines) else f"{path} action #{index}"


def load_overlay(path: Path) -> dict[str, Any]:
    """Read and validate one overlay file; errors name the file and the offending action."""
    try:
        text = path.read_text(encoding="utf-8")
        doc = load_yaml(text)
    except yaml.YAMLError as exc:
        raise BuildError(f"{path}: not valid YAML: {exc}") from None
    validator = jsonschema.Draft202012Validator(_schema())
    problems = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if problems:
        first = problems[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(document)"
        raise BuildError(f"{path}: not a valid Overlay 1.0 document at {where}: {first.message}")
    for index, action in enumerate(doc["actions"]):
        if not str(action.get("description", "")).strip():
            raise BuildError(
                f"{_at(path, text, index)} ({action['target']}): every action needs a description "
                "saying why, with its evidence (the upstream document and where it says so)."
            )
        if "update" not in action and not action.get("remove", False):
            raise BuildError(f"{_at(path, text, index)}: needs either `update` or `remove: true`.")
        try:
            compile_target(action["target"])
        except jsonpath.JSONPathError as exc:
            raise BuildError(
                f"{_at(path, text, index)}: target {action['target']!r} "
                f"is not RFC 9535 JSONPath: {exc}"
            ) from None
    loaded: dict[str, Any] = doc
    return loaded


def _merge(target: Any, update: Any, where: str) -> Any:
    if isinstance(target, dict) and isinstance(update, dict):
        for key, value in update.items():
            if key in target and isinstance(target[key], dict | list):
                target[key] = _merge(target[key], value, f"{where}.{key}")
            else:
                target[key] = copy.deepcopy(value)
        return target
    if isinstance(target, list):
        # Overlay 1.0: an update aimed at an array appends to it.
        target.extend(
            copy.deepcopy(update) if isinstance(update, list) else [copy.deepcopy(update)]
        )
        return target
    if isinstance(target, dict):
        raise BuildError(f"{where}: cannot merge a {type(update).__name__} into an object")
    raise BuildError(f"{where}: update targets must be objects or arrays")


def _removal_order(parts: tuple[Any, ...]) -> tuple[int, tuple[tuple[int, int, str], ...]]:
    return len(parts), tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in parts)


def _parent_and_key(doc: Any, parts: tuple[Any, ...]) -> tuple[Any, Any]:
    node = doc
    for part in parts[:-1]:
        node = node[part]
    return node, parts[-1]


def apply_overlay(
    doc: dict[str, Any], overlay: dict[str, Any], name: str, lines: list[int] | None = None
) -> OverlayResult:
    result = OverlayResult(document=doc)
    for index, action in enumerate(overlay["actions"]):
        target = action["target"]
        line = lines[index] if lines and index < len(lines) else 0
        where = f"{name}:{line}" if line else f"{name} action #{index}"
        matches = find(target, doc)
        result.traces.append(ActionTrace(name, line, action, [tuple(m.parts) for m in matches]))
        if not matches:
            result.dead.append(
                DeadAction(name, index, target, str(action.get("description", "")), line)
            )
            continue
        result.applied += 1
        if action.get("remove", False):
            # Remove deepest and last items first so earlier indexes stay valid.
            locations = sorted((m.parts for m in matches), key=_removal_order, reverse=True)
            for parts in locations:
                if not parts:
                    raise BuildError(f"{where}: cannot remove the document root")
                parent, key = _parent_and_key(doc, parts)
                del parent[key]
            continue
        for match in matches:
            if not match.parts:
                _merge(doc, action["update"], where)
                continue
            parent, key = _parent_and_key(doc, match.parts)
            parent[key] = _merge(parent[key], action["update"], f"{where} at {match.path}")
    return result


def apply_overlays(doc: dict[str, Any], files: list[Path]) -> OverlayResult:
    combined = OverlayResult(document=copy.deepcopy(doc))
    for path in files:
        lines = action_lines(path.read_text(encoding="utf-8"))
        step = apply_overlay(combined.document, load_overlay(path), path.name, lines)
        combined.dead.extend(step.dead)
        combined.traces.extend(step.traces)
        combined.applied += step.applied
    return combined
