"""Operations that name a project, dataset, image or model that does not exist answer 404."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bria_conformance import media
from bria_conformance.scenario import P, Scenario, expect, rule

# Far above any id a test creates, and inside 32 bits so no server refuses it as too large.
MISSING = 2_000_000_007


def _calls(scenario: Scenario, dataset_id: int) -> list[tuple[str, httpx.Response]]:
    """Every operation with a path id, sent with an otherwise valid request, id missing."""
    api, m = scenario.api, MISSING
    image = media.image_bytes(256, 256, "png", shade=1)
    upload: dict[str, Any] = {"files": {"file": ("image.png", image, "image/png")}}
    caption = {"caption": '{"subject": "a cube"}'}
    return [
        ("GET project", api.get(f"{P}/projects/{m}")),
        ("PUT project", api.put(f"{P}/projects/{m}", json={"project_name": "renamed"})),
        ("DELETE project", api.delete(f"{P}/projects/{m}")),
        ("GET project datasets", api.get(f"{P}/projects/{m}/datasets")),
        ("GET project models", api.get(f"{P}/projects/{m}/models")),
        ("GET dataset", api.get(f"{P}/datasets/{m}")),
        ("PUT dataset", api.put(f"{P}/datasets/{m}", json={"name": "renamed"})),
        ("DELETE dataset", api.delete(f"{P}/datasets/{m}")),
        ("clone dataset", api.post(f"{P}/datasets/{m}/clone", json={})),
        ("upload image", api.post(f"{P}/datasets/{m}/images", **upload)),
        ("GET images", api.get(f"{P}/datasets/{m}/images")),
        ("regenerate all captions", api.put(f"{P}/datasets/{m}/images")),
        ("bulk upload status", api.get(f"{P}/datasets/{m}/images/bulk-upload/status")),
        ("GET image of a missing dataset", api.get(f"{P}/datasets/{m}/images/{m}")),
        ("GET missing image", api.get(f"{P}/datasets/{dataset_id}/images/{m}")),
        ("PUT missing image", api.put(f"{P}/datasets/{dataset_id}/images/{m}", json=caption)),
        ("DELETE missing image", api.delete(f"{P}/datasets/{dataset_id}/images/{m}")),
        ("GET model", api.get(f"{P}/models/{m}")),
        ("PUT model", api.put(f"{P}/models/{m}", json={"name": "renamed"})),
        ("DELETE model", api.delete(f"{P}/models/{m}")),
        ("stop training", api.post(f"{P}/models/{m}/stop_training")),
        ("list checkpoints", api.get(f"{P}/models/{m}/checkpoints")),
        ("GET checkpoint", api.get(f"{P}/models/{m}/checkpoints/500")),
        ("DELETE checkpoint", api.delete(f"{P}/models/{m}/checkpoints/500")),
        ("download model", api.get(f"{P}/models/{m}/download")),
        ("download dataset", api.get(f"/v1/datasets/{m}/download")),
    ]


@pytest.mark.catalog("shape.unknown-resource-404")
def test_missing_resources_answer_404(scenario: Scenario) -> None:
    ds = scenario.dataset()
    wrong = [
        f"{what}: {r.request.method} {r.request.url.path} answered {r.status_code} {r.text[:300]}"
        for what, r in _calls(scenario, ds["id"])
        if r.status_code != 404
    ]
    with rule("shape.unknown-resource-404"):
        assert not wrong, (
            "an operation naming a resource that does not exist answers 404 (the bundle's "
            '"Project not found", "Dataset not found", "Image or dataset not found", '
            '"Model not found"):\n' + "\n".join(wrong)
        )
    # Nothing was created or changed on the way: the one real dataset is still empty.
    after = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images"),
        200,
        "shape.unknown-resource-404",
        "listing the images of the dataset the missing-image calls named",
    )
    with rule("shape.unknown-resource-404"):
        assert after == [], f"no image may appear from calls on missing ones: {after!r}"
