"""Types, required fields, enums and bounds are the spec's: the request validation refuses them.

Handlers do not repeat a check the normalized spec already makes (validation.py runs it before
any handler). Each case below is one such check, sent as a bad request: the answer is the
documented 400 from the validation layer (its message names the request part, and for
start_training it lists ``errors[]``), and nothing is stored.
"""

from __future__ import annotations

from typing import Any

import pytest
from mock_helpers import Api

pytestmark = pytest.mark.anyio

T = "/v1/tailored-gen"

REFINE: dict[str, Any] = {"dataset_id": 0, "structured_prompt": "{}", "instruction": "warmer"}


def _without(key: str) -> dict[str, Any]:
    return {k: v for k, v in REFINE.items() if k != key}


# (what the check is, method, path, JSON body or query)
CASES: list[tuple[str, str, str, dict[str, Any]]] = [
    # create-dataset
    ("dataset project_id required", "POST", "/datasets", {"name": "n"}),
    ("dataset project_id integer", "POST", "/datasets", {"project_id": "{project}", "name": "n"}),
    ("dataset name required", "POST", "/datasets", {"project_id": 0}),
    ("dataset name string", "POST", "/datasets", {"project_id": 0, "name": 5}),
    (
        "dataset upload_type enum",
        "POST",
        "/datasets",
        {"project_id": 0, "name": "n", "upload_type": "huge"},
    ),
    # get-dataset-by-id
    ("max_images minimum", "GET", "/datasets/{dataset}", {"max_images": 0}),
    ("max_images maximum", "GET", "/datasets/{dataset}", {"max_images": 201}),
    # update-dataset
    ("update dataset name string", "PUT", "/datasets/{dataset}", {"name": 5}),
    ("visual_schema string", "PUT", "/datasets/{dataset}", {"visual_schema": {"a": 1}}),
    ("dataset status enum", "PUT", "/datasets/{dataset}", {"status": "archived"}),
    # clone-dataset
    ("clone name string", "POST", "/datasets/{dataset}/clone", {"name": 5}),
    # upload-image (JSON form)
    ("image_url string", "POST", "/datasets/{dataset}/images", {"image_url": 5}),
    # update-image-caption
    ("caption string", "PUT", "/datasets/{dataset}/images/{image}", {"caption": {"a": 1}}),
    # create-model
    ("model dataset_id required", "POST", "/models", {"name": "m"}),
    ("model dataset_id integer", "POST", "/models", {"name": "m", "dataset_id": "x"}),
    (
        "training_mode enum",
        "POST",
        "/models",
        {"name": "m", "dataset_id": 0, "training_mode": "auto"},
    ),
    (
        "model description string",
        "POST",
        "/models",
        {"name": "m", "dataset_id": 0, "description": 5},
    ),
    # update-model
    ("update model description string", "PUT", "/models/{model}", {"description": 5}),
    # start-training: the bounds table the handler no longer keeps
    ("lr_scheduler enum", "POST", "/models/{expert}/start_training", {"lr_scheduler": "weekly"}),
    ("rank integer", "POST", "/models/{expert}/start_training", {"rank": 64.5}),
    ("learning_rate number", "POST", "/models/{expert}/start_training", {"learning_rate": "fast"}),
    ("rank maximum", "POST", "/models/{expert}/start_training", {"rank": 257}),
    (
        "checkpoint_interval minimum",
        "POST",
        "/models/{expert}/start_training",
        {"checkpoint_interval": 99},
    ),
    # upload-model
    ("model_url required", "POST", "/models/upload_model", {"project_id": 0}),
    ("model_url string", "POST", "/models/upload_model", {"model_url": 5}),
    (
        "upload project_id integer",
        "POST",
        "/models/upload_model",
        {"model_url": "https://example.com/m.safetensors", "project_id": "1"},
    ),
    # generate-visual-schema
    ("visual schema images required", "POST", "/generate_visual_schema", {}),
    ("visual schema images strings", "POST", "/generate_visual_schema", {"images": [1] * 5}),
    ("visual schema at least 5 images", "POST", "/generate_visual_schema", {"images": ["x"] * 4}),
    ("visual schema at most 10 images", "POST", "/generate_visual_schema", {"images": ["x"] * 11}),
    # refine-json
    (
        "refine dataset_id integer",
        "POST",
        "/refine_structured_prompt",
        {**REFINE, "dataset_id": "x"},
    ),
    (
        "refine structured_prompt required",
        "POST",
        "/refine_structured_prompt",
        _without("structured_prompt"),
    ),
    (
        "refine instruction string",
        "POST",
        "/refine_structured_prompt",
        {**REFINE, "instruction": 5},
    ),
    (
        "refine context_images strings",
        "POST",
        "/refine_structured_prompt",
        {**REFINE, "context_images": [1]},
    ),
    # v2 generation
    ("image tailored_model_id required", "POST", "/v2/image/generate/tailored", {"prompt": "x"}),
    ("image prompt string", "POST", "/v2/image/generate/tailored", {"prompt": 5}),
    ("image seed integer", "POST", "/v2/image/generate/tailored", {"prompt": "x", "seed": "7x"}),
    (
        "structured_prompt string",
        "POST",
        "/v2/image/generate/tailored",
        {"structured_prompt": {"a": 1}, "seed": 1},
    ),
    (
        "structured prompt tailored_model_id required",
        "POST",
        "/v2/structured_prompt/generate/tailored",
        {"prompt": "x"},
    ),
    (
        "video image required",
        "POST",
        "/v2/video/generate/tailored/image-to-video",
        {"tailored_model_id": 0},
    ),
]


