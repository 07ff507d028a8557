"""Generate Visual Schema and Refine Structured Prompt."""

from __future__ import annotations

import base64
import json

import pytest

from bria_conformance import media
from bria_conformance.scenario import NO_MODERATION_TRIGGER, P, Scenario, expect, rule


def _images(n: int) -> list[str]:
    return [base64.b64encode(media.image_bytes(64, 64, "png", shade=i)).decode() for i in range(n)]


@pytest.mark.catalog("schema-tools.visual-schema-image-count")
@pytest.mark.parametrize("count,allowed", [(4, 400), (5, 200), (10, 200), (11, 400)])
def test_visual_schema_image_count(scenario: Scenario, count: int, allowed: int) -> None:
    response = scenario.api.post(f"{P}/generate_visual_schema", json={"images": _images(count)})
    expect(
        response,
        allowed,
        "schema-tools.visual-schema-image-count",
        f"a visual schema from {count} images",
    )


@pytest.mark.catalog("schema-tools.visual-schema-is-json")
def test_visual_schema_is_json(scenario: Scenario) -> None:
    text = scenario.visual_schema()
    with rule("schema-tools.visual-schema-is-json"):
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise AssertionError(
                f"visual_schema must be a JSON string, got {text[:200]!r}"
            ) from exc
        assert isinstance(parsed, dict), (
            f"visual_schema holds a JSON structure (object), got {type(parsed).__name__}"
        )
    ds = scenario.dataset()
    expect(
        scenario.api.put(f"{P}/datasets/{ds['id']}", json={"visual_schema": text}),
        200,
        "schema-tools.visual-schema-is-json",
        "storing the generated visual schema on a dataset",
    )


@pytest.mark.catalog("schema-tools.refine-required-fields")
@pytest.mark.parametrize("missing", ["dataset_id", "structured_prompt", "instruction"])
def test_refine_requires_fields(scenario: Scenario, missing: str) -> None:
    ds = scenario.dataset()
    payload = {
        "dataset_id": ds["id"],
        "structured_prompt": json.dumps({"style": "flat"}),
        "instruction": "make it blue",
    }
    del payload[missing]
    expect(
        scenario.api.post(f"{P}/refine_structured_prompt", json=payload),
        400,
        "schema-tools.refine-required-fields",
        f"refining without {missing}",
    )


@pytest.mark.catalog("schema-tools.refine-draft-only")
def test_refine_requires_draft_dataset(scenario: Scenario) -> None:
    prompt = json.dumps({"style": "flat", "colors": "red"})
    draft = scenario.dataset()
    refined = expect(
        scenario.api.post(
            f"{P}/refine_structured_prompt",
            json={
                "dataset_id": draft["id"],
                "structured_prompt": prompt,
                "instruction": "make it blue",
            },
        ),
        200,
        "schema-tools.refine-draft-only",
        "refining with a draft dataset",
    )
    with rule("schema-tools.refine-draft-only"):
        assert isinstance(json.loads(refined["structured_prompt"]), dict), (
            "the refined prompt is a JSON structure"
        )
    completed = scenario.completed_dataset()
    expect(
        scenario.api.post(
            f"{P}/refine_structured_prompt",
            json={
                "dataset_id": completed["id"],
                "structured_prompt": prompt,
                "instruction": "make it blue",
            },
        ),
        {400, 409, 412},
        "schema-tools.refine-draft-only",
        "refining with a completed dataset",
    )
    gone = scenario.dataset()
    expect(
        scenario.api.delete(f"{P}/datasets/{gone['id']}"),
        204,
        "dataset.delete-removes-images",
        "deleting a dataset",
    )
    expect(
        scenario.api.post(
            f"{P}/refine_structured_prompt",
            json={
                "dataset_id": gone["id"],
                "structured_prompt": prompt,
                "instruction": "make it blue",
            },
        ),
        404,
        "schema-tools.refine-draft-only",
        "refining with an unknown dataset",
    )


@pytest.mark.catalog("schema-tools.visual-schema-moderation")
def test_visual_schema_moderation_refusal(scenario: Scenario) -> None:
    probe = scenario.target.moderation_probe
    if not probe:
        pytest.skip(NO_MODERATION_TRIGGER)
    unsafe = base64.b64encode(media.image_bytes(64, 64, "png", shade=9) + probe.encode()).decode()
    images = [*_images(4), unsafe]
    expect(
        scenario.api.post(
            f"{P}/generate_visual_schema", json={"images": images, "content_moderation": True}
        ),
        422,
        "schema-tools.visual-schema-moderation",
        "a visual schema from an image that fails moderation, content_moderation on",
    )
    expect(
        scenario.api.post(f"{P}/generate_visual_schema", json={"images": images}),
        200,
        "schema-tools.visual-schema-moderation",
        "the same images with content_moderation off (the default)",
    )


@pytest.mark.catalog("schema-tools.visual-schema-formats")
def test_visual_schema_unsupported_format(scenario: Scenario) -> None:
    gif = base64.b64encode(media.image_bytes(64, 64, "gif", shade=3)).decode()
    expect(
        scenario.api.post(f"{P}/generate_visual_schema", json={"images": [*_images(4), gif]}),
        415,
        "schema-tools.visual-schema-formats",
        "a visual schema from images including a GIF",
    )
