"""Generation, video and the status service.

Catalog entries generate.*, structured-prompt.*, video.* and status.*.
"""

from __future__ import annotations

import base64
import json

import pytest
from bria_mock import MockConfig
from bria_mock.artefacts import mp4_boxes
from mock_helpers import Api, decode, image_bytes

pytestmark = pytest.mark.anyio

GENERATE = "/v2/image/generate/tailored"
STRUCTURED = "/v2/structured_prompt/generate/tailored"
VIDEO = "/v2/video/generate/tailored/image-to-video"


@pytest.fixture
async def model(api: Api) -> dict[str, object]:
    return await api.trained(mode="fully_automated")


async def test_sync_generation_returns_result_object_and_real_png(
    api: Api, model: dict[str, object]
) -> None:
    r = await api.c.post(
        GENERATE,
        json={"tailored_model_id": model["id"], "prompt": "a fox", "sync": True, "seed": 7},
    )
    assert r.status_code == 200
    body = r.json()
    result = body["result"]
    assert result["seed"] == 7 and json.loads(result["structured_prompt"])
    assert body["image_url"] == result["image_url"]  # the bundle's flat form rides along
    png = decode((await api.fetch(result["image_url"])).content)
    assert png.format == "PNG" and png.size == (1024, 1024)


async def test_same_structured_prompt_and_seed_recreate_the_same_image(
    api: Api, model: dict[str, object]
) -> None:
    first = (
        await api.c.post(
            GENERATE, json={"tailored_model_id": model["id"], "prompt": "a fox", "sync": True}
        )
    ).json()
    sp, seed = first["result"]["structured_prompt"], first["result"]["seed"]
    again = (
        await api.c.post(
            GENERATE,
            json={
                "tailored_model_id": model["id"],
                "structured_prompt": sp,
                "seed": seed,
                "sync": True,
            },
        )
    ).json()
    a = (await api.fetch(first["result"]["image_url"])).content
    b = (await api.fetch(again["result"]["image_url"])).content
    assert a == b
    other = (
        await api.c.post(
            GENERATE,
            json={
                "tailored_model_id": model["id"],
                "structured_prompt": sp,
                "seed": seed + 1,
                "sync": True,
            },
        )
    ).json()
    assert (await api.fetch(other["result"]["image_url"])).content != a


async def test_aspect_ratio_sets_the_image_size(api: Api, model: dict[str, object]) -> None:
    r = await api.c.post(
        GENERATE,
        json={
            "tailored_model_id": model["id"],
            "prompt": "x",
            "sync": True,
            "aspect_ratio": "16:9",
        },
    )
    img = decode((await api.fetch(r.json()["result"]["image_url"])).content)
    assert img.width > img.height


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"structured_prompt": '{"a": 1}'},
        {"structured_prompt": "not json", "prompt": "x"},
        {"prompt": "x", "guidance_scale": 6},
        {"prompt": "x", "guidance_scale": 2},
        {"prompt": "x", "steps_num": 19},
        {"prompt": "x", "steps_num": 51},
        {"prompt": "x", "tailored_model_influence": 1.6},
        {"prompt": "x", "tailored_model_influence": -0.1},
        {"prompt": "x", "aspect_ratio": "7:5"},
    ],
)
async def test_input_combinations_and_bounds(
    api: Api, model: dict[str, object], body: dict[str, object]
) -> None:
    r = await api.c.post(GENERATE, json={"tailored_model_id": model["id"], **body})
    assert r.status_code == 400, r.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("guidance_scale", 3),
        ("guidance_scale", 5),
        ("steps_num", 20),
        ("steps_num", 50),
        ("tailored_model_influence", 0),
        ("tailored_model_influence", 1.5),
    ],
)
async def test_boundary_values_are_accepted(
    api: Api, model: dict[str, object], field: str, value: float
) -> None:
    r = await api.c.post(
        GENERATE, json={"tailored_model_id": model["id"], "prompt": "x", field: value}
    )
    assert r.status_code == 202


async def test_async_generation_through_the_status_service(
    api: Api, model: dict[str, object]
) -> None:
    r = await api.c.post(
        GENERATE, json={"tailored_model_id": model["id"], "prompt": "a fox", "seed": 3}
    )
    assert r.status_code == 202
    accepted = r.json()
    assert accepted["status_url"].endswith(f"/v2/status/{accepted['request_id']}")
    pending = (await api.c.get(accepted["status_url"])).json()
    assert pending == {"request_id": accepted["request_id"], "status": "IN_PROGRESS"}
    await api.advance(30)
    done = (await api.c.get(f"/v2/status/{accepted['request_id']}")).json()
    assert done["status"] == "COMPLETED" and done["result"]["seed"] == 3
    assert decode((await api.fetch(done["result"]["image_url"])).content).format == "PNG"