async def _world(api: Api) -> dict[str, int]:
    project = await api.project()
    ds = await api.dataset(project["id"])
    r = await api.upload(ds["id"])
    assert r.status_code == 201, r.text
    expert = await api.model(mode="expert")
    return {
        "project": project["id"],
        "dataset": ds["id"],
        "image": r.json()["id"],
        "model": expert["id"],
        "expert": expert["id"],
    }


def _fill(value: Any, world: dict[str, int], key: str) -> Any:
    if isinstance(value, str) and value[1:-1] in world and value == f"{{{value[1:-1]}}}":
        return str(world[value[1:-1]])  # an id sent as a string
    if value == 0 and key in ("project_id", "dataset_id", "tailored_model_id"):
        name = {"project_id": "project", "dataset_id": "dataset"}.get(key, "model")
        return world[name]
    return value


def _from_validation(body: Any) -> bool:
    """The answer names the request part (validation.py's wording) or the field (errors[])."""
    prefixes = ("request body", "query parameter", "path parameter")
    if isinstance(body, str):
        return body.startswith(prefixes)
    if "errors" in body:
        return all(e["field_name"] for e in body["errors"])
    message = body["error"]["message"] if "error" in body else body["message"]
    return str(message).startswith(prefixes)


async def test_the_spec_validation_refuses_before_any_handler(api: Api) -> None:
    world = await _world(api)
    before = (await api.c.get(f"{T}/datasets/{world['dataset']}")).json()
    models_before = (await api.c.get(f"{T}/models")).json()
    seen = []
    for what, method, path, payload in CASES:
        url = (path if path.startswith("/v2") else T + path).format(**world)
        filled = {k: _fill(v, world, k) for k, v in payload.items()}
        if path.startswith("/v2") and "tailored_model_id" not in filled and "required" not in what:
            filled["tailored_model_id"] = world["model"]
        if method == "GET":
            r = await api.c.get(url, params=filled)
        else:
            r = await api.c.request(method, url, json=filled)
        assert r.status_code == 400, (what, r.status_code, r.text)
        assert _from_validation(r.json()), (what, r.text)
        seen.append(what)
    assert len(seen) == len(CASES)
    # nothing was stored or changed by any of them
    assert (await api.c.get(f"{T}/datasets/{world['dataset']}")).json() == before
    assert (await api.c.get(f"{T}/models")).json() == models_before
