"""Model and training rules (catalog entries model.*, training.*, upload-model.*)."""

from __future__ import annotations

import pytest
from bria_mock import MockConfig
from bria_mock.artefacts import write_safetensors
from bria_mock.documents import read_safetensors_header
from mock_helpers import Api

pytestmark = pytest.mark.anyio

MODELS = "/v1/tailored-gen/models"


async def test_create_model_belongs_to_the_dataset_project(api: Api) -> None:
    ds = await api.ready_dataset()
    model = await api.model(ds["id"])
    assert model["status"] == "Created"
    assert model["training_mode"] == "fully_automated"
    assert model["project_id"] == ds["project_id"] and model["dataset_id"] == ds["id"]
    assert model["training_parameters"] == {} and model["checkpoint_steps"] == []


@pytest.mark.parametrize("missing", ["name", "dataset_id"])
async def test_create_requires_name_and_dataset(api: Api, missing: str) -> None:
    ds = await api.dataset()
    body = {"name": "m", "dataset_id": ds["id"]}
    del body[missing]
    assert (await api.c.post(MODELS, json=body)).status_code == 400


async def test_create_on_unknown_dataset_is_404(api: Api) -> None:
    assert (await api.c.post(MODELS, json={"name": "m", "dataset_id": 99999})).status_code == 404


async def test_training_needs_a_completed_dataset(api: Api) -> None:
    ds = await api.dataset()
    model = await api.model(ds["id"])
    r = await api.start(model["id"])
    assert r.status_code == 412
    assert (await api.get_model(model["id"]))["status"] == "Created"


@pytest.mark.parametrize("config", [MockConfig(require_completed_dataset_on_create=True)])
async def test_option_refuses_models_on_draft_datasets(api: Api, config: MockConfig) -> None:
    ds = await api.dataset()
    r = await api.c.post(MODELS, json={"name": "m", "dataset_id": ds["id"]})
    assert r.status_code == 400 and "completed" in r.json()["error"]["message"]


async def test_fully_automated_training_uses_fibo_defaults_and_completes(api: Api) -> None:
    model = await api.model()
    r = await api.start(model["id"])
    assert r.status_code == 200
    started = r.json()
    assert started["status"] == "InProgress"
    assert started["training_parameters"] == {
        "rank": 128,
        "learning_rate": 0.0001,
        "lr_scheduler": "constant_with_warmup",
        "total_training_steps": 750,
        "checkpoint_interval": 500,
        "lr_warmup_steps": 100,
    }
    await api.advance(7400)  # 750 steps x 10 s = 7500 s
    assert (await api.get_model(model["id"]))["status"] == "InProgress"
    await api.advance(100)
    done = await api.get_model(model["id"])
    assert done["status"] == "Completed"
    assert done["checkpoint_steps"] == [750, 500]
    assert done["active_model_version"] == "750"


async def test_legacy_training_version_defaults(api: Api) -> None:
    ds = await api.ready_dataset()
    r = await api.c.post(
        MODELS, json={"name": "m", "dataset_id": ds["id"], "training_version": "max"}
    )
    assert r.status_code == 201
    started = (await api.start(r.json()["id"])).json()
    assert started["training_parameters"]["lr_scheduler"] == "constant"
    assert started["training_parameters"]["total_training_steps"] == 1500
    assert started["training_parameters"]["lr_warmup_steps"] is None


@pytest.mark.parametrize(
    "param",
    [
        {"rank": 64},
        {"learning_rate": 0.0002},
        {"lr_warmup_steps": 10},
        {"lr_scheduler": "cosine"},
        {"total_training_steps": 100},
        {"checkpoint_interval": 200},
    ],
)
async def test_advanced_parameters_need_expert_mode(api: Api, param: dict[str, object]) -> None:
    model = await api.model()
    r = await api.start(model["id"], **param)
    assert r.status_code == 400
    assert "expert" in r.json()["message"]
    assert (await api.get_model(model["id"]))["status"] == "Created"


@pytest.mark.parametrize(
    ("field", "bad", "good"),
    [
        ("learning_rate", 0.01, 0.001),
        ("learning_rate", 1e-7, 1e-6),
        ("total_training_steps", 5001, 5000),
        ("total_training_steps", 0, 1),
        ("rank", 3, 4),
        ("rank", 257, 256),
        ("checkpoint_interval", 99, 100),
        ("lr_warmup_steps", 1001, 1000),
        ("lr_warmup_steps", -1, 0),
    ],
)
async def test_expert_bounds_answer_errors_list(
    api: Api, field: str, bad: float, good: float
) -> None:
    model = await api.model(mode="expert")
    r = await api.start(model["id"], **{field: bad})
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert errors[0]["field_name"] == field
    assert errors[0]["field_input"] == str(bad).replace("e-07", "e-07")
    assert (await api.get_model(model["id"]))["status"] == "Created"
    assert (await api.start(model["id"], **{field: good})).status_code == 200


