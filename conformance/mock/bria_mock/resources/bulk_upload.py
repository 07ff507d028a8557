"""Advanced (bulk) upload: one zip per dataset, processed member by member with a failure report.

The archive is checked and every image decoded when the request arrives (so a broken archive is
refused at once); the results then become visible one image per ``bulk_seconds_per_image`` of the
clock, which is what the progress endpoint reports.

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
bulk.advanced-only, bulk.single-attempt, bulk.refused-is-no-attempt, bulk.archive-source,
bulk.zip-size, bulk.failures-reported, bulk.caption-files, bulk.async-progress, bulk.status-404.
"""

from __future__ import annotations

import posixpath
from functools import partial
from typing import Any

import anyio.to_thread

from .. import access
from ..archives import ArchiveRejected, read_upload
from ..config import MockConfig
from ..context import Ctx, Reply, operation
from ..domain import views
from ..domain.cascades import blob_key, blob_of, release_blob
from ..errors import ApiError
from ..fetch import FetchError
from ..imaging import ImageRejected, ProcessedImage, contains_marker, preprocess
from ..records import BulkDue, BulkFailure, BulkItem, BulkJob, Dataset, Image
from ..state import EventHandler, Transaction
from .images import auto_caption

# An accepted member and its converted pixels (stored with the job, not in it).
Processed = tuple[BulkItem, ProcessedImage | None]


def _check_can_start(ds: Dataset, job: BulkJob | None) -> None:
    if ds.upload_type != "advanced":
        raise ApiError(
            (409, 400),
            "bulk upload is only supported for advanced datasets; basic datasets upload "
            "images one by one",
        )
    if ds.status == "completed":
        raise ApiError((409, 400), "Cannot upload to a completed dataset")
    if job is not None:
        raise ApiError(
            (409, 400),
            f"a bulk upload was already attempted on dataset {ds.id} (status {job.status}); "
            "only one attempt per dataset is allowed — create or clone a new dataset",
        )
    if ds.image_ids:
        raise ApiError((409, 400), "bulk upload requires an empty dataset")


def _process(data: bytes, automatic: bool, moderation: bool, cfg: MockConfig) -> list[Processed]:
    archive = read_upload(
        data,
        max_members=cfg.max_advanced_images,
        max_member_bytes=cfg.max_zip_member_bytes,
        max_total_bytes=cfg.max_zip_uncompressed_bytes,
        max_ratio=cfg.max_zip_ratio,
    )
    items: list[Processed] = [
        (_failure(f.filename, f.error_code, f.error_message), None)
        for f in archive.failures
        if not f.filename.lower().endswith(".txt")
    ]
    if not archive.image_members and not items:
        archive.archive.close()
        raise ArchiveRejected(400, "the archive holds no files; add jpg, jpeg, png or webp images")
    for name, content in archive.images():
        stem = posixpath.splitext(name)[0]
        base = posixpath.basename(name)
        caption = archive.captions.get(stem)
        if not automatic and not caption:
            txt = f"{posixpath.basename(stem)}.txt"
            problem = archive.caption_problems.get(stem)
            message = f"caption file {txt}: {problem}" if problem else f"missing caption file {txt}"
            items.append((_failure(base, 400, message), None))
            continue
        if moderation and contains_marker(content, cfg.moderation_marker):
            items.append((_failure(base, 422, "blocked by content moderation"), None))
            continue
        try:
            processed = preprocess(
                content,
                increase_resolution=False,
                target=cfg.target_side,
                min_upscale=cfg.min_upscale_side,
                max_pixels=cfg.max_image_pixels,
            )
        except ImageRejected as exc:
            items.append((_failure(base, exc.status, exc.message), None))
            continue
        item = BulkItem(
            name=base,
            ok=True,
            digest=processed.digest,
            mean_color=list(processed.mean_color),
            caption=None if automatic else caption,
        )
        items.append((item, processed))
    return items


def _flag(value: Any, default: bool, name: str) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ApiError(400, f"{name} must be true or false")


def _failure(name: str, code: int, message: str) -> BulkItem:
    return BulkItem(name=name, ok=False, error_code=code, error_message=message)


