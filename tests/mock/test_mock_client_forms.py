"""Bria's published clients against the mock: every request they send is served on both profiles
(spec/clients/bria-clients.yaml; catalog entry clients.request-forms).

Each recorded call is replayed with the body the client sends; each documented form is accepted
where it is recorded and nowhere else, and a value outside the form is still refused.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from bria_build.inputs import load_yaml
from bria_mock import MockConfig, create_app
from bria_tailored.runtime import openapi_document
from mock_helpers import TOKEN_A, Api, image_bytes

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
FACTS = load_yaml((ROOT / "spec" / "clients" / "bria-clients.yaml").read_text(encoding="utf-8"))
PORTRAIT = base64.b64encode(image_bytes(768, 1024)).decode()
STRUCTURE = base64.b64encode(image_bytes(800, 600)).decode()


@pytest.fixture(params=["canonical", "documented"])
async def api(request: pytest.FixtureRequest) -> AsyncIterator[Api]:
    app = create_app(MockConfig(profile=request.param))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://mock", headers={"api_token": TOKEN_A}
    ) as client:
        yield Api(client)


async def _trained(api: Api, version: str = "light") -> int:
    ds = await api.ready_dataset()
    r = await api.c.post(
        "/v1/tailored-gen/models",
        json={
            "name": "m",
            "dataset_id": ds["id"],
            "training_mode": "fully_automated",
            "training_version": version,
        },
    )
    assert r.status_code == 201, r.text
    assert (await api.start(r.json()["id"])).status_code == 200
    await api.advance(10 * 24 * 3600)
    return int(r.json()["id"])


def _call_body(call: dict[str, Any], model_id: int) -> dict[str, Any]:
    fill = {
        "<base64 image>": STRUCTURE if call["operation"] == "reimagine" else PORTRAIT,
        "<model id as a string>": str(model_id),
        "<model id as an integer>": model_id,
    }
    return {k: fill.get(v, v) if isinstance(v, str) else v for k, v in call["body"].items()}


async def test_every_recorded_comfyui_call_is_served(api: Api) -> None:
    model_id = await _trained(api)
    calls = {k: v for k, v in FACTS["calls"].items() if v["client"] == "comfyui"}
    assert len(calls) == 4
    for name, call in calls.items():
        path = call["path"].replace("{model_id}", str(model_id))
        if "body" in call:
            r = await api.c.post(path, json=_call_body(call, model_id))
        else:
            r = await api.c.get(path)
        assert r.status_code == 200, f"{name}: {r.status_code} {r.text}"
        answer = r.json()
        # what the node reads back
        if call["operation"] in ("text-to-image-tailored", "reimagine"):
            assert answer["result"][0]["urls"][0].startswith("http"), name
        elif call["operation"] == "restyle-portrait":
            assert answer["image_res"].startswith("http"), name
        else:
            assert "generation_prefix" in answer and answer["training_version"] == "light", name


def _forms() -> list[tuple[str, str, str, str]]:
    spec_forms = openapi_document()["x-bria-request-forms"]
    return [
        (form_id, operation, form["field"], form["sent_as"])
        for form_id, form in spec_forms.items()
        for operation in form["operations"]
    ]


ROUTES = {
    "text-to-image-tailored": "/v1/text-to-image/tailored/{model_id}",
    "reimagine": "/v1/reimagine",
    "restyle-portrait": "/v1/tailored-gen/restyle_portrait",
    "image-generate-tailored": "/v2/image/generate/tailored",
    "structured-prompt-generate-tailored": "/v2/structured_prompt/generate/tailored",
    "generate-video-from-tailored-image": "/v2/video/generate/tailored/image-to-video",
}


def _base(operation: str, model_id: int) -> dict[str, Any]:
    if operation == "text-to-image-tailored":
        return {"prompt": "a fox", "sync": True}
    if operation == "reimagine":
        return {
            "prompt": "a fox",
            "sync": True,
            "structure_image_file": STRUCTURE,
            "tailored_model_id": model_id,
        }
    if operation == "restyle-portrait":
        return {"id_image_file": PORTRAIT, "tailored_model_id": model_id}
    if operation == "generate-video-from-tailored-image":
        return {"image": PORTRAIT, "tailored_model_id": model_id}
    return {"prompt": "a fox", "sync": True, "tailored_model_id": model_id}


@pytest.mark.parametrize(("form_id", "operation", "field", "kind"), _forms())
async def test_each_documented_form_is_accepted_and_only_that(
    api: Api, form_id: str, operation: str, field: str, kind: str
) -> None:
    model_id = await _trained(api)
    path = ROUTES[operation].replace("{model_id}", str(model_id))
    base = _base(operation, model_id)
    if kind == "integer-boolean":
        canonical, documented, outside = False, 0, 2
    else:
        value = model_id if field == "tailored_model_id" else 4242
        canonical, documented, outside = value, str(value), f"{value}a"
    ok = 202 if operation == "generate-video-from-tailored-image" else 200
    for value in (canonical, documented):
        r = await api.c.post(path, json={**base, field: value})
        assert r.status_code == ok, f"{form_id}: {field}={value!r} → {r.status_code} {r.text}"
    r = await api.c.post(path, json={**base, field: outside})
    assert r.status_code == 400, f"{form_id}: {field}={outside!r} must stay refused: {r.text}"
    assert field in r.json()["error"]["message"]


async def test_a_form_is_accepted_only_where_a_client_sends_it(api: Api) -> None:
    model_id = await _trained(api, version="light")
    # the checkpoint route shares text-to-image's body, but no Bria client sends it `fast: 1`
    r = await api.c.post(
        f"/v1/text-to-image/tailored/{model_id}/1000", json={"prompt": "a fox", "fast": 1}
    )
    assert r.status_code == 400 and "fast" in r.text, r.text


async def test_recreate_round_trip_with_the_seed_as_it_came(api: Api) -> None:
    """Generate, then recreate from the answer's structured prompt and seed, whatever form the
    seed came in (the documented profile writes the status service's seed as a digit string)."""
    model_id = await _trained(api)
    r = await api.c.post(
        "/v2/image/generate/tailored",
        json={"tailored_model_id": str(model_id), "prompt": "a fox"},
    )
    assert r.status_code == 202, r.text
    await api.advance(3600)
    done = (await api.c.get(f"/v2/status/{r.json()['request_id']}")).json()
    assert done["status"] == "COMPLETED", done
    seed, structured = done["result"]["seed"], done["result"]["structured_prompt"]
    again = await api.c.post(
        "/v2/image/generate/tailored",
        json={
            "tailored_model_id": model_id,
            "structured_prompt": structured,
            "seed": seed,
            "sync": True,
        },
    )
    assert again.status_code == 200, again.text
    result = again.json()["result"]
    # a sync 200 writes the seed as an integer on both profiles; only the status service's
    # answers carry the digit string
    assert result["seed"] == int(seed) and isinstance(result["seed"], int), result
    recreated = await api.c.post(
        "/v2/image/generate/tailored",
        json={
            "tailored_model_id": model_id,
            "structured_prompt": result["structured_prompt"],
            "seed": result["seed"],
            "sync": True,
        },
    )
    assert recreated.status_code == 200, recreated.text
    first = await api.fetch(done["result"]["image_url"])
    second = await api.fetch(recreated.json()["result"]["image_url"])
    assert first.status_code == second.status_code == 200
    assert first.content == second.content, "the same structured prompt and seed recreate the image"


async def test_reimagine_with_the_model_in_the_body(api: Api) -> None:
    """v1gen.reimagine-model-in-body: reimagine-tailored with the model in the body."""
    model_id = await _trained(api)
    body = {"prompt": "a fox", "sync": True, "seed": 5, "structure_image_file": STRUCTURE}
    by_body = await api.c.post("/v1/reimagine", json={**body, "tailored_model_id": model_id})
    by_path = await api.c.post(f"/v1/reimagine/tailored/{model_id}", json=body)
    assert by_body.status_code == by_path.status_code == 200, by_body.text
    images = [
        (await api.fetch(r.json()["result"][0]["urls"][0])).content for r in (by_body, by_path)
    ]
    assert images[0] == images[1], "the same model, structure and seed give the same image"
    missing = await api.c.post("/v1/reimagine", json=body)
    assert missing.status_code == 400 and "tailored_model_id" in missing.text
    no_structure = {"prompt": "a fox", "tailored_model_id": model_id}
    assert (await api.c.post("/v1/reimagine", json=no_structure)).status_code == 400
    unknown = await api.c.post("/v1/reimagine", json={**body, "tailored_model_id": 987654})
    assert unknown.status_code == 404