async def test_status_of_unknown_or_expired_request_is_404(
    api: Api, model: dict[str, object]
) -> None:
    r = await api.c.get("/v2/status/does-not-exist")
    assert r.status_code == 404 and r.json() == {"status": "NOT_FOUND"}
    rid = (
        await api.c.post(GENERATE, json={"tailored_model_id": model["id"], "prompt": "x"})
    ).json()["request_id"]
    await api.advance(25 * 3600)
    assert (await api.c.get(f"/v2/status/{rid}")).status_code == 404


async def test_status_is_private_to_the_organization(
    api: Api, other: Api, model: dict[str, object]
) -> None:
    rid = (
        await api.c.post(GENERATE, json={"tailored_model_id": model["id"], "prompt": "x"})
    ).json()["request_id"]
    assert (await other.c.get(f"/v2/status/{rid}")).status_code == 404


async def test_ip_warning(api: Api, model: dict[str, object]) -> None:
    r = await api.c.post(
        GENERATE,
        json={
            "tailored_model_id": model["id"],
            "prompt": "Mickey Mouse at the beach",
            "sync": True,
        },
    )
    assert r.status_code == 200 and "intellectual property" in r.json()["warning"]
    clean = await api.c.post(
        GENERATE, json={"tailored_model_id": model["id"], "prompt": "a mouse", "sync": True}
    )
    assert "warning" not in clean.json()
    rid = (
        await api.c.post(GENERATE, json={"tailored_model_id": model["id"], "prompt": "a Nike shoe"})
    ).json()["request_id"]
    await api.advance(30)
    assert "intellectual property" in (await api.c.get(f"/v2/status/{rid}")).json()["warning"]


async def test_moderation(api: Api, model: dict[str, object], config: MockConfig) -> None:
    bad = f"a {config.moderation_marker} scene"
    r = await api.c.post(GENERATE, json={"tailored_model_id": model["id"], "prompt": bad})
    assert r.status_code == 422
    # prompt moderation off: the output check still blocks, synchronously ...
    r = await api.c.post(
        GENERATE,
        json={
            "tailored_model_id": model["id"],
            "prompt": bad,
            "prompt_content_moderation": False,
            "sync": True,
        },
    )
    assert r.status_code == 422
    # ... and asynchronously as an ERROR status
    r = await api.c.post(
        GENERATE,
        json={"tailored_model_id": model["id"], "prompt": bad, "prompt_content_moderation": False},
    )
    await api.advance(30)
    status = (await api.c.get(f"/v2/status/{r.json()['request_id']}")).json()
    assert status["status"] == "ERROR" and status["error"]["code"] == 422
    # both off: generated
    r = await api.c.post(
        GENERATE,
        json={
            "tailored_model_id": model["id"],
            "prompt": bad,
            "sync": True,
            "prompt_content_moderation": False,
            "visual_output_content_moderation": False,
        },
    )
    assert r.status_code == 200


async def test_model_must_exist_belong_and_be_ready(
    api: Api, other: Api, model: dict[str, object]
) -> None:
    r = await api.c.post(GENERATE, json={"tailored_model_id": 999999, "prompt": "x"})
    assert r.status_code == 400 and "not found" in r.json()["error"]["message"]
    r = await other.c.post(GENERATE, json={"tailored_model_id": model["id"], "prompt": "x"})
    assert r.status_code == 403 and r.json().startswith("Access denied")
    untrained = await api.model()
    r = await api.c.post(GENERATE, json={"tailored_model_id": untrained["id"], "prompt": "x"})
    assert r.status_code == 400 and "completed" in r.json()["error"]["message"]


async def test_structured_prompt_generation(api: Api, model: dict[str, object]) -> None:
    r = await api.c.post(
        STRUCTURED, json={"tailored_model_id": model["id"], "prompt": "a fox", "sync": True}
    )
    assert r.status_code == 200
    body = r.json()
    sp = body["result"]["structured_prompt"]
    assert body["structured_prompt"] == sp and "image_url" not in body["result"]
    assert json.loads(sp)["short_description"] == "a fox"
    refined = await api.c.post(
        STRUCTURED,
        json={
            "tailored_model_id": model["id"],
            "structured_prompt": sp,
            "prompt": "add rain",
            "sync": True,
        },
    )
    assert json.loads(refined.json()["result"]["structured_prompt"])["refinements"] == ["add rain"]
    alone = await api.c.post(
        STRUCTURED, json={"tailored_model_id": model["id"], "structured_prompt": sp}
    )
    assert alone.status_code == 400
    assert (
        await api.c.post(STRUCTURED, json={"tailored_model_id": model["id"]})
    ).status_code == 400
    r = await api.c.post(STRUCTURED, json={"tailored_model_id": model["id"], "prompt": "a fox"})
    assert r.status_code == 202
    await api.advance(10)
    done = (await api.c.get(f"/v2/status/{r.json()['request_id']}")).json()
    assert done["status"] == "COMPLETED" and "structured_prompt" in done["result"]


