"""The v1 generation operations bria-guide-v1.md documents in prose only: text-to-image and
text-to-vector with a tailored model (and from a checkpoint), reimagine, restyle_portrait and
generate_prefix. All of them are paid: against a live API they run only with --allow-generation
(the suite's Api refuses their paths otherwise)."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from bria_conformance import media, runtime
from bria_conformance.scenario import NO_MODERATION_TRIGGER, Scenario, expect, rule

from .test_training import fetch_bytes

T2I = "/v1/text-to-image/tailored"
T2V = "/v1/text-to-vector/tailored"
REIMAGINE = "/v1/reimagine/tailored"
RESTYLE = "/v1/tailored-gen/restyle_portrait"
PREFIX = "/v1/tailored-gen/generate_prefix"
# Expert parameters that leave checkpoints behind (List Checkpoints is expert-only).
CHECKPOINTED = {"total_training_steps": 600, "checkpoint_interval": 200}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def image(width: int, height: int, shade: int = 0) -> str:
    return b64(media.image_bytes(width, height, "png", shade))


def trained(
    scenario: Scenario,
    *,
    medium: str = "illustration",
    version: str | None = None,
    params: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A trained model in a project of ``medium`` (expert mode when ``params`` are given)."""
    run = runtime.active()
    if medium == "illustration" and version is None and not params and run and run.shared_active:
        return scenario.trained_model()  # the run's shared model is such a model
    project = scenario.project(ip_medium=medium, ip_type="stylized_scene")
    ds = scenario.completed_dataset(project_id=project["id"])
    fields: dict[str, Any] = {"training_mode": "expert" if params else "fully_automated"}
    if version is not None:
        fields["training_version"] = version
    model = scenario.model(ds["id"], **fields)
    expect(
        scenario.start(model["id"], **(params or {})),
        200,
        "training.starts-in-progress",
        "starting a training on a completed dataset",
    )
    done = scenario.wait_for(
        lambda: scenario.get_model(model["id"]),
        lambda m: m.get("status") in ("Completed", "Failed"),
        f"training of model {model['id']}",
    )
    with rule("training.completes"):
        assert done["status"] == "Completed", f"the training ended {done['status']!r}"
    return dict(done)


@pytest.fixture
def model(scenario: Scenario) -> dict[str, Any]:
    return trained(scenario)


def first_url(payload: Any, entry: str) -> str:
    with rule(entry):
        assert isinstance(payload, dict) and isinstance(payload.get("result"), list), (
            f'a v1 generation answers {{"result": [{{"urls": [...]}}]}}, got {payload!r}'
        )
        assert payload["result"] and payload["result"][0].get("urls"), (
            f"the result names no image URL: {payload!r}"
        )
    return str(payload["result"][0]["urls"][0])


@pytest.mark.catalog("v1gen.trained-model-only")
def test_v1_generation_needs_a_trained_model(scenario: Scenario) -> None:
    entry = "v1gen.trained-model-only"
    ds = scenario.completed_dataset()
    untrained = scenario.model(ds["id"])
    body = {"prompt": "a red cube", "sync": True}
    response = scenario.api.post(f"{T2I}/{untrained['id']}", json=body)
    with rule(entry):
        assert 400 <= response.status_code < 500, (
            f"a model that has not been trained is refused with a 4xx, got {response.status_code}"
        )
    expect(
        scenario.api.delete(f"/v1/tailored-gen/models/{untrained['id']}"),
        204,
        "model.deleted-is-gone",
        "deleting a model",
    )
    expect(
        scenario.api.post(f"{T2I}/{untrained['id']}", json=body),
        {400, 404},
        entry,
        "generating with a model that no longer exists",
    )


@pytest.mark.spends(trainings=1, generations=1)
@pytest.mark.catalog("v1gen.checkpoint-exists")
def test_v1_checkpoint_must_exist(scenario: Scenario) -> None:
    entry = "v1gen.checkpoint-exists"
    model = trained(scenario, params=CHECKPOINTED)
    steps = [int(s) for s in model.get("checkpoint_steps") or []]
    with rule(entry):
        assert steps, f"an expert training with checkpoints lists them: {model!r}"
    body = {"prompt": "a red cube", "sync": True}
    payload = expect(
        scenario.api.post(f"{T2I}/{model['id']}/{min(steps)}", json=body),
        200,
        entry,
        f"generating from checkpoint {min(steps)}, which exists",
    )
    first_url(payload, entry)
    expect(
        scenario.api.post(f"{T2I}/{model['id']}/{max(steps) + 7}", json=body),
        404,
        entry,
        "generating from a checkpoint that does not exist",
    )


