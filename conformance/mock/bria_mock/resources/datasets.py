"""Datasets: a draft collects images and a visual schema; completion freezes it for training.

Rules enforced here (mock rule ids in conformance/suite/bria_conformance/catalog.yaml):
PRJ-CHILD-LISTS, DS-REQUIRED, DS-UNKNOWN-PROJECT, DS-INITIAL, DS-LIST-FLAGS, DS-MAX-IMAGES,
DS-SCHEMA-JSON, DS-SCHEMA-DRAFT-ONLY, DS-COMPLETE-MIN-IMAGES, DS-COMPLETE-SCHEMA,
DS-COMPLETE-CAPTIONS, DS-COMPLETE-BUSY, DS-NO-REOPEN, DS-DELETE-CASCADE, DS-DELETE-TRAINING,
DS-CLONE, DS-DOWNLOAD-ADVANCED.
"""

from __future__ import annotations

from typing import Any

from .. import access
from ..captions import is_json_structure
from ..clock import iso
from ..context import Ctx, Reply, operation
from ..errors import ApiError
from ..spec import schema_type
from ..state import Record, Transaction
from . import images as images_mod
from . import models as models_mod

UPLOAD_TYPES = ("basic", "advanced")


def view(ctx: Ctx, ds: Record, now: float) -> dict[str, Any]:
    return {
        "id": ds["id"],
        "project_id": ds["project_id"],
        "name": ds["name"],
        "visual_schema": ds["visual_schema"],
        "status": ds["status"],
        "captions_update_status": ds["captions_update_status"],
        "upload_type": ds["upload_type"],
        "images_count": len(ds["image_ids"]),
        "created_at": iso(ds["created_at"]),
        "updated_at": iso(ds["updated_at"]),
    }


def view_with_images(ctx: Ctx, tx: Transaction, ds: Record, limit: int) -> dict[str, Any]:
    out = view(ctx, ds, tx.now)
    out["images"] = [
        images_mod.view(ctx, tx.get("image", iid) or {}, tx.now) for iid in ds["image_ids"][:limit]
    ]
    return out


def remove(mock: Any, tx: Transaction, ds: Record) -> None:
    for iid in list(ds["image_ids"]):
        img = tx.get("image", iid)
        if img is not None:
            images_mod.drop(mock, tx, img)
    tx.delete("dataset", ds["id"])


def models_using(tx: Transaction, dataset_id: int) -> list[Record]:
    return sorted(
        (m for m in tx.all("model") if m.get("dataset_id") == dataset_id),
        key=lambda m: int(m["id"]),
    )


def insert(
    tx: Transaction, org: str, project_id: int, name: str, upload_type: str, **extra: Any
) -> Record:
    did = tx.new_id()
    record: Record = {
        "id": did,
        "org": org,
        "project_id": project_id,
        "name": name,
        "visual_schema": None,
        "status": "draft",
        "captions_update_status": "empty",
        "upload_type": upload_type,
        "image_ids": [],
        "caption_job": None,
        "created_at": tx.now,
        "updated_at": tx.now,
        **extra,
    }
    return tx.put("dataset", did, record)


@operation("create-dataset")
def create_dataset(ctx: Ctx) -> Reply:
    body = ctx.json
    project_id = body.get("project_id")
    if project_id is None:
        raise ApiError(400, "project_id is required")
    if not isinstance(project_id, int) or isinstance(project_id, bool):
        raise ApiError(400, "project_id must be an integer")
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "name is required and must be a non-empty string")
    upload_type = body.get("upload_type", "basic")
    if upload_type not in UPLOAD_TYPES:
        raise ApiError(400, f"upload_type must be basic or advanced, got {upload_type!r}")
    with ctx.mock.store.transaction() as tx:
        access.project(tx, ctx.org, project_id)
        record = insert(tx, ctx.org, project_id, name.strip(), upload_type)
        return Reply(201, view(ctx, record, tx.now))