async def test_warmup_is_null_unless_constant_with_warmup(api: Api) -> None:
    model = await api.model(mode="expert")
    r = await api.start(model["id"], lr_scheduler="cosine", lr_warmup_steps=50)
    assert r.json()["training_parameters"]["lr_warmup_steps"] is None


async def test_checkpoints_every_interval_plus_final(api: Api) -> None:
    model = await api.trained(total_training_steps=1000, checkpoint_interval=300)
    assert model["checkpoint_steps"] == [1000, 900, 600, 300]
    r = await api.c.get(f"{MODELS}/{model['id']}/checkpoints")
    assert r.status_code == 200
    listing = r.json()
    assert [c["checkpoint_step"] for c in listing["checkpoints"]] == [300, 600, 900, 1000]
    assert listing["active_model_version"] == "1000"
    assert all(c["training_job_id"] == model["id"] for c in listing["checkpoints"])


async def test_checkpoints_appear_as_training_progresses(api: Api) -> None:
    model = await api.model(mode="expert")
    await api.start(model["id"], total_training_steps=1000, checkpoint_interval=300)
    await api.advance(300 * 10 + 1)
    partial = await api.get_model(model["id"])
    assert partial["status"] == "InProgress" and partial["checkpoint_steps"] == [300]
    # listing needs a completed model
    r = await api.c.get(f"{MODELS}/{model['id']}/checkpoints")
    assert r.status_code == 400 and r.json() == "The model status is not completed"


async def test_checkpoint_get_and_delete(api: Api) -> None:
    model = await api.trained(total_training_steps=1000, checkpoint_interval=500)
    base = f"{MODELS}/{model['id']}/checkpoints"
    r = await api.c.get(f"{base}/500")
    assert r.status_code == 200 and r.json()["checkpoint_step"] == 500
    assert (await api.c.get(f"{base}/700")).status_code == 404
    active = await api.c.delete(f"{base}/1000")
    assert active.status_code == 400 and "selected for inference" in active.json()
    assert (await api.c.delete(f"{base}/500")).status_code == 204
    assert (await api.c.get(f"{base}/500")).status_code == 404
    assert [c["checkpoint_step"] for c in (await api.c.get(base)).json()["checkpoints"]] == [1000]
    assert (await api.c.delete(f"{base}/500")).status_code == 404


async def test_checkpoints_only_for_expert_models(api: Api) -> None:
    model = await api.trained(mode="fully_automated")
    r = await api.c.get(f"{MODELS}/{model['id']}/checkpoints")
    assert r.status_code == 400 and "expert" in r.json()


async def test_training_cannot_start_twice_or_resume(api: Api) -> None:
    model = await api.model()
    assert (await api.start(model["id"])).status_code == 200
    assert (await api.start(model["id"])).status_code == 409
    await api.advance(10 * 24 * 3600)
    assert (await api.start(model["id"])).status_code == 409


async def test_stop_goes_through_stopping_to_stopped_and_never_back(api: Api) -> None:
    model = await api.model()
    assert (await api.c.post(f"{MODELS}/{model['id']}/stop_training")).status_code == 409  # Created
    await api.start(model["id"])
    r = await api.c.post(f"{MODELS}/{model['id']}/stop_training")
    assert r.status_code == 200
    assert (await api.get_model(model["id"]))["status"] == "Stopping"
    assert (await api.c.post(f"{MODELS}/{model['id']}/stop_training")).status_code == 409
    await api.advance(120)
    assert (await api.get_model(model["id"]))["status"] == "Stopped"
    await api.advance(10 * 24 * 3600)  # the cancelled training never completes afterwards
    assert (await api.get_model(model["id"]))["status"] == "Stopped"
    assert (await api.start(model["id"])).status_code == 409
    assert (await api.c.post(f"{MODELS}/{model['id']}/stop_training")).status_code == 409


async def test_injected_failure(api: Api) -> None:
    model = await api.model()
    await api.start(model["id"])
    r = await api.c.post(f"/_mock/models/{model['id']}/fail", json={"reason": "GPU lost"})
    assert r.status_code == 200
    await api.advance(10 * 24 * 3600)
    assert (await api.get_model(model["id"]))["status"] == "Failed"
    assert (await api.c.post(f"/_mock/models/{model['id']}/fail")).status_code == 409


async def test_status_never_moves_backwards(api: Api) -> None:
    order = {"Created": 0, "InProgress": 1, "Stopping": 2, "Completed": 3, "Stopped": 3}
    model = await api.model(mode="expert")
    await api.start(model["id"], total_training_steps=300, checkpoint_interval=100)
    seen = []
    for _ in range(8):
        seen.append((await api.get_model(model["id"]))["status"])
        await api.advance(500)
    assert seen == sorted(seen, key=order.__getitem__)
    assert seen[-1] == "Completed"