@pytest.mark.spends(trainings=1, shared_model=True, generations=1)
@pytest.mark.catalog("v1gen.vector-illustrative-only")
def test_v1_vector_only_for_illustrative_models(scenario: Scenario) -> None:
    entry = "v1gen.vector-illustrative-only"
    body = {"prompt": "a red cube", "sync": True}
    illustrative = trained(scenario)
    payload = expect(
        scenario.api.post(f"{T2V}/{illustrative['id']}", json=body),
        200,
        entry,
        "text-to-vector with a model of an illustration project",
    )
    svg = fetch_bytes(scenario, first_url(payload, entry))
    with rule(entry):
        try:
            root = ET.fromstring(svg)
        except ET.ParseError as exc:
            raise AssertionError(f"text-to-vector returns SVG, got unparsable XML: {exc}") from None
        assert root.tag.endswith("svg"), f"text-to-vector returns SVG, got <{root.tag}>"
    photographic = trained(scenario, medium="photography")
    response = scenario.api.post(f"{T2V}/{photographic['id']}", json=body)
    with rule(entry):
        assert 400 <= response.status_code < 500, (
            f"text-to-vector with a photography model is refused with a 4xx, got "
            f"{response.status_code}"
        )


def _guidance(x: int, method: str, scale: float, image_file: str) -> dict[str, Any]:
    return {
        f"guidance_method_{x}": method,
        f"guidance_method_{x}_scale": scale,
        f"guidance_method_{x}_image_file": image_file,
    }


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("v1gen.guidance-second-needs-first")
def test_v1_second_guidance_method_needs_the_first(
    scenario: Scenario, model: dict[str, Any]
) -> None:
    entry = "v1gen.guidance-second-needs-first"
    url = f"{T2I}/{model['id']}"
    base = {"prompt": "a red cube", "sync": True}
    expect(
        scenario.api.post(
            url, json={**base, **_guidance(2, "controlnet_depth", 0.5, image(64, 64))}
        ),
        400,
        entry,
        "guidance_method_2 without guidance_method_1",
    )
    both = {
        **base,
        **_guidance(1, "controlnet_canny", 0.5, image(64, 64)),
        **_guidance(2, "controlnet_depth", 0.5, image(64, 64, 1)),
    }
    expect(scenario.api.post(url, json=both), 200, entry, "both guidance methods")


@pytest.mark.spends(shared_model=True)
@pytest.mark.catalog("v1gen.guidance-needs-image-and-scale")
@pytest.mark.parametrize("missing", ["image_file", "scale"])
def test_v1_guidance_method_needs_its_image_and_scale(
    scenario: Scenario, model: dict[str, Any], missing: str
) -> None:
    entry = "v1gen.guidance-needs-image-and-scale"
    guidance = _guidance(1, "controlnet_canny", 0.5, image(64, 64))
    del guidance[f"guidance_method_1_{missing}"]
    expect(
        scenario.api.post(
            f"{T2I}/{model['id']}", json={"prompt": "a cube", "sync": True, **guidance}
        ),
        400,
        entry,
        f"guidance_method_1 without guidance_method_1_{missing}",
    )


@pytest.mark.spends(shared_model=True, generations=2)
@pytest.mark.catalog("v1gen.guidance-scale-range")
def test_v1_guidance_scale_range(scenario: Scenario, model: dict[str, Any]) -> None:
    entry = "v1gen.guidance-scale-range"
    url = f"{T2I}/{model['id']}"
    for scale in (-0.1, 1.1):
        expect(
            scenario.api.post(
                url,
                json={"prompt": "a cube", **_guidance(1, "controlnet_canny", scale, image(64, 64))},
            ),
            400,
            entry,
            f"guidance_method_1_scale={scale} (outside 0.0-1.0)",
        )
    for scale in (0.0, 1.0):
        expect(
            scenario.api.post(
                url,
                json={
                    "prompt": "a cube",
                    "sync": True,
                    **_guidance(1, "controlnet_color_grid", scale, image(64, 64)),
                },
            ),
            200,
            entry,
            f"guidance_method_1_scale={scale} (a boundary value)",
        )


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("v1gen.guidance-same-aspect-ratio")
def test_v1_guidance_images_share_one_aspect_ratio(
    scenario: Scenario, model: dict[str, Any]
) -> None:
    entry = "v1gen.guidance-same-aspect-ratio"
    url = f"{T2I}/{model['id']}"
    first = _guidance(1, "controlnet_canny", 0.5, image(320, 180))
    expect(
        scenario.api.post(
            url,
            json={
                "prompt": "a cube",
                **first,
                **_guidance(2, "controlnet_depth", 0.5, image(90, 160)),
            },
        ),
        400,
        entry,
        "two guidance images of different aspect ratios (16:9 and 9:16)",
    )
    payload = expect(
        scenario.api.post(
            url,
            json={
                "prompt": "a cube",
                "sync": True,
                "aspect_ratio": "1:1",
                **first,
                **_guidance(2, "controlnet_depth", 0.5, image(160, 90, 1)),
            },
        ),
        200,
        entry,
        "two 16:9 guidance images",
    )
    width, height = media.image_size(fetch_bytes(scenario, first_url(payload, entry)))
    with rule(entry):
        assert abs(width / height - 16 / 9) < 0.05, (
            f"the guidance images' aspect ratio (16:9) sets the result's, got {width}x{height}"
        )


