"""Models: creation from a dataset, training, stopping, download, and uploaded models.

Rules enforced here (mock rule ids in conformance/suite/bria_conformance/catalog.yaml):
PRJ-LOCK, MDL-REQUIRED, MDL-INITIAL, MDL-DRAFT-DATASET, MDL-LIST-TRAINING-PARAMS,
MDL-UPDATE-FIELDS, MDL-DELETE-TRAINING, TRN-DATASET-COMPLETED, TRN-ONCE, TRN-DURATION, TRN-STOP,
MDL-DOWNLOAD, UPL-RULES.
"""

from __future__ import annotations

import posixpath
from functools import partial
from typing import Any

import anyio.to_thread

from .. import access
from ..artefacts import SafetensorsError, read_safetensors_header
from ..clock import iso
from ..context import Ctx, Reply, operation
from ..errors import ApiError
from ..fetch import FetchError, url_path
from ..state import Record, Transaction
from . import projects as projects_mod
from . import training

TRAINING_MODES = ("fully_automated", "expert")


def view(m: Record, *, with_training: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": m["id"],
        "name": m["name"],
        "description": m["description"],
        "status": m["status"],
        "training_mode": m.get("training_mode"),
        "training_version": m.get("training_version"),
        "generation_prefix": m.get("generation_prefix"),
        "project_id": m["project_id"],
        "dataset_id": m.get("dataset_id"),
        "created_at": iso(m["created_at"]),
        "updated_at": iso(m["updated_at"]),
        "custom_metadata": m.get("custom_metadata", ""),
        "active_model_version": m.get("active_model_version", "default"),
    }
    if with_training:
        out["training_parameters"] = dict(m.get("training_parameters") or {})
        out["checkpoint_steps"] = steps_view(m)
    # An uploaded model has no training mode or dataset; the fields are absent, not null.
    for key in ("training_mode", "dataset_id"):
        if out[key] is None:
            del out[key]
    return out


def steps_view(m: Record) -> list[int]:
    return [int(c["step"]) for c in sorted(m.get("checkpoints", []), key=lambda c: -c["step"])]


def _name(body: dict[str, Any], key: str, required: bool) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            raise ApiError(400, f"{key} is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, f"{key} must be a non-empty string")
    return value.strip()


@operation("create-model")
def create_model(ctx: Ctx) -> Reply:
    body = ctx.json
    name = _name(body, "name", True)
    dataset_id = body.get("dataset_id")
    if dataset_id is None:
        raise ApiError(400, "dataset_id is required")
    if not isinstance(dataset_id, int) or isinstance(dataset_id, bool):
        raise ApiError(400, "dataset_id must be an integer")
    mode = body.get("training_mode", "fully_automated")
    if mode not in TRAINING_MODES:
        raise ApiError(400, f"training_mode must be fully_automated or expert, got {mode!r}")
    version = body.get("training_version", "fibo")
    if version not in training.TRAINING_VERSIONS:
        raise ApiError(
            400,
            f"training_version must be one of {', '.join(training.TRAINING_VERSIONS)}, "
            f"got {version!r}",
        )
    description = body.get("description")
    if description is not None and not isinstance(description, str):
        raise ApiError(400, "description must be a string")
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, dataset_id)
        if ctx.mock.config.require_completed_dataset_on_create and ds["status"] != "completed":
            raise ApiError(
                400, f"dataset {dataset_id} must be completed before a model is created on it"
            )
        mid = tx.new_id()
        record: Record = {
            "id": mid,
            "org": ctx.org,
            "origin": "trained",
            "name": name,
            "description": description or "",
            "status": "Created",
            "training_mode": mode,
            "training_version": version,
            "generation_prefix": None if version == "fibo" else "",
            "project_id": ds["project_id"],
            "dataset_id": ds["id"],
            "custom_metadata": "",
            "active_model_version": "default",
            "training_parameters": {},
            "checkpoints": [],
            "job": None,
            "created_at": tx.now,
            "updated_at": tx.now,
        }
        tx.put("model", mid, record)
        return Reply(201, view(record))


@operation("get-models")
def get_models(ctx: Ctx) -> Reply:
    detailed = bool(ctx.query.get("include_training_parameters", False))
    with ctx.mock.store.transaction() as tx:
        return Reply(
            200, [view(m, with_training=detailed) for m in access.owned_list(tx, "model", ctx.org)]
        )


