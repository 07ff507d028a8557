"""Generation (v2): input combinations, bounds, sync and async results, reproducibility,
the IP warning, moderation, structured prompts and image-to-video."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from bria_conformance.scenario import NO_MODERATION_TRIGGER, Scenario, expect, rule

from .test_training import fetch_bytes

GEN = "/v2/image/generate/tailored"
SPG = "/v2/structured_prompt/generate/tailored"
VID = "/v2/video/generate/tailored/image-to-video"
STRUCTURED = json.dumps(
    {"short_description": "a red cube on a table", "objects": [{"description": "a red cube"}]}
)
IP_WARNING = "intellectual property"


@pytest.fixture
def model_id(scenario: Scenario) -> int:
    model = scenario.trained_model()
    with rule("training.completes"):
        assert model["status"] == "Completed", (
            f"generation needs a completed model, got {model['status']!r}"
        )
    return int(model["id"])


def _result(payload: Any) -> dict[str, Any]:
    """The result of a sync response, in either documented form (result object or top level)."""
    if isinstance(payload, dict) and isinstance(payload.get("result"), dict):
        return dict(payload["result"])
    return dict(payload) if isinstance(payload, dict) else {}


def _poll(scenario: Scenario, accepted: dict[str, Any], entry: str) -> dict[str, Any]:
    request_id = accepted["request_id"]
    return dict(
        scenario.wait_for(
            lambda: expect(
                scenario.api.get(f"/v2/status/{request_id}"),
                200,
                entry,
                "polling the status service",
            ),
            lambda s: s.get("status") in ("COMPLETED", "ERROR", "UNKNOWN"),
            f"status of request {request_id}",
            step=5.0,
        )
    )


@pytest.mark.spends(shared_model=True, generations=3)
@pytest.mark.catalog("generate.input-combinations")
def test_generate_input_combinations(scenario: Scenario, model_id: int) -> None:
    entry = "generate.input-combinations"
    refused: list[dict[str, Any]] = [
        {},
        {"structured_prompt": STRUCTURED},
        {"negative_prompt": "blur"},
    ]
    accepted: list[dict[str, Any]] = [
        {"prompt": "a red cube"},
        {"structured_prompt": STRUCTURED, "seed": 7},
        {"structured_prompt": STRUCTURED, "prompt": "make it blue"},
    ]
    for extra in refused:
        expect(
            scenario.api.post(GEN, json={"tailored_model_id": model_id, **extra}),
            400,
            entry,
            f"generating with only {sorted(extra) or 'no input'}",
        )
    for extra in accepted:
        expect(
            scenario.api.post(GEN, json={"tailored_model_id": model_id, **extra}),
            {200, 202},
            entry,
            f"generating with {sorted(extra)}",
        )


GEN_BOUNDS = [
    ("guidance_scale", 2, 3, 5, 6),
    ("steps_num", 19, 20, 50, 51),
    ("tailored_model_influence", -0.1, 0, 1.5, 1.6),
]


@pytest.mark.spends(shared_model=True, generations=2)
@pytest.mark.catalog(*(f"generate.bound.{b[0]}" for b in GEN_BOUNDS))
@pytest.mark.parametrize("param,below,low,high,above", GEN_BOUNDS, ids=[b[0] for b in GEN_BOUNDS])
def test_generate_parameter_bounds(
    scenario: Scenario, model_id: int, param: str, below: Any, low: Any, high: Any, above: Any
) -> None:
    entry = f"generate.bound.{param}"
    for value in (below, above):
        expect(
            scenario.api.post(
                GEN, json={"tailored_model_id": model_id, "prompt": "a cube", param: value}
            ),
            400,
            entry,
            f"{param}={value} (outside the documented range)",
        )
    for value in (low, high):
        expect(
            scenario.api.post(
                GEN, json={"tailored_model_id": model_id, "prompt": "a cube", param: value}
            ),
            {200, 202},
            entry,
            f"{param}={value} (a boundary value)",
        )


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("generate.async-default", "status.values")
def test_generate_async_by_default(scenario: Scenario, model_id: int) -> None:
    accepted = expect(
        scenario.api.post(GEN, json={"tailored_model_id": model_id, "prompt": "a red cube"}),
        202,
        "generate.async-default",
        "generating without sync",
    )
    with rule("generate.async-default"):
        assert isinstance(accepted.get("request_id"), str) and isinstance(
            accepted.get("status_url"), str
        ), accepted
    first = expect(
        scenario.api.get(f"/v2/status/{accepted['request_id']}"),
        200,
        "status.values",
        "polling once",
    )
    with rule("status.values"):
        assert first.get("status") in ("IN_PROGRESS", "COMPLETED", "ERROR", "UNKNOWN"), first
        if scenario.target.controls:
            # No time passed since the 202: an asynchronous request is still running.
            assert first.get("status") == "IN_PROGRESS", (
                f"an async request is seen IN_PROGRESS before it completes, got {first!r}"
            )
    final = _poll(scenario, accepted, "status.values")
    with rule("status.values"):
        assert final.get("status") != "COMPLETED" or isinstance(final.get("result"), dict), (
            f"a COMPLETED status carries its `result`: {final!r}"
        )
    with rule("generate.async-default"):
        assert final.get("status") == "COMPLETED", f"the generation should complete, got {final!r}"
        assert isinstance((final.get("result") or {}).get("image_url"), str), (
            f"COMPLETED carries result.image_url: {final!r}"
        )
        # The Status Service returns the seed "for endpoints that support reproducible outputs",
        # and image generation is one ("Recreates a previous image exactly (requires seed)").
        # The status service's own example writes the seed as a digit string: both forms count.
        seed = (final.get("result") or {}).get("seed")
        assert (isinstance(seed, int) and not isinstance(seed, bool)) or (
            isinstance(seed, str) and seed.isdigit()
        ), f"a completed image generation's result carries its seed (an integer): {final!r}"
    with rule("status.values"):
        assert final.get("request_id") == accepted["request_id"], final


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("generate.sync-result")
def test_generate_sync_result(scenario: Scenario, model_id: int) -> None:
    payload = expect(
        scenario.api.post(
            GEN, json={"tailored_model_id": model_id, "prompt": "a red cube", "sync": True}
        ),
        200,
        "generate.sync-result",
        "generating with sync=true",
    )
    result = _result(payload)
    with rule("generate.sync-result"):
        assert isinstance(result.get("image_url"), str) and result["image_url"], (
            f"a sync result has an image URL: {payload!r}"
        )
        assert isinstance(json.loads(result.get("structured_prompt") or "null"), dict), (
            f"a sync result has the structured prompt as a JSON string: {payload!r}"
        )
        if "result" in payload:
            # An integer, or the digit string status.openapi.yaml's examples show (`seed: '42'`).
            seed = result.get("seed")
            assert isinstance(seed, int) or (
                isinstance(seed, str) and seed.lstrip("-").isdigit()
            ), f"the result object carries the seed: {payload!r}"
    fetch_bytes(scenario, result["image_url"])


@pytest.mark.spends(shared_model=True, generations=3)
@pytest.mark.catalog("generate.reproducible")
def test_same_structured_prompt_and_seed_give_same_image(scenario: Scenario, model_id: int) -> None:
    request = {
        "tailored_model_id": model_id,
        "structured_prompt": STRUCTURED,
        "seed": 1234,
        "sync": True,
    }
    first = _result(
        expect(scenario.api.post(GEN, json=request), 200, "generate.reproducible", "generating")
    )
    second = _result(
        expect(
            scenario.api.post(GEN, json=request), 200, "generate.reproducible", "generating again"
        )
    )
    other = _result(
        expect(
            scenario.api.post(GEN, json={**request, "seed": 4321}),
            200,
            "generate.reproducible",
            "generating with another seed",
        )
    )
    a, b, c = (fetch_bytes(scenario, r["image_url"]) for r in (first, second, other))
    with rule("generate.reproducible"):
        assert a == b, "the same structured prompt and seed must recreate the same image"
        assert a != c, (
            "a different seed is expected to give a different image (the seed must matter)"
        )


@pytest.mark.spends(shared_model=True, generations=2)
@pytest.mark.catalog("generate.ip-warning")
def test_ip_prompt_gets_warning(scenario: Scenario, model_id: int) -> None:
    response = scenario.api.post(
        GEN,
        json={
            "tailored_model_id": model_id,
            "prompt": "Mickey Mouse drinking Coca-Cola",
            "sync": True,
        },
    )
    payload = expect(response, 200, "generate.ip-warning", "an IP-related prompt is not blocked")
    plain = scenario.api.post(
        GEN, json={"tailored_model_id": model_id, "prompt": "a red cube", "sync": True}
    )
    with rule("generate.ip-warning"):
        assert IP_WARNING in json.dumps(payload).lower(), (
            f"the response must carry the IP warning: {payload!r}"
        )
        assert IP_WARNING not in plain.text.lower(), "a plain prompt must not carry the IP warning"


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("generate.moderation")
def test_moderation_refusal(scenario: Scenario, model_id: int) -> None:
    unsafe = scenario.target.moderation_probe
    if not unsafe:
        pytest.skip(NO_MODERATION_TRIGGER)
    expect(
        scenario.api.post(
            GEN, json={"tailored_model_id": model_id, "prompt": unsafe, "sync": True}
        ),
        422,
        "generate.moderation",
        "a prompt that fails moderation",
    )
    # Both documented switches off: neither the prompt nor the generated image is moderated.
    expect(
        scenario.api.post(
            GEN,
            json={
                "tailored_model_id": model_id,
                "prompt": unsafe,
                "sync": True,
                "prompt_content_moderation": False,
                "visual_output_content_moderation": False,
            },
        ),
        200,
        "generate.moderation",
        "the same prompt with both moderation switches off",
    )


@pytest.mark.catalog("generate.trained-model-only")
def test_unknown_model_is_refused(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    gone = scenario.model(ds["id"])
    expect(
        scenario.api.delete(f"/v1/tailored-gen/models/{gone['id']}"),
        204,
        "model.deleted-is-gone",
        "deleting a model",
    )
    response = scenario.api.post(
        GEN, json={"tailored_model_id": gone["id"], "prompt": "a cube", "sync": True}
    )
    with rule("generate.trained-model-only"):
        assert 400 <= response.status_code < 500, (
            f"an unknown model is refused with a 4xx, got {response.status_code}"
        )


@pytest.mark.spends(shared_model=True, generations=2)
@pytest.mark.catalog("structured-prompt.input-combinations")
def test_structured_prompt_input_combinations(scenario: Scenario, model_id: int) -> None:
    entry = "structured-prompt.input-combinations"
    for extra in ({}, {"structured_prompt": STRUCTURED}):
        expect(
            scenario.api.post(SPG, json={"tailored_model_id": model_id, **extra}),
            400,
            entry,
            f"a structured prompt from {sorted(extra) or 'no input'}",
        )
    for extra in (
        {"prompt": "a red cube"},
        {"structured_prompt": STRUCTURED, "prompt": "make it blue"},
    ):
        expect(
            scenario.api.post(SPG, json={"tailored_model_id": model_id, **extra}),
            {200, 202},
            entry,
            f"a structured prompt from {sorted(extra)}",
        )


@pytest.mark.spends(shared_model=True, generations=2)
@pytest.mark.catalog("structured-prompt.result")
def test_structured_prompt_results(scenario: Scenario, model_id: int) -> None:
    payload = expect(
        scenario.api.post(
            SPG, json={"tailored_model_id": model_id, "prompt": "a red cube", "sync": True}
        ),
        200,
        "structured-prompt.result",
        "a sync structured prompt",
    )
    result = _result(payload)
    with rule("structured-prompt.result"):
        assert isinstance(json.loads(result.get("structured_prompt") or "null"), dict), payload
        assert "image_url" not in result, (
            f"structured prompt generation returns no image: {payload!r}"
        )
    accepted = expect(
        scenario.api.post(SPG, json={"tailored_model_id": model_id, "prompt": "a red cube"}),
        202,
        "structured-prompt.result",
        "an async structured prompt",
    )
    final = _poll(scenario, accepted, "structured-prompt.result")
    with rule("structured-prompt.result"):
        assert final.get("status") == "COMPLETED", final
        assert isinstance(
            json.loads((final.get("result") or {}).get("structured_prompt") or "null"), dict
        ), final


@pytest.mark.spends(shared_model=True, generations=3)
@pytest.mark.catalog("video.async-only")
def test_video_is_async_only(scenario: Scenario, model_id: int) -> None:
    image = _result(
        expect(
            scenario.api.post(
                GEN, json={"tailored_model_id": model_id, "prompt": "a cube", "sync": True}
            ),
            200,
            "generate.sync-result",
            "generating a source image",
        )
    )["image_url"]
    accepted = expect(
        scenario.api.post(VID, json={"tailored_model_id": model_id, "image": image}),
        202,
        "video.async-only",
        "image-to-video",
    )
    with rule("video.async-only"):
        assert isinstance(accepted.get("request_id"), str) and isinstance(
            accepted.get("status_url"), str
        ), accepted
    final = _poll(scenario, accepted, "video.async-only")
    with rule("video.async-only"):
        assert final.get("status") == "COMPLETED", final
        assert isinstance((final.get("result") or {}).get("video_url"), str), (
            f"COMPLETED carries result.video_url: {final!r}"
        )
    # "Publicly accessible URL or base64 string of the source image": the same image as base64.
    encoded = base64.b64encode(fetch_bytes(scenario, image)).decode()
    accepted = expect(
        scenario.api.post(VID, json={"tailored_model_id": model_id, "image": encoded}),
        202,
        "video.async-only",
        "image-to-video with the source image as a base64 string",
    )
    final = _poll(scenario, accepted, "video.async-only")
    with rule("video.async-only"):
        assert final.get("status") == "COMPLETED", final
        assert isinstance((final.get("result") or {}).get("video_url"), str), (
            f"a base64 source image is animated too: {final!r}"
        )


@pytest.mark.catalog("video.required-fields")
@pytest.mark.parametrize("missing", ["tailored_model_id", "image"])
def test_video_requires_fields(scenario: Scenario, missing: str) -> None:
    payload: dict[str, Any] = {"tailored_model_id": 1, "image": "https://example.com/a.png"}
    del payload[missing]
    expect(
        scenario.api.post(VID, json=payload),
        400,
        "video.required-fields",
        f"image-to-video without {missing}",
    )


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("generate.aspect-ratio-enum")
def test_unknown_aspect_ratio_with_a_real_model(scenario: Scenario, model_id: int) -> None:
    # The model exists and is trained, so the only thing wrong is the aspect ratio: an
    # unknown-model refusal cannot satisfy this rule.
    base = {"tailored_model_id": model_id, "prompt": "a red cube", "sync": True}
    expect(
        scenario.api.post(GEN, json={**base, "aspect_ratio": "7:3"}),
        400,
        "generate.aspect-ratio-enum",
        "generating with the undocumented aspect_ratio 7:3",
    )
    expect(
        scenario.api.post(GEN, json={**base, "aspect_ratio": "16:9"}),
        200,
        "generate.aspect-ratio-enum",
        "generating with the documented aspect_ratio 16:9",
    )


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("video.unknown-model")
def test_video_with_unknown_model(scenario: Scenario, model_id: int) -> None:
    image = _result(
        expect(
            scenario.api.post(
                GEN, json={"tailored_model_id": model_id, "prompt": "a cube", "sync": True}
            ),
            200,
            "generate.sync-result",
            "generating a source image",
        )
    )["image_url"]
    unknown = model_id + 10_000_000
    expect(
        scenario.api.post(VID, json={"tailored_model_id": unknown, "image": image}),
        404,
        "video.unknown-model",
        f"image-to-video with tailored_model_id {unknown}, which does not exist",
    )


@pytest.mark.spends(shared_model=True)
@pytest.mark.catalog("video.invalid-image")
def test_video_with_invalid_image(scenario: Scenario, model_id: int) -> None:
    garbage = base64.b64encode(b"this is not an image, only text " * 8).decode()
    # 422 "Invalid image data" and 415 "Unsupported Media Type" both describe bytes that are no
    # image: either is a documented refusal.
    expect(
        scenario.api.post(VID, json={"tailored_model_id": model_id, "image": garbage}),
        {415, 422},
        "video.invalid-image",
        "image-to-video with base64 bytes that are no image",
    )
