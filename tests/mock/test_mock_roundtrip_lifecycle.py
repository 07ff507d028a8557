"""A scripted lifecycle whose every mock answer is parsed by the generated client.

Every response of every mock test already goes through ``ResponseValidator.check``, which hands it
to the generated client (``client_parse.Tally``); this flow walks the whole workflow, including
the answers that crashed the client before (``caption_source: null`` on an image uploaded before
the dataset had a visual schema), and counts what was parsed.
"""

from __future__ import annotations

import pytest
from mock_helpers import Api, ResponseValidator, image_bytes

pytestmark = pytest.mark.anyio

MODELS = "/v1/tailored-gen/models"
DATASETS = "/v1/tailored-gen/datasets"


async def test_every_answer_of_a_lifecycle_parses(api: Api, validator: ResponseValidator) -> None:
    c = api.c
    project = await api.project()
    assert (await c.get(f"/v1/tailored-gen/projects/{project['id']}")).status_code == 200
    assert (await c.get("/v1/tailored-gen/projects")).status_code == 200
    dataset = await api.dataset(project["id"])
    early = await api.upload(dataset["id"], image_bytes(color=(10, 20, 30)), name="early.png")
    assert early.status_code == 201 and early.json()["caption_source"] is None
    images = f"{DATASETS}/{dataset['id']}/images"
    assert (await c.get(f"{images}/{early.json()['id']}")).status_code == 200
    await api.set_schema(dataset["id"])
    for i in range(5):
        r = await api.upload(dataset["id"], image_bytes(color=(i * 40, 90, 120)), name=f"{i}.png")
        assert r.status_code == 201
    assert (await c.get(images)).status_code == 200
    assert (await c.get(f"{DATASETS}/{dataset['id']}")).status_code == 200
    assert (await c.get(f"/v1/tailored-gen/projects/{project['id']}/datasets")).status_code == 200
    # An uncaptioned image keeps the dataset from completing; it goes before completion.
    assert (await c.delete(f"{images}/{early.json()['id']}")).status_code in (200, 204)
    done = await c.put(f"{DATASETS}/{dataset['id']}", json={"status": "completed"})
    assert done.status_code == 200
    model = await api.model(dataset["id"], mode="expert")
    started = await api.start(model["id"], total_training_steps=1000, checkpoint_interval=500)
    assert started.status_code == 200
    await api.advance(10 * 3600)
    assert (await c.get(f"{MODELS}/{model['id']}")).json()["status"] == "Completed"
    assert (await c.get(MODELS)).status_code == 200
    assert (await c.get(f"/v1/tailored-gen/projects/{project['id']}/models")).status_code == 200
    checkpoints = f"{MODELS}/{model['id']}/checkpoints"
    assert (await c.get(checkpoints)).status_code == 200
    assert (await c.get(f"{checkpoints}/500")).status_code == 200
    generate = await c.post(
        "/v2/image/generate/tailored",
        json={"tailored_model_id": model["id"], "prompt": "a fox", "seed": 3},
    )
    assert generate.status_code == 202
    await api.advance(60)
    assert (await c.get(f"/v2/status/{generate.json()['request_id']}")).status_code == 200
    # Error answers, in each documented shape: envelope, JSON string, {"status": "NOT_FOUND"}.
    assert (await c.get("/v1/tailored-gen/projects/999999")).status_code == 404
    assert (await c.get(f"{checkpoints}/700")).status_code == 404
    assert (await c.delete(f"{checkpoints}/1000")).status_code == 400
    assert (await c.get("/v2/status/no-such-request")).status_code == 404
    print(f"mock answers parsed by the generated client: {validator.client_parsed}")
    assert validator.client_parsed >= 30
