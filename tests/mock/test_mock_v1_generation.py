"""The eight prose-documented v1 operations (catalog entries v1gen.*)."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from bria_mock import MockConfig
from bria_mock.artefacts import write_safetensors
from bria_tailored import AuthenticatedClient
from bria_tailored.api.dataset import generate_prefix
from bria_tailored.api.image_generation import (
    reimagine,
    reimagine_tailored,
    restyle_portrait,
    text_to_image_checkpoint_tailored,
    text_to_image_tailored,
    text_to_vector_checkpoint_tailored,
    text_to_vector_tailored,
)
from bria_tailored.models import (
    GeneratedPrefix,
    GeneratePrefixRequest,
    PrefixIpType,
    ReimagineRequest,
    ReimagineTailoredRequest,
    RestylePortraitRequest,
    RestylePortraitResponse,
    TailoredGenerationResponse,
    TailoredImageRequest,
)
from mock_helpers import Api, decode, image_bytes

pytestmark = pytest.mark.anyio

T2I = "/v1/text-to-image/tailored"
T2V = "/v1/text-to-vector/tailored"
REIMAGINE = "/v1/reimagine/tailored"
RESTYLE = "/v1/tailored-gen/restyle_portrait"
PREFIX = "/v1/tailored-gen/generate_prefix"
MARKER = MockConfig().moderation_marker


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


async def trained(
    api: Api, *, mode: str = "expert", version: str = "fibo", medium: str = "illustration"
) -> dict[str, Any]:
    project = await api.project(ip_medium=medium)
    ds = await api.ready_dataset(project_id=project["id"])
    r = await api.c.post(
        "/v1/tailored-gen/models",
        json={
            "name": "m",
            "dataset_id": ds["id"],
            "training_mode": mode,
            "training_version": version,
        },
    )
    assert r.status_code == 201, r.text
    model = r.json()
    assert (await api.start(model["id"])).status_code == 200
    await api.advance(10 * 24 * 3600)
    model = await api.get_model(model["id"])
    assert model["status"] == "Completed", model
    return model


@pytest.fixture
async def model(api: Api) -> dict[str, Any]:
    return await trained(api)


async def test_v1_model_must_exist_belong_and_be_trained(
    api: Api, other: Api, model: dict[str, Any]
) -> None:
    body = {"prompt": "a fox", "sync": True}
    assert (await api.c.post(f"{T2I}/999999", json=body)).status_code == 404
    assert (await other.c.post(f"{T2I}/{model['id']}", json=body)).status_code == 403
    fresh = await api.model()
    r = await api.c.post(f"{T2I}/{fresh['id']}", json=body)
    assert r.status_code == 400 and "Completed" in r.json()["error"]["message"]
    assert (await api.c.post(f"{T2I}/{model['id']}", json=body)).status_code == 200


async def test_v1_checkpoint_must_exist(api: Api, model: dict[str, Any]) -> None:
    steps = model["checkpoint_steps"]
    assert steps
    body = {"prompt": "a fox", "sync": True, "seed": 3}
    ok = await api.c.post(f"{T2I}/{model['id']}/{steps[-1]}", json=body)
    assert ok.status_code == 200, ok.text
    r = await api.c.post(f"{T2I}/{model['id']}/{max(steps) + 1}", json=body)
    assert r.status_code == 404 and "Checkpoint not found" in r.json()["error"]["message"]
    assert (await api.c.post(f"{T2V}/{model['id']}/{max(steps) + 1}", json=body)).status_code == 404
    # another checkpoint is another model state: another picture for the same seed
    latest = await api.c.post(f"{T2I}/{model['id']}", json=body)
    a = (await api.fetch(ok.json()["result"][0]["urls"][0])).content
    b = (await api.fetch(latest.json()["result"][0]["urls"][0])).content
    assert (a == b) == (steps[-1] == max(steps))


async def test_v1_vector_only_for_illustration_models(api: Api, model: dict[str, Any]) -> None:
    r = await api.c.post(f"{T2V}/{model['id']}", json={"prompt": "a fox", "sync": True})
    assert r.status_code == 200, r.text
    svg = await api.fetch(r.json()["result"][0]["urls"][0])
    assert svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and len(root) >= 5
    photo = await trained(api, medium="photography")
    r = await api.c.post(f"{T2V}/{photo['id']}", json={"prompt": "a fox", "sync": True})
    assert r.status_code == 400 and "illustrative" in r.json()["error"]["message"]
    assert (await api.c.post(f"{T2I}/{photo['id']}", json={"prompt": "x"})).status_code == 200


async def test_v1_guidance_rules(api: Api, model: dict[str, Any]) -> None:
    url = f"{T2I}/{model['id']}"
    wide, wide2, square = (
        b64(image_bytes(1600, 900)),
        b64(image_bytes(800, 450)),
        b64(image_bytes(600, 600)),
    )
    one = {
        "guidance_method_1": "controlnet_canny",
        "guidance_method_1_scale": 0.5,
        "guidance_method_1_image_file": wide,
    }
    two = {
        "guidance_method_2": "controlnet_depth",
        "guidance_method_2_scale": 1.0,
        "guidance_method_2_image_file": wide2,
    }
    base = {"prompt": "a fox", "sync": True}
    assert (await api.c.post(url, json={**base, **two})).status_code == 400
    assert (
        await api.c.post(url, json={**base, **one, "guidance_method_1_scale": 1.01})
    ).status_code == 400
    no_image = {k: v for k, v in one.items() if k != "guidance_method_1_image_file"}
    assert (await api.c.post(url, json={**base, **no_image})).status_code == 400
    mismatch = {**two, "guidance_method_2_image_file": square}
    r = await api.c.post(url, json={**base, **one, **mismatch})
    assert r.status_code == 400 and "same aspect ratio" in r.json()["error"]["message"]
    r = await api.c.post(url, json={**base, **one, **two, "aspect_ratio": "1:1"})
    assert r.status_code == 200, r.text
    png = decode((await api.fetch(r.json()["result"][0]["urls"][0])).content)
    assert abs(png.width / png.height - 16 / 9) < 0.02  # the guidance image sets the ratio
    for scale in (0, 1):
        edge = {**one, "guidance_method_1_scale": scale}
        assert (await api.c.post(url, json={**base, **edge})).status_code == 200


async def test_v1_image_prompt_rules(api: Api, model: dict[str, Any]) -> None:
    url = f"{T2I}/{model['id']}"
    base = {"prompt": "a fox", "sync": True}
    image = b64(image_bytes(512, 512))
    assert (await api.c.post(url, json={**base, "image_prompt_mode": "regular"})).status_code == 400
    assert (await api.c.post(url, json={**base, "image_prompt_file": image})).status_code == 400
    bad_mode = {"image_prompt_mode": "content", "image_prompt_file": image}
    assert (await api.c.post(url, json={**base, **bad_mode})).status_code == 400
    too_strong = {
        "image_prompt_mode": "regular",
        "image_prompt_file": image,
        "image_prompt_scale": 2,
    }
    assert (await api.c.post(url, json={**base, **too_strong})).status_code == 400
    good = {"image_prompt_mode": "style_only", "image_prompt_file": image, "image_prompt_scale": 1}
    assert (await api.c.post(url, json={**base, **good})).status_code == 200


async def test_v1_fast_false_allows_one_or_two_results(api: Api, model: dict[str, Any]) -> None:
    url = f"{T2I}/{model['id']}"
    r = await api.c.post(url, json={"prompt": "x", "fast": False, "num_results": 3})
    assert r.status_code == 400 and "fast=false" in r.json()["error"]["message"]
    r = await api.c.post(url, json={"prompt": "x", "fast": False, "num_results": 2, "sync": True})
    assert r.status_code == 200 and len(r.json()["result"]) == 2
    r = await api.c.post(url, json={"prompt": "x", "num_results": 4, "sync": True})
    assert r.status_code == 200 and len(r.json()["result"]) == 4
    assert (await api.c.post(url, json={"prompt": "x", "num_results": 5})).status_code == 400
    assert (await api.c.post(url, json={"prompt": "x", "num_results": 0})).status_code == 400


async def test_v1_sync_result_is_a_list_of_urls_with_real_pngs(
    api: Api, model: dict[str, Any]
) -> None:
    r = await api.c.post(
        f"{T2I}/{model['id']}",
        json={
            "prompt": "a fox",
            "sync": True,
            "seed": 11,
            "aspect_ratio": "16:9",
            "num_results": 2,
        },
    )
    assert r.status_code == 200
    result = r.json()["result"]
    assert [item["seed"] for item in result] == [11, 12]
    assert len({item["uuid"] for item in result}) == 2
    for item in result:
        png = decode((await api.fetch(item["urls"][0])).content)
        assert png.format == "PNG" and png.size == (1344, 768)


async def test_v1_async_urls_answer_404_until_ready(api: Api, model: dict[str, Any]) -> None:
    r = await api.c.post(f"{T2I}/{model['id']}", json={"prompt": "a fox", "seed": 1})
    assert r.status_code == 200
    url = r.json()["result"][0]["urls"][0]
    assert (await api.fetch(url)).status_code == 404
    await api.advance(MockConfig().generation_seconds)
    ready = await api.fetch(url)
    assert ready.status_code == 200 and decode(ready.content).format == "PNG"


async def test_v1_same_seed_gives_the_same_image(api: Api, model: dict[str, Any]) -> None:
    async def picture(seed: int, path: str = T2I) -> bytes:
        r = await api.c.post(
            f"{path}/{model['id']}", json={"prompt": "a fox", "sync": True, "seed": seed}
        )
        return (await api.fetch(r.json()["result"][0]["urls"][0])).content

    assert await picture(5) == await picture(5)
    assert await picture(5) != await picture(6)
    assert await picture(5, T2V) == await picture(5, T2V)


async def test_v1_content_moderation(api: Api, model: dict[str, Any]) -> None:
    url = f"{T2I}/{model['id']}"
    unsafe = b64(image_bytes(512, 512, extra=MARKER.encode()))
    guided = {
        "prompt": "a fox",
        "sync": True,
        "guidance_method_1": "controlnet_canny",
        "guidance_method_1_scale": 0.5,
        "guidance_method_1_image_file": unsafe,
    }
    r = await api.c.post(url, json={**guided, "content_moderation": True})
    assert r.status_code == 422 and "guidance_method_1_image_file" in r.json()["error"]["message"]
    assert (await api.c.post(url, json=guided)).status_code == 200
    filtered = await api.c.post(
        url, json={"prompt": f"a fox {MARKER}", "sync": True, "content_moderation": True}
    )
    assert filtered.status_code == 200 and filtered.json()["result"] == []
    kept = await api.c.post(url, json={"prompt": f"a fox {MARKER}", "sync": True})
    assert len(kept.json()["result"]) == 1


async def test_v1_ip_warning(api: Api, model: dict[str, Any]) -> None:
    term = MockConfig().ip_terms[0]
    r = await api.c.post(f"{T2I}/{model['id']}", json={"prompt": f"a {term} hero", "sync": True})
    assert "intellectual property" in r.json()["warning"] and r.json()["result"]
    r = await api.c.post(f"{T2I}/{model['id']}", json={"prompt": "a fox", "sync": True})
    assert "warning" not in r.json()


async def test_v1_reimagine_needs_a_structure_image(api: Api, model: dict[str, Any]) -> None:
    url = f"{REIMAGINE}/{model['id']}"
    assert (await api.c.post(url, json={"prompt": "a fox", "sync": True})).status_code == 400
    tall = b64(image_bytes(600, 900))
    r = await api.c.post(
        url,
        json={
            "prompt": "a fox",
            "sync": True,
            "structure_image_file": tall,
            "structure_ref_influence": 1,
        },
    )
    assert r.status_code == 200, r.text
    png = decode((await api.fetch(r.json()["result"][0]["urls"][0])).content)
    assert abs(png.width / png.height - 2 / 3) < 0.02
    bad = {"prompt": "x", "structure_image_file": tall, "structure_ref_influence": 1.5}
    assert (await api.c.post(url, json=bad)).status_code == 400
    junk = {"prompt": "x", "structure_image_file": b64(b"not an image")}
    assert (await api.c.post(url, json=junk)).status_code == 422


async def _uploaded(api: Api, metadata: dict[str, str]) -> dict[str, Any]:
    data = write_safetensors("u", 8, metadata)
    url = (
        await api.c.post("/_mock/files", content=data, params={"filename": "lora.safetensors"})
    ).json()["url"]
    r = await api.c.post(
        "/v1/tailored-gen/models/upload_model",
        json={
            "model_url": url,
            "project_parameters": {"project_name": "Up", "ip_medium": "photography"},
        },
    )
    assert r.status_code == 200, r.text
    await api.advance(600)
    return dict(r.json())


async def test_v1_restyle_only_for_bria_23_models(api: Api, model: dict[str, Any]) -> None:
    portrait = b64(image_bytes(768, 1024))

    async def restyle(model_id: int) -> int:
        r = await api.c.post(
            RESTYLE, json={"tailored_model_id": model_id, "id_image_file": portrait, "seed": 1}
        )
        return r.status_code

    assert await restyle(model["id"]) == 400  # fibo
    assert await restyle((await trained(api, mode="fully_automated", version="light"))["id"]) == 200
    assert await restyle((await trained(api, mode="expert", version="2.3"))["id"]) == 200
    assert await restyle((await trained(api, mode="expert", version="max"))["id"]) == 400
    based = await _uploaded(api, {"base_model": "BRIA-2.3"})
    assert await restyle(based["id"]) == 200
    assert await restyle((await _uploaded(api, {"format": "pt"}))["id"]) == 400


async def test_v1_restyle_needs_a_usable_portrait(api: Api) -> None:
    light = await trained(api, mode="fully_automated", version="light")
    body: dict[str, Any] = {"tailored_model_id": light["id"]}
    assert (await api.c.post(RESTYLE, json=body)).status_code == 400
    junk = await api.c.post(RESTYLE, json={**body, "id_image_file": b64(b"no image")})
    assert junk.status_code == 422
    url = (
        await api.c.post(
            "/_mock/files", content=image_bytes(700, 1000), params={"filename": "p.png"}
        )
    ).json()["url"]
    # both given: the URL is used, so the broken file does not matter
    r = await api.c.post(RESTYLE, json={**body, "id_image_url": url, "id_image_file": "%%%"})
    assert r.status_code == 200, r.text
    png = decode((await api.fetch(r.json()["image_res"])).content)
    assert abs(png.width / png.height - 0.7) < 0.02
    unsafe = b64(image_bytes(512, 512, extra=MARKER.encode()))
    blocked = await api.c.post(
        RESTYLE, json={**body, "id_image_file": unsafe, "content_moderation": True}
    )
    assert blocked.status_code == 422
    assert (await api.c.post(RESTYLE, json={**body, "tailored_model_id": "1a"})).status_code == 400


async def test_v1_prefix_takes_one_to_six_images_of_one_kind(api: Api) -> None:
    image = b64(image_bytes(256, 256))
    base = {"ip_type": "stylized_scene", "ip_medium": "illustration"}
    assert (await api.c.post(PREFIX, json=base)).status_code == 400
    assert (await api.c.post(PREFIX, json={**base, "images": []})).status_code == 400
    assert (await api.c.post(PREFIX, json={**base, "images": [image] * 7})).status_code == 400
    both = {**base, "images": [image], "image_urls": ["https://example.com/a.png"]}
    r = await api.c.post(PREFIX, json=both)
    assert r.status_code == 400 and "not both" in r.json()["error"]["message"]
    for count in (1, 6):
        r = await api.c.post(PREFIX, json={**base, "images": [image] * count})
        assert r.status_code == 200 and r.json()["prefix"].strip()
    broken = await api.c.post(PREFIX, json={**base, "images": [image, b64(b"broken")]})
    assert broken.status_code == 422 and "images[1]" in broken.json()["error"]["message"]
    unsafe = b64(image_bytes(256, 256, extra=MARKER.encode()))
    moderated = {**base, "images": [unsafe], "content_moderation": True}
    assert (await api.c.post(PREFIX, json=moderated)).status_code == 422


async def test_v1_prefix_only_for_three_ip_types(api: Api) -> None:
    image = b64(image_bytes(256, 256))
    for ip_type in ("stylized_scene", "defined_character", "object_variants"):
        r = await api.c.post(
            PREFIX, json={"ip_type": ip_type, "images": [image], "ip_name": "Lora"}
        )
        assert r.status_code == 200, r.text
    for ip_type in ("multi_object_set", "icons", "character_variants", "other"):
        r = await api.c.post(PREFIX, json={"ip_type": ip_type, "images": [image]})
        assert r.status_code == 400, ip_type
    named = await api.c.post(
        PREFIX, json={"ip_type": "defined_character", "images": [image], "ip_name": "Lora"}
    )
    assert "Lora" in named.json()["prefix"]


async def test_v1_operations_through_the_generated_client(
    bria: AuthenticatedClient, api: Api
) -> None:
    model = await trained(api)
    body = TailoredImageRequest(prompt="a fox", sync=True, seed=4)
    step = model["checkpoint_steps"][0]
    for response in (
        await text_to_image_tailored.asyncio_detailed(model["id"], client=bria, body=body),
        await text_to_vector_tailored.asyncio_detailed(model["id"], client=bria, body=body),
        await text_to_image_checkpoint_tailored.asyncio_detailed(
            model["id"], step, client=bria, body=body
        ),
        await text_to_vector_checkpoint_tailored.asyncio_detailed(
            model["id"], step, client=bria, body=body
        ),
        await reimagine_tailored.asyncio_detailed(
            model["id"],
            client=bria,
            body=ReimagineTailoredRequest(
                prompt="a fox", sync=True, structure_image_file=b64(image_bytes(300, 200))
            ),
        ),
        await reimagine.asyncio_detailed(
            client=bria,
            body=ReimagineRequest(
                prompt="a fox",
                sync=True,
                structure_image_file=b64(image_bytes(300, 200)),
                tailored_model_id=model["id"],
            ),
        ),
    ):
        assert response.status_code == 200, response.content
        assert isinstance(response.parsed, TailoredGenerationResponse)
        assert response.parsed.result[0].urls and response.parsed.result[0].seed is not None
    prefix = await generate_prefix.asyncio_detailed(
        client=bria,
        body=GeneratePrefixRequest(
            images=[b64(image_bytes(256, 256))], ip_type=PrefixIpType.STYLIZED_SCENE
        ),
    )
    assert isinstance(prefix.parsed, GeneratedPrefix) and prefix.parsed.prefix
    light = await trained(api, mode="fully_automated", version="light")
    restyled = await restyle_portrait.asyncio_detailed(
        client=bria,
        body=RestylePortraitRequest(
            tailored_model_id=light["id"], id_image_file=b64(image_bytes(600, 800))
        ),
    )
    assert isinstance(restyled.parsed, RestylePortraitResponse) and restyled.parsed.image_res
