"""Models: creation from a dataset, training, stopping, download, and uploaded models.

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
project.training-version-locked, model.required-fields, model.created, model.on-draft-dataset,
model.include-training-parameters, model.update-name-description-only,
training.requires-completed-dataset, training.no-restart, training.completes, training.stop,
training.download-after-completion, upload-model.syncs-to-completed.
"""

from __future__ import annotations

import posixpath
from functools import partial
from typing import Any

import anyio.to_thread

from .. import access
from ..context import Ctx, Reply, operation
from ..documents import SafetensorsRejected, read_safetensors_header
from ..domain import cascades, views
from ..domain.projects import NewProject, insert, new_project
from ..errors import ApiError
from ..fetch import FetchError, url_path
from ..records import Checkpoint, CheckpointDue, Dataset, Model, ModelDue, Project
from ..state import EventHandler, Transaction
from . import training


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
    # name and dataset_id are required, description a string and training_mode one of its enum:
    # the spec checks them; training_version is not in the bundle's schema, so it is checked here.
    body = ctx.json
    name = _name(body, "name", True)
    assert name is not None
    dataset_id = int(body["dataset_id"])
    mode = str(body.get("training_mode", "fully_automated"))
    version = body.get("training_version", "fibo")
    if version not in training.TRAINING_VERSIONS:
        raise ApiError(
            400,
            f"training_version must be one of {', '.join(training.TRAINING_VERSIONS)}, "
            f"got {version!r}",
        )
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, dataset_id)
        if ctx.mock.config.require_completed_dataset_on_create and ds.status != "completed":
            raise ApiError(
                400, f"dataset {dataset_id} must be completed before a model is created on it"
            )
        record = Model(
            id=tx.new_id(),
            org=ctx.org,
            origin="trained",
            name=name,
            description=body.get("description") or "",
            status="Created",
            training_mode=mode,
            training_version=version,
            generation_prefix=None if version == "fibo" else "",
            project_id=ds.project_id,
            dataset_id=ds.id,
            created_at=tx.now,
            updated_at=tx.now,
        )
        tx.put(record)
        return Reply(201, views.model(record))


@operation("get-models")
def get_models(ctx: Ctx) -> Reply:
    detailed = bool(ctx.query.get("include_training_parameters", False))
    with ctx.mock.store.transaction() as tx:
        return Reply(
            200,
            [views.model(m, with_training=detailed) for m in access.owned_models(tx, ctx.org)],
        )


@operation("get-models-by-project")
def get_models_by_project(ctx: Ctx) -> Reply:
    detailed = bool(ctx.query.get("include_training_parameters", False))
    with ctx.mock.store.transaction() as tx:
        project = access.project(tx, ctx.org, ctx.path["project_id"])
        models = [m for m in access.owned_models(tx, ctx.org) if m.project_id == project.id]
        return Reply(200, [views.model(m, with_training=detailed) for m in models])