@pytest.mark.spends(shared_model=True, generations=2)
@pytest.mark.catalog("v1gen.image-prompt")
def test_v1_image_prompt_adapter(scenario: Scenario, model: dict[str, Any]) -> None:
    entry = "v1gen.image-prompt"
    url = f"{T2I}/{model['id']}"
    adapter = {"image_prompt_mode": "style_only", "image_prompt_file": image(64, 64)}
    for wrong in ({"image_prompt_scale": 1.5}, {"image_prompt_mode": "content_only"}):
        expect(
            scenario.api.post(url, json={"prompt": "a cube", **adapter, **wrong}),
            400,
            entry,
            f"an image prompt with {wrong}",
        )
    for mode in ("regular", "style_only"):
        expect(
            scenario.api.post(
                url,
                json={
                    "prompt": "a cube",
                    "sync": True,
                    **adapter,
                    "image_prompt_mode": mode,
                    "image_prompt_scale": 1.0,
                },
            ),
            200,
            entry,
            f"image_prompt_mode={mode}",
        )


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("v1gen.fast-false-one-or-two")
def test_v1_fast_false_allows_one_or_two_results(scenario: Scenario, model: dict[str, Any]) -> None:
    entry = "v1gen.fast-false-one-or-two"
    url = f"{T2I}/{model['id']}"
    expect(
        scenario.api.post(url, json={"prompt": "a cube", "fast": False, "num_results": 3}),
        400,
        entry,
        "fast=false with num_results=3",
    )
    payload = expect(
        scenario.api.post(
            url, json={"prompt": "a cube", "fast": False, "num_results": 2, "sync": True}
        ),
        200,
        entry,
        "fast=false with num_results=2",
    )
    with rule(entry):
        assert len(payload.get("result") or []) == 2, f"two results were asked for: {payload!r}"


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("v1gen.sync-result-urls")
def test_v1_sync_result_lists_image_urls(scenario: Scenario, model: dict[str, Any]) -> None:
    entry = "v1gen.sync-result-urls"
    payload = expect(
        scenario.api.post(
            f"{T2I}/{model['id']}",
            json={"prompt": "a red cube", "sync": True, "aspect_ratio": "16:9"},
        ),
        200,
        entry,
        "a synchronous text-to-image generation",
    )
    width, height = media.image_size(fetch_bytes(scenario, first_url(payload, entry)))
    with rule(entry):
        assert abs(width / height - 16 / 9) < 0.05, f"16:9 was asked for, got {width}x{height}"


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("v1gen.ip-warning")
def test_v1_ip_prompt_gets_warning(scenario: Scenario, model: dict[str, Any]) -> None:
    entry = "v1gen.ip-warning"
    payload = expect(
        scenario.api.post(
            f"{T2I}/{model['id']}",
            json={"prompt": "Mickey Mouse drinking Coca-Cola", "sync": True},
        ),
        200,
        entry,
        "an IP-related prompt is not blocked",
    )
    with rule(entry):
        assert "intellectual property" in str(payload).lower(), (
            f"the response must carry the IP warning: {payload!r}"
        )


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("v1gen.input-moderation")
def test_v1_blocked_input_image_fails_the_request(
    scenario: Scenario, model: dict[str, Any]
) -> None:
    entry = "v1gen.input-moderation"
    probe = scenario.target.moderation_probe
    if not probe:
        pytest.skip(NO_MODERATION_TRIGGER)
    # the mock moderates image bytes holding its probe text
    unsafe = b64(media.image_bytes(64, 64, "png") + probe.encode())
    guided = {"prompt": "a cube", "sync": True, **_guidance(1, "controlnet_canny", 0.5, unsafe)}
    expect(
        scenario.api.post(f"{T2I}/{model['id']}", json={**guided, "content_moderation": True}),
        422,
        entry,
        "a guidance image that fails moderation, with content_moderation=true",
    )
    expect(
        scenario.api.post(f"{T2I}/{model['id']}", json=guided),
        200,
        entry,
        "the same image without content moderation",
    )


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("v1gen.reimagine-structure")
def test_v1_reimagine_keeps_the_structure_image(scenario: Scenario, model: dict[str, Any]) -> None:
    entry = "v1gen.reimagine-structure"
    url = f"{REIMAGINE}/{model['id']}"
    expect(
        scenario.api.post(url, json={"prompt": "a cube", "sync": True}),
        400,
        entry,
        "reimagine without a structure reference image",
    )
    payload = expect(
        scenario.api.post(
            url,
            json={
                "prompt": "a cube",
                "sync": True,
                "structure_image_file": image(120, 180),
                "structure_ref_influence": 0.75,
            },
        ),
        200,
        entry,
        "reimagine with a 2:3 structure image",
    )
    width, height = media.image_size(fetch_bytes(scenario, first_url(payload, entry)))
    with rule(entry):
        assert abs(width / height - 2 / 3) < 0.05, (
            f"the output keeps the reference image's aspect ratio (2:3), got {width}x{height}"
        )


