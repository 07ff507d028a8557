"""Overlay targets select exactly what python-jsonpath (RFC 9535, strict) selects, in its order,
although ``bria_build.targets`` evaluates descendant segments and singular filter queries its
own, cheaper way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonpath
import pytest
import yaml
from bria_build.layout import Layout
from bria_build.normalize import normalize
from bria_build.pipeline import Upstream
from bria_build.targets import find

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = jsonpath.JSONPathEnvironment(strict=True)


def overlay_targets() -> list[str]:
    targets: list[str] = []
    for path in sorted((ROOT / "overlays").glob("*.yaml")):
        targets += [action["target"] for action in yaml.safe_load(path.read_text())["actions"]]
    return sorted(set(targets))


# Forms the overlays do not use yet: every selector kind after `..`, negation, nested filters,
# functions, indexes inside singular queries, a descent from the root and two in one query.
EXTRA_TARGETS = [
    "$..servers",
    "$..['x-bria-name', 'title']",
    "$.paths..*",
    "$.paths..[0]",
    "$.paths..[-1]",
    "$.paths..enum[*]",
    "$.paths..[?!@.type]",
    "$.paths..[?@.type == 'integer' && !@.format].minimum",
    "$.paths..[?@.required[0]].properties",
    "$.paths..[?@.items.type == 'string']",
    "$.paths..[?length(@.enum) > 2]",
    "$.paths..[?@.example[-1]]",
    "$.paths..[?@[?@ == 'string']]",
    "$.paths..responses..description",
    "$..[?@.in == 'path'].name",
]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    upstream = Upstream.vendored(Layout(ROOT))
    doc, _ = normalize(upstream.bundle, upstream.status)
    return doc


@pytest.mark.parametrize("target", overlay_targets() + EXTRA_TARGETS)
def test_a_target_selects_what_python_jsonpath_selects(
    document: dict[str, Any], target: str
) -> None:
    expected = [(m.parts, m.obj) for m in REFERENCE.finditer(target, document)]
    found = find(target, document)
    assert [(m.parts, m.obj) for m in found] == expected
    assert [m.path for m in found] == [m.path for m in REFERENCE.finditer(target, document)]


def test_extra_targets_select_something(document: dict[str, Any]) -> None:
    # A comparison of two empty results would prove nothing.
    empty = [t for t in EXTRA_TARGETS if not find(t, document)]
    assert empty == []