@operation("get-model")
def get_model(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        return Reply(200, views.model(access.model(tx, ctx.org, ctx.path["model_id"])))


@operation("update-model")
def update_model(ctx: Ctx) -> Reply:
    # description is a string (checked by the spec)
    body = ctx.json
    name = _name(body, "name", False)
    description = body.get("description")
    with ctx.mock.store.transaction() as tx:
        record = access.model(tx, ctx.org, ctx.path["model_id"])
        if name is not None:
            record.name = name
        if description is not None:
            record.description = str(description)
        record.updated_at = tx.now
        tx.put(record)
        return Reply(200, views.model(record))


@operation("delete-model")
def delete_model(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        cascades.delete_model(tx, access.model(tx, ctx.org, ctx.path["model_id"]))
        return Reply(204)


@operation("start-training")
def start_training(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    with ctx.mock.store.transaction() as tx:
        model = access.model(tx, ctx.org, ctx.path["model_id"])
        if model.origin == "uploaded":
            raise ApiError(409, "uploaded models cannot be trained")
        if model.status != "Created":
            verb = (
                "is already in training"
                if model.status in cascades.TRAINING_STATUSES
                else "cannot be resumed"
            )
            raise ApiError(
                409,
                f"Training already started: model {model.id} is {model.status} and {verb}; "
                "create a new model to train again",
            )
        ds = tx.get(Dataset, model.dataset_id) if model.dataset_id else None
        if ds is None:
            raise ApiError(412, f"the model's dataset {model.dataset_id} no longer exists")
        if ds.status != "completed":
            raise ApiError(412, "Dataset status must be 'completed' to start training")
        project = tx.get(Project, model.project_id)
        version = model.training_version or "fibo"
        family = "fibo" if version == "fibo" else "legacy"
        if project is not None and project.training_version:
            locked = project.training_version
            if ("fibo" if locked == "fibo" else "legacy") != family:
                raise ApiError(
                    409, f"project {project.id} is locked to training version {locked!r}"
                )
        params = training.resolve_parameters(model, ctx.json)
        steps = training.checkpoint_steps(params.total_training_steps, params.checkpoint_interval)
        job = tx.new_id()
        training.advance(model, "InProgress", tx.now)
        model.training_parameters = params
        model.job = job
        model.started_at = tx.now
        model.visual_schema = ds.visual_schema
        per_step = cfg.training_seconds_per_step
        for step in steps:
            tx.schedule(
                tx.now + step * per_step,
                "training.checkpoint",
                CheckpointDue(model_id=model.id, job=job, step=step, final=step == steps[-1]),
            )
        tx.put(model)
        if project is not None and not project.training_version:
            project.training_version = version
            tx.put(project)
        return Reply(200, views.model(model))


@operation("stop-training")
def stop_training(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        model = access.model(tx, ctx.org, ctx.path["model_id"])
        if model.status == "Stopping":
            raise ApiError(409, "Training is already stopping")
        if model.status != "InProgress":
            raise ApiError(409, f"Training already stopped/not in training (status {model.status})")
        training.advance(model, "Stopping", tx.now)
        model.job = None
        tx.put(model)
        tx.schedule(
            tx.now + ctx.mock.config.stop_seconds, "training.stopped", ModelDue(model_id=model.id)
        )
        return Reply(200, views.model(model))


@operation("download-tailored-model")
def download_model(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        model = access.model(tx, ctx.org, ctx.path["model_id"])
        if model.status not in ("Completed", "completed"):
            raise ApiError(
                (409, 400),
                f"model {model.id} is {model.status}; "
                "download is available after training completes",
            )
        name, card = training.BASE_MODELS.get(
            model.training_version or "fibo", training.BASE_MODELS["fibo"]
        )
        return Reply(
            200,
            {
                "download_url": ctx.signed(f"models/{model.id}.safetensors", tx.now),
                "base_model_name": name,
                "base_model_card": card,
            },
        )


@operation("upload-model")
async def upload_model(ctx: Ctx) -> Reply:
    # model_url is a required string and project_id an integer (checked by the spec).
    cfg = ctx.mock.config
    body = ctx.json
    url = str(body["model_url"])
    if not url.strip():
        raise ApiError(400, "model_url must not be empty")
    filename = posixpath.basename(url_path(url))
    if not filename.lower().endswith(".safetensors"):
        raise ApiError(
            (415, 400),
            "Model has to be in .safetensors format (the model_url must end in .safetensors)",
        )
    model_name = _name(body, "model_name", False) or filename.rsplit(".", 1)[0] or "uploaded model"
    raw_project_id = body.get("project_id")
    project_id = int(raw_project_id) if raw_project_id is not None else None
    project_fields: NewProject | None = None
    if project_id is None:
        params = body.get("project_parameters")
        if not isinstance(params, dict):
            raise ApiError(400, "send project_id, or project_parameters to create a new project")
        project_fields = new_project({"ip_type": "other", **params}, cfg)
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
    except SafetensorsRejected as exc:
        raise ApiError((415, 400), f"the file is not a valid .safetensors model: {exc}") from None
    with ctx.mock.store.transaction() as tx:
        if project_fields is not None:
            owner = insert(tx, ctx.org, project_fields)
        else:
            assert project_id is not None
            owner = access.project(tx, ctx.org, project_id)
        mid = tx.new_id()
        tx.put_blob(f"model/{mid}", "application/octet-stream", data)
        record = Model(
            id=mid,
            org=ctx.org,
            origin="uploaded",
            name=model_name,
            status="syncing",
            project_id=owner.id,
            tensors=len(header.tensors),
            created_at=tx.now,
            updated_at=tx.now,
        )
        tx.put(record)
        tx.schedule(tx.now + cfg.upload_model_sync_seconds, "model.synced", ModelDue(model_id=mid))
        return Reply(200, views.model(record))


def on_checkpoint(tx: Transaction, data: CheckpointDue, due: float) -> None:
    model = tx.get(Model, data["model_id"])
    if model is None or model.job != data["job"] or model.status != "InProgress":
        return
    model.checkpoints.append(Checkpoint(step=data["step"], created_at=due))
    model.updated_at = due
    if data["final"]:
        training.advance(model, "Completed", due)
        model.active_model_version = str(data["step"])
        model.job = None
    tx.put(model)


def on_stopped(tx: Transaction, data: ModelDue, due: float) -> None:
    model = tx.get(Model, data["model_id"])
    if model is None or model.status != "Stopping":
        return
    training.advance(model, "Stopped", due)
    tx.put(model)


def make_on_synced(completed_status: str) -> EventHandler:
    def on_synced(tx: Transaction, data: ModelDue, due: float) -> None:
        model = tx.get(Model, data["model_id"])
        if model is None or model.status != "syncing":
            return
        training.advance(model, completed_status, due)
        tx.put(model)

    return on_synced


def fail_training(tx: Transaction, model: Model, reason: str) -> None:
    """Fault injection (control endpoint): an InProgress training ends as Failed."""
    if model.status != "InProgress":
        raise ApiError(409, f"model {model.id} is {model.status}, not InProgress")
    training.advance(model, "Failed", tx.now)
    model.job = None
    model.failure_reason = reason
    tx.put(model)


EVENTS: dict[str, EventHandler] = {
    "training.checkpoint": on_checkpoint,
    "training.stopped": on_stopped,
}
