"""Merge the stray top-level path blocks of the upstream bundle into ``paths``.

The upstream bundle carries nine path items beside ``paths``. They are richer
than their ``paths`` twins and one of them (``upload_model``) exists nowhere else, so a merge must
keep every leaf of both copies. Where both copies hold different values at the same place, one is
kept and the other is written to the merge report, so nothing disappears silently.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Conflict:
    pointer: str
    kept: Any
    dropped: Any
    kept_from: str
    rule: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "pointer": self.pointer,
            "kept": self.kept,
            "kept_from": self.kept_from,
            "dropped": self.dropped,
            "rule": self.rule,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Conflict:
        return cls(data["pointer"], data["kept"], data["dropped"], data["kept_from"], data["rule"])


@dataclass
class MergeReport:
    merged_blocks: list[str] = field(default_factory=list)
    added_operations: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    demoted_defaults: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "description": (
                "Values the build had to choose between. Stray top-level path blocks of the "
                "upstream bundle are merged into `paths` (pointers under /paths), and inline "
                "schemas named by overlays/30-components.yaml are merged into one component "
                "(pointers under /components). `kept` is in the normalized spec, `dropped` is "
                "the other copy's value. `demoted_defaults` lists request defaults moved into "
                "descriptions and `x-server-default`."
            ),
            "merged_blocks": self.merged_blocks,
            "added_operations": self.added_operations,
            "conflicts": [c.as_dict() for c in self.conflicts],
            "demoted_defaults": self.demoted_defaults,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MergeReport:
        """The report :meth:`as_dict` wrote (``spec/merge-report.json``)."""
        return cls(
            merged_blocks=list(data["merged_blocks"]),
            added_operations=list(data["added_operations"]),
            conflicts=[Conflict.from_dict(c) for c in data["conflicts"]],
            demoted_defaults=list(data["demoted_defaults"]),
        )


def pointer_token(key: str | int) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _choose(pointer: str, ours: Any, theirs: Any, report: MergeReport) -> Any:
    """Pick between two differing scalar values and record the loser.

    Longer prose carries more documentation, so the longer string wins; for anything else the
    stray copy wins because it is the richer, later-edited block.
    """
    if isinstance(ours, str) and isinstance(theirs, str):
        kept_paths = len(ours) >= len(theirs)
        rule = "longer text kept"
    else:
        kept_paths = False
        rule = "stray copy kept for non-text values"
    kept, dropped = (ours, theirs) if kept_paths else (theirs, ours)
    report.conflicts.append(
        Conflict(pointer, kept, dropped, "paths" if kept_paths else "stray block", rule)
    )
    return kept


def _param_key(item: Any) -> tuple[str, str] | None:
    if isinstance(item, dict) and "name" in item and "in" in item:
        return (str(item["in"]), str(item["name"]))
    return None


def _merge_lists(
    pointer: str, ours: list[Any], theirs: list[Any], report: MergeReport
) -> list[Any]:
    if ours == theirs:
        return copy.deepcopy(ours)
    # Parameters are identified by (in, name), not by position.
    if all(_param_key(x) for x in ours + theirs):
        merged: list[Any] = [copy.deepcopy(x) for x in ours]
        index = {_param_key(x): i for i, x in enumerate(merged)}
        for item in theirs:
            key = _param_key(item)
            if key in index:
                i = index[key]
                merged[i] = merge_values(f"{pointer}/{i}", merged[i], item, report)
            else:
                merged.append(copy.deepcopy(item))
        return merged
    if all(not isinstance(x, dict | list) for x in ours + theirs):
        # Enums, required lists and tags: the union keeps every value of both copies.
        return list(ours) + [x for x in theirs if x not in ours]
    if len(ours) == len(theirs):
        return [
            merge_values(f"{pointer}/{i}", a, b, report)
            for i, (a, b) in enumerate(zip(ours, theirs, strict=True))
        ]
    return _choose(pointer, ours, theirs, report)  # type: ignore[no-any-return]


def merge_values(pointer: str, ours: Any, theirs: Any, report: MergeReport) -> Any:
    """Deep-merge ``theirs`` (stray block) into ``ours`` (``paths`` copy)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        out = {k: copy.deepcopy(v) for k, v in ours.items()}
        for key, value in theirs.items():
            child = f"{pointer}/{pointer_token(key)}"
            out[key] = (
                merge_values(child, out[key], value, report) if key in out else copy.deepcopy(value)
            )
        return out
    if isinstance(ours, list) and isinstance(theirs, list):
        return _merge_lists(pointer, ours, theirs, report)
    if ours == theirs and type(ours) is type(theirs):
        return copy.deepcopy(ours)
    return _choose(pointer, ours, theirs, report)


def stray_path_blocks(doc: dict[str, Any]) -> list[str]:
    return [key for key in doc if key.startswith("/")]


def merge_stray_paths(doc: dict[str, Any]) -> tuple[dict[str, Any], MergeReport]:
    """Return a copy of ``doc`` whose stray path blocks live in ``paths``, and the merge report."""
    report = MergeReport()
    out = {k: copy.deepcopy(v) for k, v in doc.items() if not k.startswith("/")}
    paths = out.setdefault("paths", {})
    for key in stray_path_blocks(doc):
        block = doc[key]
        report.merged_blocks.append(key)
        existing = paths.get(key, {})
        for method in block:
            if method in HTTP_METHODS and method not in existing:
                report.added_operations.append(f"{method.upper()} {key}")
        pointer = f"/paths/{pointer_token(key)}"
        paths[key] = (
            merge_values(pointer, existing, block, report) if existing else copy.deepcopy(block)
        )
    return out, report
