"""Datasets: create, list, read, update, clone, delete, download (the rules:
``domain/datasets.py``)."""

from __future__ import annotations

from typing import Any

from ..context import Ctx, Reply, operation
from ..domain import cascades, datasets, views
from ..domain.datasets import (
    ByProjectQuery,
    CloneRequest,
    Dataset,
    DatasetPath,
    DatasetQuery,
    DatasetUpdate,
    NewDataset,
)
from ..domain.projects import ProjectPath
from ..spec import schema_type
from ..state import Transaction


def _with_images(ctx: Ctx, tx: Transaction, ds: Dataset) -> Any:
    images = datasets.images_of(tx, ds)
    return views.dataset_with_images(ds, images, lambda a: ctx.signed(a, tx.now))


@operation("create-dataset")
def create_dataset(ctx: Ctx) -> Reply:
    # project_id (an integer), name (a string) and upload_type (its enum) are checked by the spec.
    request = ctx.parse(NewDataset)
    name = datasets.required_fields(request.name) or ""
    with ctx.mock.store.transaction() as tx:
        project = datasets.unknown_project(tx, ctx.org, request.project_id)
        record = datasets.created_draft(tx, ctx.org, project.id, name, request.upload_type)
        return Reply(201, views.dataset(record))


@operation("get-datasets")
def get_datasets(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        return Reply(200, [views.dataset(d) for d in datasets.all_owned(tx, ctx.org)])


@operation("get-datasets-by-project")
def get_datasets_by_project(ctx: Ctx) -> Reply:
    query = ctx.parse_query(ByProjectQuery)
    id_type = schema_type(ctx.op.response_schema(200), "items", "properties", "model_ids", "items")
    with ctx.mock.store.reading() as tx:
        found = cascades.project_children_lists(
            tx, ctx.org, ctx.parse_path(ProjectPath).project_id, Dataset
        )
        return Reply(
            200,
            [
                views.include_models_flags(
                    ds,
                    cascades.models_using(tx, ds.id),
                    include_models=query.include_models,
                    include_models_ids=query.include_models_ids,
                    id_type=id_type,
                )
                for ds in found
            ],
        )


@operation("get-dataset-by-id")
def get_dataset(ctx: Ctx) -> Reply:
    limit = ctx.parse_query(DatasetQuery).max_images
    with ctx.mock.store.reading() as tx:
        ds = datasets.owned(tx, ctx.org, ctx.parse_path(DatasetPath).dataset_id)
        images = datasets.max_images_query(tx, ds, limit)
        return Reply(200, views.dataset_with_images(ds, images, lambda a: ctx.signed(a, tx.now)))


@operation("update-dataset")
def update_dataset(ctx: Ctx) -> Reply:
    # name and visual_schema are strings and status is draft or completed (checked by the spec).
    change = ctx.parse(DatasetUpdate)
    datasets.required_fields(change.name)
    with ctx.mock.store.transaction() as tx:
        ds = datasets.owned(tx, ctx.org, ctx.parse_path(DatasetPath).dataset_id)
        datasets.update(tx, ds, change, ctx.mock.config.min_images_to_complete)
        return Reply(200, views.dataset(ds))


@operation("delete-dataset")
def delete_dataset(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        cascades.delete_dataset(
            tx, datasets.owned(tx, ctx.org, ctx.parse_path(DatasetPath).dataset_id)
        )
        return Reply(204)


@operation("clone-dataset")
def clone_dataset(ctx: Ctx) -> Reply:
    request = ctx.parse(CloneRequest)
    name = datasets.required_fields(request.name)
    with ctx.mock.store.transaction() as tx:
        source = datasets.owned(tx, ctx.org, ctx.parse_path(DatasetPath).dataset_id)
        clone = datasets.clone_as_draft(tx, source, name, request.description)
        return Reply(201, _with_images(ctx, tx, clone))


@operation("download-dataset")
def download_dataset(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        ds = datasets.owned(tx, ctx.org, ctx.parse_path(DatasetPath).dataset_id)
        datasets.download_advanced_only(ds)
        out = {"download_url": ctx.signed(f"datasets/{ds.id}.zip", tx.now)}
        if datasets.all_captions_automatic(tx, ds):
            out["captions_url"] = ctx.signed(f"captions/{ds.id}.json", tx.now)
        return Reply(200, out)
