"""Dataset images: basic upload (file or URL), captions, deletion, caption regeneration.

Rules enforced here (mock rule ids in conformance/suite/bria_conformance/catalog.yaml):
DS-FROZEN, IMG-SOURCE, IMG-BASIC-ONLY, IMG-CAP, IMG-SIZE-LIMIT, IMG-CAPTION-AUTO,
IMG-CAPTION-NO-SCHEMA, IMG-CAPTION-EXCLUSIVE, IMG-CAPTION-JSON, IMG-DELETE, IMG-MODERATION,
CAP-ASYNC, CAP-IDEMPOTENT, CAP-PRECONDITIONS, IMG-PIXELS-PER-ORG.
"""

from __future__ import annotations

import posixpath
from functools import partial
from typing import Any

import anyio.to_thread

from .. import access, captions
from ..clock import iso
from ..context import Ctx, Reply, operation
from ..errors import ApiError
from ..fetch import FetchError, url_path
from ..imaging import ImageRejected, ProcessedImage, contains_marker, preprocess
from ..state import Record, Transaction


def view(ctx: Ctx, img: Record, now: float) -> dict[str, Any]:
    return {
        "id": img["id"],
        "dataset_id": img["dataset_id"],
        "caption": img["caption"],
        "caption_source": img["caption_source"],
        "upload_source_url": img.get("upload_source_url"),
        "image_name": img["image_name"],
        "image_url": ctx.signed(f"images/{img['id']}.png", now),
        "thumbnail_url": ctx.signed(f"thumbnails/{img['id']}.png", now),
        "created_at": iso(img["created_at"]),
        "updated_at": iso(img["updated_at"]),
    }


def blob_key(digest: str) -> str:
    return f"png/{digest}"


def blob_of(org: str, digest: str) -> str:
    """Pixels are shared only inside one organization: no other tenant's delete reaches them."""
    return f"{org}/{digest}"


def drop(mock: Any, tx: Transaction, img: Record) -> None:
    """Delete an image record, and its pixels once nothing else of its organization uses them."""
    tx.delete("image", img["id"])
    release_blob(tx, img["blob"])


def release_blob(tx: Transaction, blob: str) -> None:
    """Delete pixels nothing uses any more: no image and no accepted, not yet visible bulk item
    (blob names carry the organization, so only its own records can hold them)."""
    if any(other["blob"] == blob for other in tx.all("image")):
        return
    for job in tx.all("bulk"):
        pending = job.get("items", ())[job.get("revealed", 0) :]
        if any(item.get("blob") == blob for item in pending):
            return
    tx.delete_blob(blob_key(blob))


def auto_caption(schema: str | None, img: Record) -> tuple[str | None, str | None]:
    if schema is None:
        return (None, None)
    return (captions.caption(schema, img["digest"], tuple(img["mean_color"])), "automatic")


def new_record(
    tx: Transaction,
    org: str,
    ds: Record,
    processed: ProcessedImage,
    image_name: str,
    source_url: str | None,
    blob: str,
) -> Record:
    iid = tx.new_id()
    record: Record = {
        "id": iid,
        "org": org,
        "dataset_id": ds["id"],
        "image_name": image_name,
        "upload_source_url": source_url,
        "digest": processed.digest,
        "mean_color": list(processed.mean_color),
        "blob": blob,
        "created_at": tx.now,
        "updated_at": tx.now,
    }
    record["caption"], record["caption_source"] = auto_caption(ds["visual_schema"], record)
    tx.put("image", iid, record)
    ds["image_ids"].append(iid)
    ds["updated_at"] = tx.now
    tx.put("dataset", ds["id"], ds)
    return record


def _check_can_add(ds: Record, cap: int) -> None:
    if ds["upload_type"] != "basic":
        raise ApiError(
            400,
            "this endpoint only uploads to basic datasets; "
            "use images/bulk-upload for advanced ones",
        )
    if ds["status"] == "completed":
        raise ApiError(409, "Cannot upload to a completed dataset; clone it as a draft first")
    if len(ds["image_ids"]) >= cap:
        raise ApiError(409, f"the dataset already holds the maximum of {cap} images")


def _name_for(ctx: Ctx, explicit: Any, url: str | None) -> str:
    if isinstance(explicit, str) and explicit.strip():
        return explicit.strip()
    upload = ctx.files.get("file")
    if upload is not None and upload.filename:
        return posixpath.basename(upload.filename.replace("\\", "/")) or "image"
    if url:
        return posixpath.basename(url_path(url)) or "image"
    return "image"