async def test_delete_model_blocked_while_training(api: Api) -> None:
    model = await api.model()
    await api.start(model["id"])
    r = await api.c.delete(f"{MODELS}/{model['id']}")
    assert r.status_code == 409 and r.json() == {
        "message": "Cannot delete model while it is in training"
    }
    await api.advance(10 * 24 * 3600)
    assert (await api.c.delete(f"{MODELS}/{model['id']}")).status_code == 204
    assert (await api.c.get(f"{MODELS}/{model['id']}")).status_code == 404
    assert (await api.c.get(MODELS)).json() == []


async def test_update_only_name_and_description(api: Api) -> None:
    model = await api.model()
    r = await api.c.put(
        f"{MODELS}/{model['id']}", json={"name": "new", "training_mode": "expert", "dataset_id": 1}
    )
    assert r.status_code == 200
    assert r.json()["name"] == "new" and r.json()["training_mode"] == "fully_automated"
    assert r.json()["dataset_id"] == model["dataset_id"]


async def test_lists_and_include_training_parameters(api: Api) -> None:
    model = await api.trained(mode="fully_automated")
    plain = (await api.c.get(MODELS)).json()
    assert [m["id"] for m in plain] == [model["id"]] and "checkpoint_steps" not in plain[0]
    detailed = (await api.c.get(MODELS, params={"include_training_parameters": "true"})).json()
    assert detailed[0]["checkpoint_steps"] == [750, 500]
    by_project = (await api.c.get(f"/v1/tailored-gen/projects/{model['project_id']}/models")).json()
    assert [m["id"] for m in by_project] == [model["id"]]
    assert (await api.c.get("/v1/tailored-gen/projects/123456/models")).status_code == 404


async def test_download_only_after_completion_yields_safetensors(api: Api) -> None:
    model = await api.model(mode="expert")
    assert (await api.c.get(f"{MODELS}/{model['id']}/download")).status_code == 400
    await api.start(model["id"], rank=16)
    assert (await api.c.get(f"{MODELS}/{model['id']}/download")).status_code == 400
    await api.advance(10 * 24 * 3600)
    r = await api.c.get(f"{MODELS}/{model['id']}/download")
    assert r.status_code == 200
    assert r.json()["base_model_name"] == "BRIA-FIBO"
    file = await api.fetch(r.json()["download_url"])
    header = read_safetensors_header(file.content)
    assert (16, 64) in [tensor.shape for tensor in header.tensors]
    assert header.metadata["bria_model_id"] == str(model["id"])


async def test_upload_model_syncs_then_completes(api: Api) -> None:
    data = write_safetensors("x", 8, {"format": "pt"})
    url = (
        await api.c.post("/_mock/files", content=data, params={"filename": "lora.safetensors"})
    ).json()["url"]
    r = await api.c.post(
        f"{MODELS}/upload_model",
        json={
            "model_url": url,
            "model_name": "mine",
            "project_parameters": {"project_name": "Uploaded", "ip_medium": "illustration"},
        },
    )
    assert r.status_code == 200, r.text
    model = r.json()
    assert model["status"] == "syncing"
    project = (await api.c.get(f"/v1/tailored-gen/projects/{model['project_id']}")).json()
    assert project["project_name"] == "Uploaded" and project["ip_type"] == "other"
    await api.advance(600)
    assert (await api.get_model(model["id"]))["status"] == "Completed"
    assert (await api.start(model["id"])).status_code == 409
    download = await api.c.get(f"{MODELS}/{model['id']}/download")
    assert (await api.fetch(download.json()["download_url"])).content == data


async def test_upload_model_rules(api: Api) -> None:
    project = await api.project()
    path = f"{MODELS}/upload_model"
    assert (await api.c.post(path, json={"project_id": project["id"]})).status_code == 400
    r = await api.c.post(
        path,
        json={
            "model_url": "http://mock/_mock/files/uploads/x/model.ckpt",
            "project_id": project["id"],
        },
    )
    assert r.status_code == 415
    fake = (
        await api.c.post(
            "/_mock/files", content=b"not a model", params={"filename": "m.safetensors"}
        )
    ).json()["url"]
    r = await api.c.post(path, json={"model_url": fake, "project_id": project["id"]})
    assert r.status_code == 415 and "safetensors" in r.json()["error"]["message"]
    r = await api.c.post(path, json={"model_url": fake, "project_id": 777777})
    assert r.status_code == 404
    r = await api.c.post(
        path, json={"model_url": "https://example.com/m.safetensors", "project_id": project["id"]}
    )
    assert r.status_code == 422
    r = await api.c.post(path, json={"model_url": fake})
    assert r.status_code == 400 and "project_parameters" in r.json()["error"]["message"]


@pytest.mark.parametrize("config", [MockConfig(realtime=True, speed=200_000)])
async def test_realtime_clock_runs_by_itself(api: Api, config: MockConfig) -> None:
    import asyncio

    model = await api.model()
    await api.start(model["id"])
    await asyncio.sleep(0.2)  # 0.2 s x 200,000 = 40,000 virtual seconds > 7,500 s of training
    assert (await api.get_model(model["id"]))["status"] == "Completed"
