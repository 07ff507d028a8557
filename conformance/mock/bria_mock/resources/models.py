"""Models: create, list, read, update, delete, train, stop, download, upload (the rules:
``domain/models.py`` and ``domain/training.py``)."""

from __future__ import annotations

from functools import partial

import anyio.to_thread

from ..context import Ctx, Reply, operation
from ..domain import cascades, datasets, models, projects, training, views
from ..domain.models import ListModels, Model, ModelChanges, ModelPath, ModelUpload, NewModel
from ..domain.projects import NewProject, ProjectPath
from ..domain.training import TrainingRequest


@operation("create-model")
def create_model(ctx: Ctx) -> Reply:
    # name and dataset_id are required, description a string and training_mode one of its enum:
    # the spec checks them; training_version is not in the bundle's schema, so it is checked here.
    request = ctx.parse(NewModel)
    name = models.required_fields(request.name, "name", True)
    assert name is not None
    version = models.training_version(request.training_version)
    with ctx.mock.store.transaction() as tx:
        ds = datasets.owned(tx, ctx.org, request.dataset_id)
        models.on_draft_dataset(ds, ctx.mock.config)
        description = request.description or ""
        record = models.created(tx, ds, name, description, request.training_mode, version)
        return Reply(201, views.model(record))


@operation("get-models")
def get_models(ctx: Ctx) -> Reply:
    asked = ctx.parse_query(ListModels).include_training_parameters
    with ctx.mock.store.reading() as tx:
        found = models.all_owned(tx, ctx.org)
        return Reply(200, views.include_training_parameters(found, asked))


@operation("get-models-by-project")
def get_models_by_project(ctx: Ctx) -> Reply:
    asked = ctx.parse_query(ListModels).include_training_parameters
    with ctx.mock.store.reading() as tx:
        found = cascades.project_children_lists(
            tx, ctx.org, ctx.parse_path(ProjectPath).project_id, Model
        )
        return Reply(200, views.include_training_parameters(found, asked))


@operation("get-model")
def get_model(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        return Reply(
            200, views.model(models.owned(tx, ctx.org, ctx.parse_path(ModelPath).model_id))
        )


@operation("update-model")
def update_model(ctx: Ctx) -> Reply:
    # description is a string (checked by the spec)
    request = ctx.parse(ModelChanges)
    name = models.required_fields(request.name, "name", False)
    with ctx.mock.store.transaction() as tx:
        record = models.owned(tx, ctx.org, ctx.parse_path(ModelPath).model_id)
        models.update_name_description_only(tx, record, name, request.description)
        return Reply(200, views.model(record))


@operation("delete-model")
def delete_model(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        cascades.delete_model(tx, models.owned(tx, ctx.org, ctx.parse_path(ModelPath).model_id))
        return Reply(204)


@operation("start-training")
def start_training(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        model = models.owned(tx, ctx.org, ctx.parse_path(ModelPath).model_id)
        training.start(tx, model, ctx.parse(TrainingRequest), ctx.mock.config)
        return Reply(200, views.model(model))


@operation("stop-training")
def stop_training(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        model = models.owned(tx, ctx.org, ctx.parse_path(ModelPath).model_id)
        training.request_stop(tx, model, ctx.mock.config)
        return Reply(200, views.model(model))


@operation("download-tailored-model")
def download_model(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        model = models.owned(tx, ctx.org, ctx.parse_path(ModelPath).model_id)
        name, card = training.download_after_completion(model)
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
    request = ctx.parse(ModelUpload)
    url = request.model_url
    model_name = models.uploaded_name(request, models.safetensors_file(url))
    project_id = request.project_id
    project_fields: NewProject | None = None
    if project_id is None:
        project_fields = models.uploaded_project(request.project_parameters, cfg)
    else:
        with ctx.mock.store.transaction() as tx:
            projects.owned(tx, ctx.org, project_id)
    data = await ctx.mock.fetcher.fetch(
        url, base_url=ctx.base_url, max_bytes=cfg.max_model_bytes, what="model_url"
    )
    tensors = await anyio.to_thread.run_sync(partial(models.uploaded_tensors, data))
    with ctx.mock.store.transaction() as tx:
        if project_fields is not None:
            owner = projects.created_active(tx, ctx.org, project_fields)
        else:
            assert project_id is not None
            owner = projects.owned(tx, ctx.org, project_id)
        record = models.add_uploaded(
            tx,
            ctx.org,
            owner.id,
            model_name,
            data,
            tensors,
            cfg.upload_model_sync_seconds,
        )
        return Reply(200, views.model(record))
