"""Every request example of the normalized spec is accepted by the mock as written.

The examples are what users copy. Each is sent with only its references rebound: ids
(``project_id``, ``dataset_id``, ``tailored_model_id`` and the path's ids) name resources made
for it, and URLs name an image the mock hosts. Everything else goes as the spec shows it, so an
example the mock's rules refuse (a placeholder that is not JSON, a wrong type) fails here.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from mock_helpers import Api, image_bytes, load_spec

pytestmark = pytest.mark.anyio

ID_FIELDS = {"project_id": "project", "dataset_id": "dataset", "tailored_model_id": "model"}
PATH_IDS = {
    "project_id": "project",
    "dataset_id": "dataset",
    "image_id": "image",
    "model_id": "model",
}


def request_examples() -> list[tuple[str, str, str, dict[str, Any]]]:
    out = []
    for path, item in load_spec()["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            media = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if not media:
                continue
            examples = dict(media.get("examples", {}))
            if "example" in media:
                examples["example"] = {"value": media["example"]}
            for name, example in examples.items():
                out.append((method, path, name, example["value"]))
    return out


EXAMPLES = request_examples()


def test_the_spec_has_request_examples_to_send() -> None:
    assert len(EXAMPLES) >= 10, EXAMPLES


async def _world(api: Api) -> dict[str, Any]:
    """A fresh project, a draft dataset with a schema and an image, and a trained model."""
    model = await api.trained(mode="fully_automated")
    dataset = await api.dataset(project_id=model["project_id"])
    await api.set_schema(dataset["id"])
    upload = await api.upload(dataset["id"])
    assert upload.status_code == 201, upload.text
    hosted = await api.c.post(
        "/_mock/files", content=image_bytes(), params={"filename": "example.png"}
    )
    return {
        "project": model["project_id"],
        "dataset": dataset["id"],
        "image": upload.json()["id"],
        "model": model["id"],
        "url": hosted.json()["url"],
    }


def _rebind(value: Any, world: dict[str, Any]) -> Any:
    body = copy.deepcopy(value)
    for field, kind in ID_FIELDS.items():
        if field in body:
            body[field] = world[kind]
    for field in ("image_url", "image", "model_url"):
        if isinstance(body.get(field), str) and body[field].startswith("http"):
            body[field] = world["url"]
    return body


@pytest.mark.parametrize(
    "method,path,name,value", EXAMPLES, ids=[f"{m} {p} {n}" for m, p, n, _ in EXAMPLES]
)
async def test_request_example_is_accepted(
    api: Api, method: str, path: str, name: str, value: dict[str, Any]
) -> None:
    world = await _world(api)
    url = re.sub(r"\{(\w+)\}", lambda m: str(world[PATH_IDS[m.group(1)]]), path)
    response = await api.c.request(method.upper(), url, json=_rebind(value, world))
    assert response.status_code < 300, (
        f"the spec's example {name!r} of {method.upper()} {path} is refused as written: "
        f"{response.status_code} {response.text}"
    )
