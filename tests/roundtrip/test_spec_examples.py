"""Every example in the normalized spec validates against the schema it illustrates.

Linters, Prism and generators serve or trust these examples; where Bria's example contradicts the
schema, ``overlays/80-examples.yaml`` rewrites it and names the value it replaced.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openapi_schemas import examples, invalid_examples

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def normalized() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((ROOT / "spec" / "bria-tailored.openapi.json").read_text())
    return loaded


def test_every_example_of_the_normalized_spec_is_valid(normalized: dict[str, Any]) -> None:
    problems, total = invalid_examples(normalized)
    print(f"examples valid: {total - len(problems)}/{total}")
    assert total >= 70
    assert problems == []


def test_the_walk_reaches_media_parameter_and_schema_examples(normalized: dict[str, Any]) -> None:
    pointers = [example.pointer for example in examples(normalized)]
    assert any("/examples/" in p and "/responses/" in p for p in pointers)
    assert any("/requestBody/" in p for p in pointers)


def test_the_check_refuses_what_bria_wrote(normalized: dict[str, Any]) -> None:
    # Put back two of the upstream values the overlay replaces: the walk must flag each of them.
    broken = json.loads(json.dumps(normalized))
    media = broken["paths"]["/v1/tailored-gen/models"]["get"]["responses"]["200"]["content"]
    media["application/json"]["example"][1]["checkpoint_steps"] = ["1500", "1000", "500"]
    created = broken["paths"]["/v1/tailored-gen/models"]["post"]["responses"]["201"]["content"]
    created["application/json"]["example"]["created_at"] = "2025-08-20T06:06:05.849402"
    problems, _ = invalid_examples(broken)
    assert len(problems) == 2
    assert any("is not of type 'integer'" in p for p in problems)
    assert any("is not a 'date-time'" in p for p in problems)