@operation("upload-image")
async def upload_image(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    body = ctx.json
    upload = ctx.files.get("file")
    url = body.get("image_url")
    if upload is not None and url:
        raise ApiError(400, "send either a file or an image_url, not both")
    if upload is None and not url:
        raise ApiError(400, "send the image as a multipart 'file' or as an 'image_url'")
    if url is not None and not isinstance(url, str):
        raise ApiError(400, "image_url must be a string")
    dataset_id = ctx.path["dataset_id"]
    with ctx.mock.store.transaction() as tx:
        _check_can_add(access.dataset(tx, ctx.org, dataset_id), cfg.max_basic_images)
    if upload is not None:
        data = upload.data
        if len(data) > cfg.max_image_bytes:
            raise ApiError((413, 400), f"the image is larger than {cfg.max_image_bytes} bytes")
    else:
        try:
            data = await ctx.mock.fetcher.fetch(
                str(url), base_url=ctx.base_url, max_bytes=cfg.max_image_bytes, what="image_url"
            )
        except FetchError as exc:
            raise ApiError(exc.fallbacks, exc.message) from None
    if body.get("content_moderation") and contains_marker(data, cfg.moderation_marker):
        raise ApiError(422, "the image was blocked by content moderation")
    increase = body.get("increase_resolution", True)
    try:
        processed = await anyio.to_thread.run_sync(
            partial(
                preprocess,
                data,
                increase_resolution=bool(increase),
                target=cfg.target_side,
                min_upscale=cfg.min_upscale_side,
                max_pixels=cfg.max_image_pixels,
            )
        )
    except ImageRejected as exc:
        raise ApiError((exc.status, 400), exc.message) from None
    blob = blob_of(ctx.org, processed.digest)
    with ctx.mock.store.transaction() as tx:
        # checked again: the dataset may have changed while the image was being processed
        ds = access.dataset(tx, ctx.org, dataset_id)
        _check_can_add(ds, cfg.max_basic_images)
        tx.put_blob(blob_key(blob), "image/png", processed.png)
        record = new_record(
            tx,
            ctx.org,
            ds,
            processed,
            _name_for(ctx, body.get("image_name"), url),
            url if isinstance(url, str) else None,
            blob,
        )
        return Reply(201, view(ctx, record, tx.now))


@operation("get-images")
def get_images(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        out = [view(ctx, img, tx.now) for iid in ds["image_ids"] if (img := tx.get("image", iid))]
        return Reply(200, out)


@operation("get-image")
def get_image(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        _, img = access.image(tx, ctx.org, ctx.path["dataset_id"], ctx.path["image_id"])
        return Reply(200, view(ctx, img, tx.now))


@operation("update-image-caption")
def update_caption(ctx: Ctx) -> Reply:
    body = ctx.json
    caption = body.get("caption")
    regenerate = body.get("regenerate_caption", False)
    if caption is not None and regenerate:
        raise ApiError(
            400, "Cannot provide both caption and regenerate_caption in the same request"
        )
    if caption is None and not regenerate:
        raise ApiError(400, "send a new caption, or regenerate_caption=true")
    if caption is not None and (
        not isinstance(caption, str) or not captions.is_json_structure(caption)
    ):
        raise ApiError(
            400, "caption must be a string holding a valid JSON structure (object or array)"
        )
    with ctx.mock.store.transaction() as tx:
        ds, img = access.image(tx, ctx.org, ctx.path["dataset_id"], ctx.path["image_id"])
        if ds["status"] == "completed":
            raise ApiError(409, "Cannot update captions in a completed dataset")
        if regenerate:
            if ds["visual_schema"] is None:
                raise ApiError(
                    (409, 400), "the dataset has no visual_schema to caption from; set one first"
                )
            img["caption"], img["caption_source"] = auto_caption(ds["visual_schema"], img)
        else:
            img["caption"], img["caption_source"] = caption, "manual"
        img["updated_at"] = tx.now
        tx.put("image", img["id"], img)
        return Reply(200, view(ctx, img, tx.now))


@operation("delete-image")
def delete_image(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        ds, img = access.image(tx, ctx.org, ctx.path["dataset_id"], ctx.path["image_id"])
        if ds["status"] == "completed":
            raise ApiError(409, "Cannot delete an image from a completed dataset")
        ds["image_ids"].remove(img["id"])
        ds["updated_at"] = tx.now
        tx.put("dataset", ds["id"], ds)
        drop(ctx.mock, tx, img)
        return Reply(204)


@operation("regenerate-all-captions")
def regenerate_all(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        if ds["status"] == "completed":
            raise ApiError((409, 400), "Cannot regenerate captions of a completed dataset")
        if ds["visual_schema"] is None:
            raise ApiError(
                (409, 400), "the dataset has no visual_schema to caption from; set one first"
            )
        from .datasets import view as dataset_view

        if ds["captions_update_status"] == "in_progress":
            # already running: report it rather than restart (the operation declares no 409)
            return Reply(202, dataset_view(ctx, ds, tx.now))
        job = tx.new_id()
        ds["caption_job"] = job
        ds["captions_update_status"] = "in_progress"
        ds["updated_at"] = tx.now
        tx.put("dataset", ds["id"], ds)
        duration = max(1, len(ds["image_ids"])) * cfg.caption_seconds_per_image
        tx.schedule(tx.now + duration, "captions.done", {"dataset_id": ds["id"], "job": job})
        return Reply(202, dataset_view(ctx, ds, tx.now))


def on_captions_done(tx: Transaction, data: Record, due: float) -> None:
    ds = tx.get("dataset", data["dataset_id"])
    if ds is None or ds.get("caption_job") != data["job"]:
        return
    for iid in ds["image_ids"]:
        img = tx.get("image", iid)
        if img is None:
            continue
        img["caption"], img["caption_source"] = auto_caption(ds["visual_schema"], img)
        img["updated_at"] = due
        tx.put("image", iid, img)
    ds["captions_update_status"] = "completed"
    ds["caption_job"] = None
    ds["updated_at"] = due
    tx.put("dataset", ds["id"], ds)


EVENTS = {"captions.done": on_captions_done}
