"""Dataset images: basic upload (file or URL), captions, deletion, caption regeneration.

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
dataset.frozen-when-completed, image.file-or-url, image.basic-upload-only, image.basic-cap-200,
limit.image-file-size, image.caption-needs-visual-schema, image.caption-exclusive,
image.caption-json, image.deleted-is-gone, image.moderation, captions.regenerate-all-async,
captions.regenerate-all-idempotent, captions.regenerate-all-preconditions,
auth.image-pixels-per-organization.
"""

from __future__ import annotations

import posixpath
from functools import partial
from typing import Any

import anyio.to_thread

from .. import access, captions
from ..context import Ctx, Reply, operation
from ..documents import Caption, VisualSchema
from ..domain import cascades, views
from ..domain.cascades import blob_key, blob_of
from ..errors import ApiError
from ..fetch import FetchError, url_path
from ..imaging import ImageRejected, ProcessedImage, contains_marker, preprocess
from ..records import CaptionsDue, Dataset, Image
from ..state import EventHandler, Transaction


def _view(ctx: Ctx, img: Image, now: float) -> dict[str, Any]:
    return views.image(img, lambda artefact: ctx.signed(artefact, now))


def auto_caption(schema: str | None, img: Image) -> tuple[str | None, str | None]:
    if schema is None:
        return (None, None)
    red, green, blue = img.mean_color
    typed = VisualSchema.stored(schema)
    return (captions.caption(typed, img.digest, (red, green, blue)), "automatic")


def new_record(
    tx: Transaction,
    org: str,
    ds: Dataset,
    processed: ProcessedImage,
    image_name: str,
    source_url: str | None,
    blob: str,
) -> Image:
    record = Image(
        id=tx.new_id(),
        org=org,
        dataset_id=ds.id,
        image_name=image_name,
        upload_source_url=source_url,
        digest=processed.digest,
        mean_color=list(processed.mean_color),
        blob=blob,
        created_at=tx.now,
        updated_at=tx.now,
    )
    record.caption, record.caption_source = auto_caption(ds.visual_schema, record)
    tx.put(record)
    ds.image_ids.append(record.id)
    ds.updated_at = tx.now
    tx.put(ds)
    return record


def _check_can_add(ds: Dataset, cap: int) -> None:
    if ds.upload_type != "basic":
        raise ApiError(
            400,
            "this endpoint only uploads to basic datasets; "
            "use images/bulk-upload for advanced ones",
        )
    if ds.status == "completed":
        raise ApiError(409, "Cannot upload to a completed dataset; clone it as a draft first")
    if len(ds.image_ids) >= cap:
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
        tx.put_blob(blob_key(blob), processed.content_type, processed.source)
        record = new_record(
            tx,
            ctx.org,
            ds,
            processed,
            _name_for(ctx, body.get("image_name"), url),
            url if isinstance(url, str) else None,
            blob,
        )
        return Reply(201, _view(ctx, record, tx.now))


@operation("get-images")
def get_images(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        out = [_view(ctx, img, tx.now) for iid in ds.image_ids if (img := tx.get(Image, iid))]
        return Reply(200, out)


@operation("get-image")
def get_image(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        _, img = access.image(tx, ctx.org, ctx.path["dataset_id"], ctx.path["image_id"])
        return Reply(200, _view(ctx, img, tx.now))


@operation("update-image-caption")
def update_caption(ctx: Ctx) -> Reply:
    body = ctx.json
    caption = ctx.document("caption", Caption)
    regenerate = body.get("regenerate_caption", False)
    if caption is not None and regenerate:
        raise ApiError(
            400, "Cannot provide both caption and regenerate_caption in the same request"
        )
    if caption is None and not regenerate:
        raise ApiError(400, "send a new caption, or regenerate_caption=true")
    with ctx.mock.store.transaction() as tx:
        ds, img = access.image(tx, ctx.org, ctx.path["dataset_id"], ctx.path["image_id"])
        if ds.status == "completed":
            raise ApiError(409, "Cannot update captions in a completed dataset")
        if regenerate:
            if ds.visual_schema is None:
                raise ApiError(
                    (409, 400), "the dataset has no visual_schema to caption from; set one first"
                )
            img.caption, img.caption_source = auto_caption(ds.visual_schema, img)
        else:
            assert caption is not None  # one of the two is given (checked above)
            img.caption, img.caption_source = caption.text, "manual"
        img.updated_at = tx.now
        tx.put(img)
        return Reply(200, _view(ctx, img, tx.now))


@operation("delete-image")
def delete_image(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        ds, img = access.image(tx, ctx.org, ctx.path["dataset_id"], ctx.path["image_id"])
        if ds.status == "completed":
            raise ApiError(409, "Cannot delete an image from a completed dataset")
        ds.image_ids.remove(img.id)
        ds.updated_at = tx.now
        tx.put(ds)
        cascades.drop_image(tx, img)
        return Reply(204)


@operation("regenerate-all-captions")
def regenerate_all(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        if ds.status == "completed":
            raise ApiError((409, 400), "Cannot regenerate captions of a completed dataset")
        if ds.visual_schema is None:
            raise ApiError(
                (409, 400), "the dataset has no visual_schema to caption from; set one first"
            )
        if ds.captions_update_status == "in_progress":
            # already running: report it rather than restart (the operation declares no 409)
            return Reply(202, views.dataset(ds))
        job = tx.new_id()
        ds.caption_job = job
        ds.captions_update_status = "in_progress"
        ds.updated_at = tx.now
        tx.put(ds)
        duration = max(1, len(ds.image_ids)) * cfg.caption_seconds_per_image
        tx.schedule(tx.now + duration, "captions.done", CaptionsDue(dataset_id=ds.id, job=job))
        return Reply(202, views.dataset(ds))


def on_captions_done(tx: Transaction, data: CaptionsDue, due: float) -> None:
    ds = tx.get(Dataset, data["dataset_id"])
    if ds is None or ds.caption_job != data["job"]:
        return
    for iid in ds.image_ids:
        img = tx.get(Image, iid)
        if img is None:
            continue
        img.caption, img.caption_source = auto_caption(ds.visual_schema, img)
        img.updated_at = due
        tx.put(img)
    ds.captions_update_status = "completed"
    ds.caption_job = None
    ds.updated_at = due
    tx.put(ds)


EVENTS: dict[str, EventHandler] = {"captions.done": on_captions_done}
