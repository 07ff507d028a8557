"""The stray-path merge keeps every leaf of both copies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bria_build.merge import merge_stray_paths, pointer_token, stray_path_blocks


def generalize(pointer: str, doc: Any) -> str:
    """Rewrite a JSON pointer the way `leaves` spells it: list positions as `*`."""
    out, node = "", doc
    for token in pointer.split("/")[1:]:
        if isinstance(node, list):
            node, out = node[int(token)], f"{out}/*"
        else:
            node = node[token.replace("~1", "/").replace("~0", "~")]
            out = f"{out}/{token}"
    return out


def leaves(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """(pointer, value) of every scalar and empty container; list positions become `*`
    because merged lists (parameters, enums) may hold an item at another index."""
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from leaves(value, f"{pointer}/{pointer_token(key)}")
    elif isinstance(node, list) and node:
        for value in node:
            yield from leaves(value, f"{pointer}/*")
    else:
        yield pointer, repr(node)


def test_no_leaf_of_either_copy_is_lost(upstream_bundle: dict[str, Any]) -> None:
    merged, report = merge_stray_paths(upstream_bundle)
    kept = set(leaves(merged["paths"], "/paths"))
    recorded = set()
    for conflict in report.conflicts:
        where = generalize(conflict.pointer, merged)
        for value in (conflict.kept, conflict.dropped):
            recorded |= set(leaves(value, where))
    blocks = stray_path_blocks(upstream_bundle)
    assert len(blocks) == 9
    total = lost = 0
    for key in blocks:
        base = f"/paths/{pointer_token(key)}"
        copies = [upstream_bundle[key]]
        if key in upstream_bundle["paths"]:
            copies.append(upstream_bundle["paths"][key])
        for copy in copies:
            for leaf in leaves(copy, base):
                total += 1
                if leaf not in kept and leaf not in recorded:
                    lost += 1
    assert total > 700, f"expected the nine blocks to hold hundreds of leaves, counted {total}"
    assert lost == 0, f"{lost} of {total} leaves of the two copies are neither merged nor reported"


def test_every_kept_conflict_value_is_in_the_output(upstream_bundle: dict[str, Any]) -> None:
    merged, report = merge_stray_paths(upstream_bundle)
    assert report.conflicts, "the upstream copies differ, so conflicts must be reported"
    for conflict in report.conflicts:
        node: Any = merged
        for token in conflict.pointer.split("/")[1:]:
            key = token.replace("~1", "/").replace("~0", "~")
            node = node[int(key)] if isinstance(node, list) else node[key]
        assert node == conflict.kept, f"{conflict.pointer}: report says kept {conflict.kept!r}"


def test_upload_model_only_exists_in_a_stray_block_and_is_merged(
    upstream_bundle: dict[str, Any],
) -> None:
    assert "/tailored-gen/models/upload_model" not in upstream_bundle["paths"]
    merged, report = merge_stray_paths(upstream_bundle)
    assert "post" in merged["paths"]["/tailored-gen/models/upload_model"]
    assert "POST /tailored-gen/models/upload_model" in report.added_operations
    assert not [k for k in merged if k.startswith("/")], "stray blocks must leave the top level"


def test_parameters_merge_by_name_not_position() -> None:
    doc = {
        "paths": {
            "/a": {"get": {"parameters": [{"in": "query", "name": "x", "description": "a"}]}}
        },
        "/a": {
            "get": {
                "parameters": [
                    {"in": "query", "name": "y"},
                    {"in": "query", "name": "x", "description": "longer a"},
                ]
            }
        },
    }
    merged, report = merge_stray_paths(doc)
    params = merged["paths"]["/a"]["get"]["parameters"]
    assert [p["name"] for p in params] == ["x", "y"]
    assert params[0]["description"] == "longer a"
    assert report.conflicts[0].dropped == "a"


def test_scalar_lists_are_united_so_no_enum_value_is_lost() -> None:
    doc = {
        "paths": {"/a": {"get": {"x-enum": ["a", "b"]}}},
        "/a": {"get": {"x-enum": ["b", "c"]}},
    }
    merged, _ = merge_stray_paths(doc)
    assert merged["paths"]["/a"]["get"]["x-enum"] == ["a", "b", "c"]