@operation("get-datasets")
def get_datasets(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        return Reply(200, [view(ctx, d, tx.now) for d in access.owned_list(tx, "dataset", ctx.org)])


def as_declared(value: int, declared: str | None) -> int | str:
    return str(value) if declared == "string" else value


@operation("get-datasets-by-project")
def get_datasets_by_project(ctx: Ctx) -> Reply:
    # The bundle declares model_ids as strings although every other id is an integer.
    id_type = schema_type(ctx.op.response_schema(200), "items", "properties", "model_ids", "items")
    with ctx.mock.store.transaction() as tx:
        project = access.project(tx, ctx.org, ctx.path["project_id"])
        out = []
        for ds in access.owned_list(tx, "dataset", ctx.org):
            if ds["project_id"] != project["id"]:
                continue
            item = view(ctx, ds, tx.now)
            using = models_using(tx, ds["id"])
            if ctx.query.get("include_models"):
                item["models"] = [models_mod.view(m, with_training=True) for m in using]
            if ctx.query.get("include_models_ids"):
                item["model_ids"] = [as_declared(m["id"], id_type) for m in using]
            out.append(item)
        return Reply(200, out)


@operation("get-dataset-by-id")
def get_dataset(ctx: Ctx) -> Reply:
    limit = ctx.query.get("max_images", 200)
    if not 1 <= limit <= 200:
        raise ApiError(400, f"max_images must be between 1 and 200, got {limit}")
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        return Reply(200, view_with_images(ctx, tx, ds, limit))


def _completion_problem(tx: Transaction, ds: Record, min_images: int) -> str | None:
    count = len(ds["image_ids"])
    if count < min_images:
        return (
            f"a dataset needs at least {min_images} images to be completed; "
            f"dataset {ds['id']} has {count}"
        )
    if ds["visual_schema"] is None:
        return "set a visual_schema (from /generate_visual_schema) before completing the dataset"
    if ds["captions_update_status"] == "in_progress":
        return "captions are being regenerated; wait until captions_update_status is completed"
    # The job lives in the bulk table (a reservation has no status beyond "pending").
    bulk = tx.get("bulk", ds["id"])
    if bulk is not None and bulk["status"] in ("pending", "processing"):
        return (
            "a bulk upload is still in progress; wait until its status is completed "
            "(GET .../images/bulk-upload)"
        )
    missing = [
        iid for iid in ds["image_ids"] if (tx.get("image", iid) or {}).get("caption") is None
    ]
    if missing:
        return (
            f"{len(missing)} image(s) have no caption yet (uploaded before the visual schema was "
            "set); call Regenerate All Captions first"
        )
    return None


@operation("update-dataset")
def update_dataset(ctx: Ctx) -> Reply:
    body = ctx.json
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        name = body.get("name")
        if "name" in body and (not isinstance(name, str) or not name.strip()):
            raise ApiError(400, "name must be a non-empty string")
        schema = body.get("visual_schema")
        if "visual_schema" in body:
            if ds["status"] == "completed" and schema != ds["visual_schema"]:
                raise ApiError(
                    409, "visual_schema can only be updated while the dataset is a draft"
                )
            if schema is not None and (
                not isinstance(schema, str) or not is_json_structure(schema)
            ):
                raise ApiError(400, "visual_schema must be a string holding a JSON object or array")
        status = body.get("status")
        if status is not None and status not in ("draft", "completed"):
            raise ApiError(400, f"status must be draft or completed, got {status!r}")
        if status == "draft" and ds["status"] == "completed":
            raise ApiError(
                409,
                "a completed dataset cannot return to draft; use Clone Dataset As Draft to make "
                "a new editable version",
            )
        if status == "completed" and ds["status"] == "draft":
            # judged on the dataset as it will be, but nothing is changed before every check passed
            candidate = {**ds, "visual_schema": schema} if "visual_schema" in body else ds
            problem = _completion_problem(tx, candidate, ctx.mock.config.min_images_to_complete)
            if problem:
                raise ApiError(409, problem)
        if "visual_schema" in body:
            ds["visual_schema"] = schema
        if status == "completed" and ds["status"] == "draft":
            ds["status"] = "completed"
        if isinstance(name, str):
            ds["name"] = name.strip()
        ds["updated_at"] = tx.now
        tx.put("dataset", ds["id"], ds)
        return Reply(200, view(ctx, ds, tx.now))


@operation("delete-dataset")
def delete_dataset(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        busy = [
            m["id"] for m in models_using(tx, ds["id"]) if m["status"] in access.TRAINING_STATUSES
        ]
        if busy:
            raise ApiError(
                409,
                f"Cannot delete a dataset that is used by a model in training (model {busy[0]})",
            )
        remove(ctx.mock, tx, ds)
        return Reply(204)


@operation("clone-dataset")
def clone_dataset(ctx: Ctx) -> Reply:
    body = ctx.json
    name = body.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ApiError(400, "name must be a non-empty string")
    with ctx.mock.store.transaction() as tx:
        source = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        clone = insert(
            tx,
            ctx.org,
            source["project_id"],
            name.strip() if isinstance(name, str) else f"Copy of {source['name']}",
            source["upload_type"],
            description=body.get("description") or "",
            cloned_from=source["id"],
        )
        clone["visual_schema"] = source["visual_schema"]
        clone["captions_update_status"] = (
            "completed" if source["captions_update_status"] != "empty" else "empty"
        )
        for iid in source["image_ids"]:
            img = tx.get("image", iid)
            if img is None:
                continue
            copy = dict(img)
            copy["id"] = tx.new_id()
            copy["dataset_id"] = clone["id"]
            copy["created_at"] = copy["updated_at"] = tx.now
            tx.put("image", copy["id"], copy)
            clone["image_ids"].append(copy["id"])
        tx.put("dataset", clone["id"], clone)
        return Reply(201, view_with_images(ctx, tx, clone, len(clone["image_ids"])))


@operation("download-dataset")
def download_dataset(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        if ds["upload_type"] != "advanced":
            raise ApiError(409, "Download is only supported for advanced dataset types")
        images = [tx.get("image", iid) for iid in ds["image_ids"]]
        out = {"download_url": ctx.signed(f"datasets/{ds['id']}.zip", tx.now)}
        if images and all(i is not None and i["caption_source"] == "automatic" for i in images):
            out["captions_url"] = ctx.signed(f"captions/{ds['id']}.json", tx.now)
        return Reply(200, out)