@pytest.mark.spends(trainings=1, shared_model=True, generations=1)
@pytest.mark.catalog("v1gen.restyle-compatible-models")
def test_v1_restyle_only_for_compatible_models(scenario: Scenario) -> None:
    entry = "v1gen.restyle-compatible-models"
    portrait = image(96, 128)
    light = trained(scenario, version="light")
    payload = expect(
        scenario.api.post(
            RESTYLE, json={"tailored_model_id": light["id"], "id_image_file": portrait}
        ),
        200,
        entry,
        "restyling with a Light model",
    )
    with rule(entry):
        assert isinstance(payload, dict) and payload.get("image_res"), (
            f"restyle_portrait answers with the image URL in image_res: {payload!r}"
        )
    media.image_size(fetch_bytes(scenario, str(payload["image_res"])))
    fibo = trained(scenario)
    response = scenario.api.post(
        RESTYLE, json={"tailored_model_id": fibo["id"], "id_image_file": portrait}
    )
    with rule(entry):
        assert 400 <= response.status_code < 500, (
            f"a FIBO model cannot restyle portraits (only Light / 2.3-based ones); got "
            f"{response.status_code}"
        )


@pytest.mark.spends(trainings=1)
@pytest.mark.catalog("v1gen.restyle-needs-portrait")
def test_v1_restyle_needs_a_portrait(scenario: Scenario) -> None:
    light = trained(scenario, version="light")
    expect(
        scenario.api.post(RESTYLE, json={"tailored_model_id": light["id"]}),
        400,
        "v1gen.restyle-needs-portrait",
        "restyle_portrait with neither id_image_url nor id_image_file",
    )


@pytest.mark.spends(generations=2)
@pytest.mark.catalog("v1gen.prefix-image-count")
def test_v1_prefix_takes_one_to_six_images(scenario: Scenario) -> None:
    entry = "v1gen.prefix-image-count"
    base = {"ip_type": "stylized_scene", "ip_medium": "illustration"}
    refused: list[tuple[str, dict[str, Any]]] = [
        ("no images", {}),
        ("7 images", {"images": [image(32, 32, i) for i in range(7)]}),
        (
            "both images and image_urls",
            {"images": [image(32, 32)], "image_urls": ["https://example.com/a.png"]},
        ),
    ]
    for why, extra in refused:
        expect(scenario.api.post(PREFIX, json={**base, **extra}), 400, entry, why)
    for count in (1, 6):
        payload = expect(
            scenario.api.post(
                PREFIX, json={**base, "images": [image(32, 32, i) for i in range(count)]}
            ),
            200,
            entry,
            f"{count} sample images",
        )
        with rule(entry):
            assert isinstance(payload, dict) and any(
                isinstance(v, str) and v.strip() for v in payload.values()
            ), f"the answer holds the generated prefix: {payload!r}"


@pytest.mark.spends(generations=3)
@pytest.mark.catalog("v1gen.prefix-ip-types")
def test_v1_prefix_only_for_three_ip_types(scenario: Scenario) -> None:
    entry = "v1gen.prefix-ip-types"
    images = [image(32, 32)]
    for ip_type in ("stylized_scene", "defined_character", "object_variants"):
        expect(
            scenario.api.post(
                PREFIX, json={"ip_type": ip_type, "images": images, "ip_name": "Lora"}
            ),
            200,
            entry,
            f"a prefix for ip_type {ip_type}",
        )
    expect(
        scenario.api.post(PREFIX, json={"ip_type": "multi_object_set", "images": images}),
        400,
        entry,
        "a prefix for ip_type multi_object_set",
    )


@pytest.mark.catalog("v1gen.prefix-invalid-image-fails")
def test_v1_prefix_fails_on_an_invalid_image(scenario: Scenario) -> None:
    entry = "v1gen.prefix-invalid-image-fails"
    response = scenario.api.post(
        PREFIX,
        json={"ip_type": "stylized_scene", "images": [image(32, 32), b64(b"not an image")]},
    )
    with rule(entry):
        assert 400 <= response.status_code < 500, (
            f"one image failing validation fails the request with a 4xx, got {response.status_code}"
        )