@operation("bulk-upload-images")
async def bulk_upload(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    body = ctx.json
    upload = ctx.files.get("file") or ctx.files.get("zip_file")
    zip_url = body.get("zip_url")
    if upload is not None and zip_url:
        raise ApiError(400, "send either a zip file or a zip_url, not both")
    if upload is None and not zip_url:
        raise ApiError(400, "send the archive as a multipart 'file' or as a 'zip_url'")
    # automatic_captioning comes from bria-guide-v1.md; the bundle dropped it, so it is
    # accepted as an extra form/JSON field.
    automatic = _flag(body.get("automatic_captioning"), True, "automatic_captioning")
    moderation = _flag(body.get("content_moderation"), False, "content_moderation")
    dataset_id = ctx.path["dataset_id"]
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, dataset_id)
        _check_can_start(ds, tx.get(BulkJob, dataset_id))
        # Reserve the one attempt now so a concurrent second upload is refused.
        tx.put(BulkJob(dataset_id=dataset_id, org=ctx.org, reserved=True))
    try:
        if upload is not None:
            data = upload.data
        else:
            data = await ctx.mock.fetcher.fetch(
                str(zip_url), base_url=ctx.base_url, max_bytes=cfg.max_zip_bytes, what="zip_url"
            )
        if len(data) > cfg.max_zip_bytes:
            raise ApiError(
                (413, 400), f"the zip file is {len(data)} bytes; the limit is {cfg.max_zip_bytes}"
            )
        processed = await anyio.to_thread.run_sync(
            partial(_process, data, bool(automatic), moderation, cfg)
        )
    except BaseException as exc:
        with ctx.mock.store.transaction() as tx:
            tx.delete(BulkJob, dataset_id)
        if isinstance(exc, ArchiveRejected):
            raise ApiError((exc.status, 400), exc.message) from None
        if isinstance(exc, FetchError):
            raise ApiError(exc.fallbacks, exc.message) from None
        raise
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, dataset_id)
        step = cfg.bulk_seconds_per_image
        items: list[BulkItem] = []
        for index, (item, image) in enumerate(processed):
            item.at = tx.now + (index + 1) * step
            if image is not None and item.digest is not None:
                item.blob = blob_of(ctx.org, item.digest)
                tx.put_blob(blob_key(item.blob), image.content_type, image.source)
            items.append(item)
        job = BulkJob(
            dataset_id=ds.id,
            org=ctx.org,
            automatic_captioning=bool(automatic),
            items=items,
            started_at=tx.now,
        )
        tx.put(job)
        tx.schedule(items[0].at, "bulk.progress", BulkDue(dataset_id=dataset_id))
        return Reply(202, views.bulk_status(job))


@operation("get-bulk-upload-status")
def bulk_status(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        ds = access.dataset(tx, ctx.org, ctx.path["dataset_id"])
        job = tx.get(BulkJob, ds.id)
        if job is None:
            raise ApiError(404, f"no bulk upload has been started for dataset {ds.id}")
        return Reply(200, views.bulk_status(job))


def on_progress(tx: Transaction, data: BulkDue, due: float) -> None:
    dataset_id = data["dataset_id"]
    job = tx.get(BulkJob, dataset_id)
    ds = tx.get(Dataset, dataset_id)
    if job is None or job.items is None:
        return
    items = job.items
    if ds is None:
        # the dataset was deleted while its upload ran: the items never shown are let go
        tx.delete(BulkJob, dataset_id)
        for item in items[job.revealed :]:
            if item.blob:
                release_blob(tx, item.blob)
        return
    while job.revealed < len(items) and items[job.revealed].at <= tx.now:
        item = items[job.revealed]
        job.revealed += 1
        if not item.ok or item.digest is None:
            job.failed += 1
            job.failed_images.append(
                BulkFailure(
                    filename=item.name,
                    error_code=item.error_code or 400,
                    error_message=item.error_message or "",
                )
            )
            continue
        record = Image(
            id=tx.new_id(),
            org=job.org,
            dataset_id=dataset_id,
            image_name=item.name,
            digest=item.digest,
            mean_color=list(item.mean_color or ()),
            blob=item.blob or item.digest,
            created_at=item.at,
            updated_at=item.at,
        )
        if item.caption is not None:
            record.caption, record.caption_source = item.caption, "manual"
        else:
            record.caption, record.caption_source = auto_caption(ds.visual_schema, record)
        tx.put(record)
        ds.image_ids.append(record.id)
        job.done += 1
    ds.updated_at = tx.now
    tx.put(ds)
    if job.revealed >= len(items):
        job.status = "completed" if job.done else "failed"
    else:
        job.status = "processing"
        tx.schedule(items[job.revealed].at, "bulk.progress", BulkDue(dataset_id=dataset_id))
    tx.put(job)


EVENTS: dict[str, EventHandler] = {"bulk.progress": on_progress}
