"""Datasets: create, list, read, update, clone, delete, download (the rules:
``domain/datasets.py``).

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
project.children-lists, dataset.include-models-flags, dataset.max-images-query.
"""

from __future__ import annotations

from typing import Any

from ..context import Ctx, Reply, operation
from ..documents import VisualSchema
from ..domain import cascades, datasets, projects, views
from ..domain.datasets import Dataset, DatasetStatus, DatasetUpdate, UploadType
from ..spec import schema_type
from ..state import Transaction


def _with_images(ctx: Ctx, tx: Transaction, ds: Dataset, limit: int | None = None) -> Any:
    images = datasets.images_of(tx, ds, limit)
    return views.dataset_with_images(ds, images, lambda a: ctx.signed(a, tx.now))


@operation("create-dataset")
def create_dataset(ctx: Ctx) -> Reply:
    # project_id (an integer), name (a string) and upload_type (its enum) are checked by the spec.
    body = ctx.json
    name = datasets.required_fields(str(body["name"])) or ""
    upload_type = UploadType(str(body.get("upload_type", UploadType.BASIC)))
    with ctx.mock.store.transaction() as tx:
        project = datasets.unknown_project(tx, ctx.org, body["project_id"])
        record = datasets.created_draft(tx, ctx.org, project.id, name, upload_type)
        return Reply(201, views.dataset(record))


@operation("get-datasets")
def get_datasets(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        return Reply(200, [views.dataset(d) for d in datasets.all_owned(tx, ctx.org)])


def _as_declared(value: int, declared: str | None) -> int | str:
    return str(value) if declared == "string" else value


@operation("get-datasets-by-project")
def get_datasets_by_project(ctx: Ctx) -> Reply:
    # The bundle declares model_ids as strings although every other id is an integer.
    id_type = schema_type(ctx.op.response_schema(200), "items", "properties", "model_ids", "items")
    with ctx.mock.store.reading() as tx:
        project = projects.owned(tx, ctx.org, ctx.path["project_id"])
        out = []
        for ds in datasets.all_owned(tx, ctx.org):
            if ds.project_id != project.id:
                continue
            item = views.dataset(ds)
            using = cascades.models_using(tx, ds.id)
            if ctx.query.get("include_models"):
                item["models"] = [views.model(m, with_training=True) for m in using]
            if ctx.query.get("include_models_ids"):
                item["model_ids"] = [_as_declared(m.id, id_type) for m in using]
            out.append(item)
        return Reply(200, out)


@operation("get-dataset-by-id")
def get_dataset(ctx: Ctx) -> Reply:
    # max_images is bounded (1-200) by the spec.
    limit = int(ctx.query.get("max_images", 200))
    with ctx.mock.store.reading() as tx:
        ds = datasets.owned(tx, ctx.org, ctx.path["dataset_id"])
        return Reply(200, _with_images(ctx, tx, ds, limit))


@operation("update-dataset")
def update_dataset(ctx: Ctx) -> Reply:
    # name and visual_schema are strings and status is draft or completed (checked by the spec).
    body = ctx.json
    name = body.get("name")
    typed = ctx.document("visual_schema", VisualSchema)
    schema = typed.text if typed is not None else None
    status = body.get("status")
    change = DatasetUpdate(
        name=datasets.required_fields(name if isinstance(name, str) else None),
        schema_given="visual_schema" in body,
        visual_schema=schema,
        status=DatasetStatus(status) if status is not None else None,
    )
    with ctx.mock.store.transaction() as tx:
        ds = datasets.owned(tx, ctx.org, ctx.path["dataset_id"])
        datasets.update(tx, ds, change, ctx.mock.config.min_images_to_complete)
        return Reply(200, views.dataset(ds))


@operation("delete-dataset")
def delete_dataset(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        cascades.delete_dataset(tx, datasets.owned(tx, ctx.org, ctx.path["dataset_id"]))
        return Reply(204)


@operation("clone-dataset")
def clone_dataset(ctx: Ctx) -> Reply:
    body = ctx.json
    name = body.get("name")
    name = datasets.required_fields(name if isinstance(name, str) else None)
    with ctx.mock.store.transaction() as tx:
        source = datasets.owned(tx, ctx.org, ctx.path["dataset_id"])
        clone = datasets.clone_as_draft(tx, source, name, body.get("description"))
        return Reply(201, _with_images(ctx, tx, clone))


@operation("download-dataset")
def download_dataset(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        ds = datasets.owned(tx, ctx.org, ctx.path["dataset_id"])
        datasets.download_advanced_only(ds)
        out = {"download_url": ctx.signed(f"datasets/{ds.id}.zip", tx.now)}
        if datasets.all_captions_automatic(tx, ds):
            out["captions_url"] = ctx.signed(f"captions/{ds.id}.json", tx.now)
        return Reply(200, out)