@operation("get-models-by-project")
def get_models_by_project(ctx: Ctx) -> Reply:
    detailed = bool(ctx.query.get("include_training_parameters", False))
    with ctx.mock.store.transaction() as tx:
        project = access.project(tx, ctx.org, ctx.path["project_id"])
        models = [
            m for m in access.owned_list(tx, "model", ctx.org) if m["project_id"] == project["id"]
        ]
        return Reply(200, [view(m, with_training=detailed) for m in models])


@operation("get-model")
def get_model(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        return Reply(200, view(access.model(tx, ctx.org, ctx.path["model_id"])))


@operation("update-model")
def update_model(ctx: Ctx) -> Reply:
    body = ctx.json
    name = _name(body, "name", False)
    description = body.get("description")
    if description is not None and not isinstance(description, str):
        raise ApiError(400, "description must be a string")
    with ctx.mock.store.transaction() as tx:
        record = access.model(tx, ctx.org, ctx.path["model_id"])
        if name is not None:
            record["name"] = name
        if description is not None:
            record["description"] = description
        record["updated_at"] = tx.now
        tx.put("model", record["id"], record)
        return Reply(200, view(record))


@operation("delete-model")
def delete_model(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        record = access.model(tx, ctx.org, ctx.path["model_id"])
        if record["status"] in access.TRAINING_STATUSES:
            raise ApiError(409, "Cannot delete model while it is in training")
        drop(ctx.mock, tx, record)
        return Reply(204)


def drop(mock: Any, tx: Transaction, model: Record) -> None:
    tx.delete("model", model["id"])
    if model.get("origin") == "uploaded":
        tx.delete_blob(f"model/{model['id']}")


@operation("start-training")
def start_training(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    with ctx.mock.store.transaction() as tx:
        model = access.model(tx, ctx.org, ctx.path["model_id"])
        if model.get("origin") == "uploaded":
            raise ApiError(409, "uploaded models cannot be trained")
        if model["status"] != "Created":
            verb = (
                "is already in training"
                if model["status"] in access.TRAINING_STATUSES
                else "cannot be resumed"
            )
            raise ApiError(
                409,
                f"Training already started: model {model['id']} is {model['status']} and {verb}; "
                "create a new model to train again",
            )
        ds = tx.get("dataset", model["dataset_id"]) if model.get("dataset_id") else None
        if ds is None:
            raise ApiError(412, f"the model's dataset {model.get('dataset_id')} no longer exists")
        if ds["status"] != "completed":
            raise ApiError(412, "Dataset status must be 'completed' to start training")
        project = tx.get("project", model["project_id"])
        version = str(model.get("training_version") or "fibo")
        family = "fibo" if version == "fibo" else "legacy"
        if project is not None and project.get("training_version"):
            locked = project["training_version"]
            if ("fibo" if locked == "fibo" else "legacy") != family:
                raise ApiError(
                    409, f"project {project['id']} is locked to training version {locked!r}"
                )
        params = training.resolve_parameters(model, ctx.json)
        steps = training.checkpoint_steps(
            params["total_training_steps"], params["checkpoint_interval"]
        )
        job = tx.new_id()
        training.advance(model, "InProgress", tx.now)
        model["training_parameters"] = params
        model["job"] = job
        model["started_at"] = tx.now
        model["visual_schema"] = ds["visual_schema"]
        per_step = cfg.training_seconds_per_step
        for step in steps:
            tx.schedule(
                tx.now + step * per_step,
                "training.checkpoint",
                {"model_id": model["id"], "job": job, "step": step, "final": step == steps[-1]},
            )
        tx.put("model", model["id"], model)
        if project is not None and not project.get("training_version"):
            project["training_version"] = version
            tx.put("project", project["id"], project)
        return Reply(200, view(model))


@operation("stop-training")
def stop_training(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        model = access.model(tx, ctx.org, ctx.path["model_id"])
        if model["status"] == "Stopping":
            raise ApiError(409, "Training is already stopping")
        if model["status"] != "InProgress":
            raise ApiError(
                409, f"Training already stopped/not in training (status {model['status']})"
            )
        training.advance(model, "Stopping", tx.now)
        model["job"] = None
        tx.put("model", model["id"], model)
        tx.schedule(
            tx.now + ctx.mock.config.stop_seconds, "training.stopped", {"model_id": model["id"]}
        )
        return Reply(200, view(model))


@operation("download-tailored-model")
def download_model(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        model = access.model(tx, ctx.org, ctx.path["model_id"])
        if model["status"] not in ("Completed", "completed"):
            raise ApiError(
                (409, 400),
                f"model {model['id']} is {model['status']}; "
                "download is available after training completes",
            )
        name, card = training.BASE_MODELS.get(
            str(model.get("training_version") or "fibo"), training.BASE_MODELS["fibo"]
        )
        return Reply(
            200,
            {
                "download_url": ctx.signed(f"models/{model['id']}.safetensors", tx.now),
                "base_model_name": name,
                "base_model_card": card,
            },
        )


@operation("upload-model")
async def upload_model(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    body = ctx.json
    url = body.get("model_url")
    if not isinstance(url, str) or not url.strip():
        raise ApiError(400, "model_url is required")
    filename = posixpath.basename(url_path(url))
    if not filename.lower().endswith(".safetensors"):
        raise ApiError(
            (415, 400),
            "Model has to be in .safetensors format (the model_url must end in .safetensors)",
        )
    model_name = _name(body, "model_name", False) or filename.rsplit(".", 1)[0] or "uploaded model"
    project_id = body.get("project_id")
    new_project: dict[str, Any] | None = None
    if project_id is None:
        params = body.get("project_parameters")
        if not isinstance(params, dict):
            raise ApiError(400, "send project_id, or project_parameters to create a new project")
        new_project = projects_mod.validate_new({"ip_type": "other", **params}, cfg)
    elif not isinstance(project_id, int) or isinstance(project_id, bool):
        raise ApiError(400, "project_id must be an integer")
    else:
        with ctx.mock.store.transaction() as tx:
            access.project(tx, ctx.org, project_id)
    try:
        data = await ctx.mock.fetcher.fetch(
            url, base_url=ctx.base_url, max_bytes=cfg.max_model_bytes, what="model_url"
        )
    except FetchError as exc:
        raise ApiError(exc.fallbacks, exc.message) from None
    try:
        header = await anyio.to_thread.run_sync(partial(read_safetensors_header, data))
    except SafetensorsError as exc:
        raise ApiError((415, 400), f"the file is not a valid .safetensors model: {exc}") from None
    with ctx.mock.store.transaction() as tx:
        if new_project is not None:
            project_id = projects_mod.insert(tx, ctx.org, new_project)["id"]
        else:
            assert isinstance(project_id, int)
            access.project(tx, ctx.org, project_id)
        mid = tx.new_id()
        tx.put_blob(f"model/{mid}", "application/octet-stream", data)
        record: Record = {
            "id": mid,
            "org": ctx.org,
            "origin": "uploaded",
            "name": model_name,
            "description": "",
            "status": "syncing",
            "training_mode": None,
            "training_version": None,
            "generation_prefix": None,
            "project_id": project_id,
            "dataset_id": None,
            "custom_metadata": "",
            "active_model_version": "default",
            "training_parameters": {},
            "checkpoints": [],
            "tensors": len([k for k in header if k != "__metadata__"]),
            "created_at": tx.now,
            "updated_at": tx.now,
        }
        tx.put("model", mid, record)
        tx.schedule(tx.now + cfg.upload_model_sync_seconds, "model.synced", {"model_id": mid})
        return Reply(200, view(record))


def on_checkpoint(tx: Transaction, data: Record, due: float) -> None:
    model = tx.get("model", data["model_id"])
    if model is None or model.get("job") != data["job"] or model["status"] != "InProgress":
        return
    model.setdefault("checkpoints", []).append({"step": data["step"], "created_at": due})
    model["updated_at"] = due
    if data["final"]:
        training.advance(model, "Completed", due)
        model["active_model_version"] = str(data["step"])
        model["job"] = None
    tx.put("model", model["id"], model)


def on_stopped(tx: Transaction, data: Record, due: float) -> None:
    model = tx.get("model", data["model_id"])
    if model is None or model["status"] != "Stopping":
        return
    training.advance(model, "Stopped", due)
    tx.put("model", model["id"], model)


def make_on_synced(completed_status: str) -> Any:
    def on_synced(tx: Transaction, data: Record, due: float) -> None:
        model = tx.get("model", data["model_id"])
        if model is None or model["status"] != "syncing":
            return
        training.advance(model, completed_status, due)
        tx.put("model", model["id"], model)

    return on_synced


def fail_training(tx: Transaction, model: Record, reason: str) -> None:
    """Fault injection (control endpoint): an InProgress training ends as Failed."""
    if model["status"] != "InProgress":
        raise ApiError(409, f"model {model['id']} is {model['status']}, not InProgress")
    training.advance(model, "Failed", tx.now)
    model["job"] = None
    model["failure_reason"] = reason
    tx.put("model", model["id"], model)


EVENTS = {"training.checkpoint": on_checkpoint, "training.stopped": on_stopped}