async def test_image_to_video_is_async_and_returns_an_mp4(
    api: Api, model: dict[str, object]
) -> None:
    source = base64.b64encode(image_bytes(640, 480, color=(10, 200, 30))).decode()
    r = await api.c.post(VIDEO, json={"tailored_model_id": model["id"], "image": source})
    assert r.status_code == 202
    rid = r.json()["request_id"]
    assert (await api.c.get(f"/v2/status/{rid}")).json()["status"] == "IN_PROGRESS"
    await api.advance(120)
    done = (await api.c.get(f"/v2/status/{rid}")).json()
    assert done["status"] == "COMPLETED"
    video = await api.fetch(done["result"]["video_url"])
    assert video.headers["content-type"] == "video/mp4"
    assert mp4_boxes(video.content)[:3] == ["ftyp", "moov", "mdat"]


async def test_image_to_video_input_rules(api: Api, model: dict[str, object]) -> None:
    assert (await api.c.post(VIDEO, json={"tailored_model_id": model["id"]})).status_code == 400
    r = await api.c.post(VIDEO, json={"tailored_model_id": model["id"], "image": "  "})
    assert r.status_code == 400 and "image is required" in r.json()["error"]["message"]
    r = await api.c.post(VIDEO, json={"tailored_model_id": model["id"], "image": "###"})
    assert r.status_code == 400
    junk = base64.b64encode(b"definitely not an image").decode()
    assert (
        await api.c.post(VIDEO, json={"tailored_model_id": model["id"], "image": junk})
    ).status_code == 415
    r = await api.c.post(
        VIDEO, json={"tailored_model_id": model["id"], "image": "https://example.com/a.png"}
    )
    assert r.status_code == 422
    r = await api.c.post(
        VIDEO, json={"tailored_model_id": 424242, "image": "https://example.com/a.png"}
    )
    assert r.status_code == 404
    r = await api.c.post(
        VIDEO, json={"tailored_model_id": model["id"], "image": junk, "sync": True}
    )
    assert r.status_code == 400 and "asynchronous" in r.json()["error"]["message"]


async def test_refine_required_fields(api: Api) -> None:
    """An instruction of only whitespace is refused like a missing one, and changes nothing."""
    ds = await api.dataset()
    schema = json.dumps({"style": "flat"})
    refine = "/v1/tailored-gen/refine_structured_prompt"
    for body in (
        {"dataset_id": ds["id"], "structured_prompt": schema},
        {"dataset_id": ds["id"], "structured_prompt": schema, "instruction": " \t "},
    ):
        r = await api.c.post(refine, json=body)
        assert r.status_code == 400 and "instruction" in r.json()["error"]["message"]
    r = await api.c.post(
        refine, json={"dataset_id": ds["id"], "structured_prompt": schema, "instruction": " x "}
    )
    assert r.status_code == 200


async def test_visual_schema_generation_and_refinement(api: Api) -> None:
    images = [
        base64.b64encode(image_bytes(300, 300, color=(i * 40, 20, 20))).decode() for i in range(5)
    ]
    r = await api.c.post("/v1/tailored-gen/generate_visual_schema", json={"images": images})
    assert r.status_code == 200
    schema = r.json()["visual_schema"]
    assert json.loads(schema)["sample_count"] == 5
    again = await api.c.post("/v1/tailored-gen/generate_visual_schema", json={"images": images})
    assert again.json()["visual_schema"] == schema
    assert (
        await api.c.post("/v1/tailored-gen/generate_visual_schema", json={"images": images[:4]})
    ).status_code == 400
    assert (
        await api.c.post("/v1/tailored-gen/generate_visual_schema", json={"images": images * 3})
    ).status_code == 400
    gif = base64.b64encode(image_bytes(300, 300, "GIF", mode="P", color=(1,))).decode()
    r = await api.c.post(
        "/v1/tailored-gen/generate_visual_schema", json={"images": [*images[:4], gif]}
    )
    assert r.status_code == 415
    ds = await api.dataset()
    refine = "/v1/tailored-gen/refine_structured_prompt"
    r = await api.c.post(
        refine,
        json={"dataset_id": ds["id"], "structured_prompt": schema, "instruction": "name is Lucy"},
    )
    assert r.status_code == 200 and "name is Lucy" in r.json()["structured_prompt"]
    assert (
        await api.c.post(refine, json={"dataset_id": ds["id"], "structured_prompt": schema})
    ).status_code == 400
    r = await api.c.post(
        refine, json={"dataset_id": 31337, "structured_prompt": schema, "instruction": "x"}
    )
    assert r.status_code == 404
    done = await api.ready_dataset()
    r = await api.c.post(
        refine, json={"dataset_id": done["id"], "structured_prompt": schema, "instruction": "x"}
    )
    assert r.status_code == 400 and "draft" in r.json()["error"]["message"]
