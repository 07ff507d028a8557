"""Dataset images: adding one (basic upload), captions, deletion, regenerating all captions."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TypedDict

from .. import captions
from ..config import MockConfig
from ..documents import Caption, VisualSchema
from ..errors import ApiError
from ..fetch import url_path
from ..imaging import ImageRejected, ProcessedImage, contains_marker, preprocess
from ..state import Transaction
from ..validation import Upload
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


@dataclass(frozen=True, kw_only=True)
class ImageUpload:
    """An upload-image request: a multipart file or an image_url (``file_or_url``)."""

    file: Upload | None = None
    image_url: str | None = None
    image_name: str | None = None
    content_moderation: bool = False
    increase_resolution: bool = True

    @property
    def source_url(self) -> str | None:
        return self.image_url if isinstance(self.image_url, str) else None

    def name(self) -> str:
        """The image_name sent, else the file's or the URL's base name."""
        explicit = self.image_name
        if isinstance(explicit, str) and explicit.strip():
            return explicit.strip()
        if self.file is not None and self.file.filename:
            return posixpath.basename(self.file.filename.replace("\\", "/")) or "image"
        if self.image_url:
            return posixpath.basename(url_path(self.image_url)) or "image"
        return "image"


@dataclass(frozen=True, kw_only=True)
class CaptionChange:
    """An update-image-caption request: a caption, or regenerate_caption (``caption_exclusive``)."""

    caption: Caption | None = None
    regenerate_caption: bool = False


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


def preprocessed(data: bytes, increase_resolution: bool, config: MockConfig) -> ProcessedImage:
    """The image decoded and brought to the training size (``imaging.preprocess``: its format,
    resolution and pixel rules), or refused with the status the rule names."""
    try:
        return preprocess(
            data,
            increase_resolution=increase_resolution,
            target=config.target_side,
            min_upscale=config.min_upscale_side,
            max_pixels=config.max_image_pixels,
        )
    except ImageRejected as exc:
        raise ApiError((exc.status, 400), exc.message) from None


def image_pixels_per_organization(tx: Transaction, org: str, processed: ProcessedImage) -> str:
    """Store the pixels under the organization's own name for them (``cascades.blob_of``): two
    organizations uploading the same picture share nothing, so one's delete never reaches the
    other's image."""
    blob = cascades.blob_of(org, processed.digest)
    tx.put_blob(cascades.blob_key(blob), processed.content_type, processed.source)
    return blob


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
) -> Image:
    """A new image of ``ds``, captioned from its visual schema when it has one."""
    blob = image_pixels_per_organization(tx, ds.org, processed)
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
