"""Advanced (bulk) upload: one zip per dataset, processed member by member with a failure report.

The archive is checked and every image decoded when the request arrives (so a broken archive is
refused at once); the results then become visible one image per ``bulk_seconds_per_image`` of the
clock, which is what the progress endpoint reports.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any, TypedDict

from ..archives import ArchiveRejected, UploadArchive, read_upload
from ..config import MockConfig
from ..errors import ApiError
from ..imaging import ImageRejected, ProcessedImage, contains_marker, preprocess
from ..state import Transaction
from ..typed_request import free
from ..validation import Upload
from .cascades import blob_key, blob_of, release_blob
from .datasets import (
    BulkFailure,
    BulkItem,
    BulkJob,
    BulkStatus,
    CaptionSource,
    Dataset,
    DatasetStatus,
    Image,
    UploadType,
)
from .events import handles
from .images import auto_caption

BULK_PROGRESS = "bulk.progress"

# An accepted member and its converted pixels (stored with the job, not in it).
Processed = tuple[BulkItem, ProcessedImage | None]


@dataclass(frozen=True, kw_only=True)
class BulkUpload:
    """A bulk-upload-images request: the archive as a multipart file or a zip_url
    (``archive_source``); the spec types zip_url a string and content_moderation a boolean
    in both bodies (a form's text is read as one at the edge)."""

    file: Upload | None = field(default=None, metadata={"keys": ("file", "zip_file")})
    zip_url: str | None = None
    automatic_captioning: Any = field(
        default=None,
        metadata=free(
            "bria-guide-v1.md documents it and the bundle dropped it, so the spec declares no "
            "type: ``flag`` reads JSON true/false or a form's text"
        ),
    )
    content_moderation: bool | None = None


class BulkDue(TypedDict):
    """bulk.progress"""

    dataset_id: int


# --- rules ---


def flag(value: Any, default: bool, name: str) -> bool:
    """A true/false field sent as JSON or as form text."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ApiError(400, f"{name} must be true or false")


def advanced_only(ds: Dataset) -> None:
    if ds.upload_type != UploadType.ADVANCED:
        raise ApiError(
            (409, 400),
            "bulk upload is only supported for advanced datasets; basic datasets upload "
            "images one by one",
        )


def single_attempt(ds: Dataset, job: BulkJob | None) -> None:
    if job is not None:
        raise ApiError(
            (409, 400),
            f"a bulk upload was already attempted on dataset {ds.id} (status {job.status}); "
            "only one attempt per dataset is allowed — create or clone a new dataset",
        )
    if ds.image_ids:
        raise ApiError((409, 400), "bulk upload requires an empty dataset")


def archive_source(has_file: bool, zip_url: object) -> None:
    if has_file and zip_url:
        raise ApiError(400, "send either a zip file or a zip_url, not both")
    if not has_file and not zip_url:
        raise ApiError(400, "send the archive as a multipart 'file' or as a 'zip_url'")


def zip_size(size: int, config: MockConfig) -> None:
    if size > config.max_zip_bytes:
        raise ApiError(
            (413, 400), f"the zip file is {size} bytes; the limit is {config.max_zip_bytes}"
        )


def status_404(tx: Transaction, ds: Dataset) -> BulkJob:
    job = tx.get(BulkJob, ds.id)
    if job is None:
        raise ApiError(404, f"no bulk upload has been started for dataset {ds.id}")
    return job


# --- changes ---


def reserve(tx: Transaction, ds: Dataset) -> None:
    """Take the dataset's one attempt now, so a concurrent second upload is refused."""
    advanced_only(ds)
    if ds.status == DatasetStatus.COMPLETED:
        raise ApiError((409, 400), "Cannot upload to a completed dataset")
    single_attempt(ds, tx.get(BulkJob, ds.id))
    tx.put(BulkJob(dataset_id=ds.id, org=ds.org, reserved=True))


def refused_is_no_attempt(tx: Transaction, dataset_id: int) -> None:
    """A refused upload gives its reservation back: the dataset can be tried again."""
    tx.delete(BulkJob, dataset_id)


def _failure(name: str, code: int, message: str) -> BulkItem:
    return BulkItem(name=name, ok=False, error_code=code, error_message=message)


def process(data: bytes, automatic: bool, moderation: bool, cfg: MockConfig) -> list[Processed]:
    """Every member of the archive, decoded or failed with its reason; an archive that cannot
    be used at all is refused with the status its problem names."""
    try:
        return _members(data, automatic, moderation, cfg)
    except ArchiveRejected as exc:
        raise ApiError((exc.status, 400), exc.message) from None


def caption_files(archive: UploadArchive, stem: str, automatic: bool) -> str | None:
    """Without automatic captioning every image needs its caption file (``<stem>.txt``): the
    reason a member without one fails, or None when it has one (or needs none)."""
    if automatic or archive.captions.get(stem):
        return None
    txt = f"{posixpath.basename(stem)}.txt"
    problem = archive.caption_problems.get(stem)
    return f"caption file {txt}: {problem}" if problem else f"missing caption file {txt}"


def _members(data: bytes, automatic: bool, moderation: bool, cfg: MockConfig) -> list[Processed]:
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
        missing = caption_files(archive, stem, automatic)
        if missing is not None:
            items.append((_failure(base, 400, missing), None))
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


def start(
    tx: Transaction, ds: Dataset, processed: list[Processed], automatic: bool, step: float
) -> BulkJob:
    """The job, its members revealed one per ``step`` seconds (bulk.async-progress)."""
    items: list[BulkItem] = []
    for index, (item, image) in enumerate(processed):
        item.at = tx.now + (index + 1) * step
        if image is not None and item.digest is not None:
            item.blob = blob_of(ds.org, item.digest)
            tx.put_blob(blob_key(item.blob), image.content_type, image.source)
        items.append(item)
    job = BulkJob(
        dataset_id=ds.id,
        org=ds.org,
        automatic_captioning=automatic,
        items=items,
        started_at=tx.now,
    )
    tx.put(job)
    tx.schedule(items[0].at, BULK_PROGRESS, BulkDue(dataset_id=ds.id))
    return job


def failures_reported(job: BulkJob, item: BulkItem) -> None:
    """A member that failed counts as failed and is listed with its reason."""
    job.failed += 1
    job.failed_images.append(
        BulkFailure(
            filename=item.name,
            error_code=item.error_code or 400,
            error_message=item.error_message or "",
        )
    )


@handles(BULK_PROGRESS)
def async_progress(tx: Transaction, data: BulkDue, due: float) -> None:
    """The members become visible one by one as the clock reaches them: pending, then
    processing, then completed (failed when no member was usable)."""
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
            failures_reported(job, item)
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
            record.caption, record.caption_source = item.caption, CaptionSource.MANUAL
        else:
            record.caption, record.caption_source = auto_caption(ds.visual_schema, record)
        tx.put(record)
        ds.image_ids.append(record.id)
        job.done += 1
    ds.updated_at = tx.now
    tx.put(ds)
    if job.revealed >= len(items):
        job.status = BulkStatus.COMPLETED if job.done else BulkStatus.FAILED
    else:
        job.status = BulkStatus.PROCESSING
        tx.schedule(items[job.revealed].at, BULK_PROGRESS, BulkDue(dataset_id=dataset_id))
    tx.put(job)
