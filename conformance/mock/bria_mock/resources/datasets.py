"""Datasets: a draft collects images and a visual schema; completion freezes it for training.

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
project.children-lists, dataset.required-fields, dataset.unknown-project, dataset.created-draft,
dataset.include-models-flags, dataset.max-images-query, dataset.visual-schema-json,
dataset.completed-freezes-visual-schema, dataset.completion-min-images,
dataset.completion-needs-visual-schema, dataset.completion-needs-captions,
dataset.completion-not-while-busy, dataset.no-reopen, dataset.clone-as-draft,
dataset.download-advanced-only.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import access
from ..context import Ctx, Reply, operation
from ..documents import VisualSchema
from ..domain import cascades, views
from ..errors import ApiError
from ..records import BulkJob, Dataset, Image
from ..spec import schema_type
from ..state import Transaction


def images_of(tx: Transaction, ds: Dataset, limit: int | None = None) -> list[Image]:
    ids = ds.image_ids if limit is None else ds.image_ids[:limit]
    return [img for iid in ids if (img := tx.get(Image, iid)) is not None]


def with_images(ctx: Ctx, tx: Transaction, ds: Dataset, limit: int | None = None) -> dict[str, Any]:
    images = images_of(tx, ds, limit)
    return views.dataset_with_images(ds, images, lambda a: ctx.signed(a, tx.now))


def insert(tx: Transaction, org: str, project_id: int, name: str, upload_type: str) -> Dataset:
    return tx.put(
        Dataset(
            id=tx.new_id(),
            org=org,
            project_id=project_id,
            name=name,
            upload_type=upload_type,
            created_at=tx.now,
            updated_at=tx.now,
        )
    )


@operation("create-dataset")
def create_dataset(ctx: Ctx) -> Reply:
    # project_id (an integer), name (a string) and upload_type (its enum) are checked by the spec.
    body = ctx.json
    name = str(body["name"]).strip()
    if not name:
        raise ApiError(400, "name must not be empty")
    with ctx.mock.store.transaction() as tx:
        project = access.project(tx, ctx.org, body["project_id"])
        record = insert(tx, ctx.org, project.id, name, str(body.get("upload_type", "basic")))
        return Reply(201, views.dataset(record))


@operation("get-datasets")
def get_datasets(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        return Reply(200, [views.dataset(d) for d in access.owned_datasets(tx, ctx.org)])


def as_declared(value: int, declared: str | None) -> int | str:
    return str(value) if declared == "string" else value


@operation("get-datasets-by-project")
def get_datasets_by_project(ctx: Ctx) -> Reply:
    # The bundle declares model_ids as strings although every other id is an integer.
    id_type = schema_type(ctx.op.response_schema(200), "items", "properties", "model_ids", "items")
    with ctx.mock.store.transaction() as tx:
        project = access.project(tx, ctx.org, ctx.path["project_id"])
        out = []
        for ds in access.owned_datasets(tx, ctx.org):
            if ds.project_id != project.id:
                continue
            item = views.dataset(ds)
            using = cascades.models_using(tx, ds.id)
            if ctx.query.get("include_models"):
                item["models"] = [views.model(m, with_training=True) for m in using]
            if ctx.query.get("include_models_ids"):
                item["model_ids"] = [as_declared(m.id, id_type) for m in using]
            out.append(item)
        return Reply(200, out)


@operation("get-dataset-by-id")
def get_dataset(ctx: Ctx) -> Reply:
    # max_images is bounded (1-200) by the spec.
    limit = int(ctx.query.get("max_images", 200))
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        return Reply(200, with_images(ctx, tx, ds, limit))


def _completion_problem(tx: Transaction, ds: Dataset, min_images: int) -> str | None:
    count = len(ds.image_ids)
    if count < min_images:
        return (
            f"a dataset needs at least {min_images} images to be completed; "
            f"dataset {ds.id} has {count}"
        )
    if ds.visual_schema is None:
        return "set a visual_schema (from /generate_visual_schema) before completing the dataset"
    if ds.captions_update_status == "in_progress":
        return "captions are being regenerated; wait until captions_update_status is completed"
    bulk = tx.get(BulkJob, ds.id)
    if bulk is not None and bulk.status in ("pending", "processing"):
        return (
            "a bulk upload is still in progress; wait until its status is completed "
            "(GET .../images/bulk-upload)"
        )
    missing = [img.id for img in images_of(tx, ds) if img.caption is None]
    if missing:
        return (
            f"{len(missing)} image(s) have no caption yet (uploaded before the visual schema was "
            "set); call Regenerate All Captions first"
        )
    return None


@operation("update-dataset")
def update_dataset(ctx: Ctx) -> Reply:
    # name and visual_schema are strings and status is draft or completed (checked by the spec).
    body = ctx.json
    name = body.get("name")
    if isinstance(name, str) and not name.strip():
        raise ApiError(400, "name must not be empty")
    typed = ctx.document("visual_schema", VisualSchema)
    schema = typed.text if typed is not None else None
    status = body.get("status")
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        if "visual_schema" in body and ds.status == "completed" and schema != ds.visual_schema:
            raise ApiError(409, "visual_schema can only be updated while the dataset is a draft")
        if status == "draft" and ds.status == "completed":
            raise ApiError(
                409,
                "a completed dataset cannot return to draft; use Clone Dataset As Draft to make "
                "a new editable version",
            )
        if status == "completed" and ds.status == "draft":
            # judged on the dataset as it will be, but nothing is changed before every check passed
            candidate = replace(ds, visual_schema=schema) if "visual_schema" in body else ds
            problem = _completion_problem(tx, candidate, ctx.mock.config.min_images_to_complete)
            if problem:
                raise ApiError(409, problem)
        if "visual_schema" in body:
            ds.visual_schema = schema
        if status == "completed":
            ds.status = "completed"
        if isinstance(name, str):
            ds.name = name.strip()
        ds.updated_at = tx.now
        tx.put(ds)
        return Reply(200, views.dataset(ds))


@operation("delete-dataset")
def delete_dataset(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        cascades.delete_dataset(tx, access.dataset(tx, ctx.org, ctx.path["dataset_id"]))
        return Reply(204)


@operation("clone-dataset")
def clone_dataset(ctx: Ctx) -> Reply:
    body = ctx.json
    name = body.get("name")
    if isinstance(name, str) and not name.strip():
        raise ApiError(400, "name must not be empty")
    with ctx.mock.store.transaction() as tx:
        source = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        clone = insert(
            tx,
            ctx.org,
            source.project_id,
            name.strip() if isinstance(name, str) else f"Copy of {source.name}",
            source.upload_type,
        )
        clone.description = body.get("description") or ""
        clone.cloned_from = source.id
        clone.visual_schema = source.visual_schema
        clone.captions_update_status = (
            "completed" if source.captions_update_status != "empty" else "empty"
        )
        for img in images_of(tx, source):
            copy = replace(
                img, id=tx.new_id(), dataset_id=clone.id, created_at=tx.now, updated_at=tx.now
            )
            copy.mean_color = list(img.mean_color)
            tx.put(copy)
            clone.image_ids.append(copy.id)
        tx.put(clone)
        return Reply(201, with_images(ctx, tx, clone))


@operation("download-dataset")
def download_dataset(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        if ds.upload_type != "advanced":
            raise ApiError(409, "Download is only supported for advanced dataset types")
        images = [tx.get(Image, iid) for iid in ds.image_ids]
        out = {"download_url": ctx.signed(f"datasets/{ds.id}.zip", tx.now)}
        if images and all(i is not None and i.caption_source == "automatic" for i in images):
            out["captions_url"] = ctx.signed(f"captions/{ds.id}.json", tx.now)
        return Reply(200, out)
