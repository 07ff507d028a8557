"""Dataset images: adding one (basic upload), captions, deletion, regenerating all captions.

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
image.file-or-url, image.basic-upload-only, image.basic-cap-200, limit.image-file-size,
image.moderation, image.caption-needs-visual-schema, image.caption-exclusive,
image.deleted-is-gone, captions.regenerate-all-async, captions.regenerate-all-idempotent,
captions.regenerate-all-preconditions, auth.image-pixels-per-organization.
"""

from __future__ import annotations

from typing import TypedDict

from .. import captions
from ..config import MockConfig
from ..documents import Caption, VisualSchema
from ..errors import ApiError
from ..imaging import ProcessedImage, contains_marker
from ..state import Transaction
from . import cascades
from .datasets import (
    CaptionSource,
    CaptionsStatus,
    Dataset,
    Image,
    UploadType,
    frozen_when_completed,
)
from .events import handles

CAPTIONS_DONE = "captions.done"


class CaptionsDue(TypedDict):
    """captions.done"""

    dataset_id: int
    job: int


def auto_caption(schema: str | None, img: Image) -> tuple[str | None, CaptionSource | None]:
    """With a visual schema an image is captioned from it; without one it has no caption."""
    if schema is None:
        return (None, None)
    red, green, blue = img.mean_color
    typed = VisualSchema.stored(schema)
    return (captions.caption(typed, img.digest, (red, green, blue)), CaptionSource.AUTOMATIC)


# --- rules ---


def file_or_url(has_file: bool, url: object) -> None:
    if has_file and url:
        raise ApiError(400, "send either a file or an image_url, not both")
    if not has_file and not url:
        raise ApiError(400, "send the image as a multipart 'file' or as an 'image_url'")


def basic_upload_only(ds: Dataset) -> None:
    if ds.upload_type != UploadType.BASIC:
        raise ApiError(
            400,
            "this endpoint only uploads to basic datasets; "
            "use images/bulk-upload for advanced ones",
        )


def basic_cap_200(ds: Dataset, cap: int) -> None:
    if len(ds.image_ids) >= cap:
        raise ApiError(409, f"the dataset already holds the maximum of {cap} images")


def can_add(ds: Dataset, cap: int) -> None:
    basic_upload_only(ds)
    frozen_when_completed(ds, "Cannot upload to a completed dataset; clone it as a draft first")
    basic_cap_200(ds, cap)


def image_file_size(size: int, config: MockConfig) -> None:
    if size > config.max_image_bytes:
        raise ApiError((413, 400), f"the image is larger than {config.max_image_bytes} bytes")


def moderation(data: bytes, asked: bool, config: MockConfig) -> None:
    if asked and contains_marker(data, config.moderation_marker):
        raise ApiError(422, "the image was blocked by content moderation")


def caption_exclusive(caption: Caption | None, regenerate: bool) -> None:
    if caption is not None and regenerate:
        raise ApiError(
            400, "Cannot provide both caption and regenerate_caption in the same request"
        )
    if caption is None and not regenerate:
        raise ApiError(400, "send a new caption, or regenerate_caption=true")


def caption_needs_visual_schema(ds: Dataset) -> None:
    if ds.visual_schema is None:
        raise ApiError(
            (409, 400), "the dataset has no visual_schema to caption from; set one first"
        )


def regenerate_all_preconditions(ds: Dataset) -> None:
    frozen_when_completed(
        ds, "Cannot regenerate captions of a completed dataset", statuses=(409, 400)
    )
    caption_needs_visual_schema(ds)


# --- changes ---


def add(
    tx: Transaction,
    ds: Dataset,
    processed: ProcessedImage,
    image_name: str,
    source_url: str | None,
    blob: str,
) -> Image:
    """A new image of ``ds``, captioned from its visual schema when it has one."""
    record = Image(
        id=tx.new_id(),
        org=ds.org,
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


def set_caption(
    tx: Transaction, ds: Dataset, img: Image, caption: Caption | None, regenerate: bool
) -> None:
    frozen_when_completed(ds, "Cannot update captions in a completed dataset")
    if regenerate:
        caption_needs_visual_schema(ds)
        img.caption, img.caption_source = auto_caption(ds.visual_schema, img)
    else:
        assert caption is not None  # one of the two is given (caption_exclusive)
        img.caption, img.caption_source = caption.text, CaptionSource.MANUAL
    img.updated_at = tx.now
    tx.put(img)


def deleted_is_gone(tx: Transaction, ds: Dataset, img: Image) -> None:
    """The image is gone from the dataset, and its pixels once nothing else of its
    organization uses them (image.deleted-is-gone, auth.image-pixels-per-organization)."""
    frozen_when_completed(ds, "Cannot delete an image from a completed dataset")
    ds.image_ids.remove(img.id)
    ds.updated_at = tx.now
    tx.put(ds)
    cascades.drop_image(tx, img)


def regenerate_all_idempotent(ds: Dataset) -> bool:
    """A run already going is reported, not restarted (the operation declares no 409)."""
    return ds.captions_update_status == CaptionsStatus.IN_PROGRESS


def regenerate_all_async(tx: Transaction, ds: Dataset, config: MockConfig) -> None:
    """Start recaptioning every image, due after ``caption_seconds_per_image`` each."""
    regenerate_all_preconditions(ds)
    if regenerate_all_idempotent(ds):
        return
    job = tx.new_id()
    ds.caption_job = job
    ds.captions_update_status = CaptionsStatus.IN_PROGRESS
    ds.updated_at = tx.now
    tx.put(ds)
    duration = max(1, len(ds.image_ids)) * config.caption_seconds_per_image
    tx.schedule(tx.now + duration, CAPTIONS_DONE, CaptionsDue(dataset_id=ds.id, job=job))


@handles(CAPTIONS_DONE)
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
    ds.captions_update_status = CaptionsStatus.COMPLETED
    ds.caption_job = None
    ds.updated_at = due
    tx.put(ds)
