"""Datasets: a draft collects images and a visual schema; completion freezes it for training.

A dataset's records are its own, its images' and its one bulk upload's (a ``BulkJob``); the rules
of uploading images are in ``images.py`` and ``bulk.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import ClassVar

from ..documents import VisualSchema
from ..errors import ApiError
from ..records import Stored
from ..state import Transaction
from . import access, projects


class DatasetStatus(StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"


class CaptionsStatus(StrEnum):
    EMPTY = "empty"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class UploadType(StrEnum):
    BASIC = "basic"
    ADVANCED = "advanced"


class BulkStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


class CaptionSource(StrEnum):
    AUTOMATIC = "automatic"
    MANUAL = "manual"


@dataclass
class Dataset(Stored):
    KIND: ClassVar[str] = "dataset"
    id: int
    org: str
    project_id: int
    name: str
    upload_type: UploadType
    created_at: float
    updated_at: float
    visual_schema: str | None = None
    status: DatasetStatus = DatasetStatus.DRAFT
    captions_update_status: CaptionsStatus = CaptionsStatus.EMPTY
    image_ids: list[int] = field(default_factory=list)
    caption_job: int | None = None
    description: str = ""
    cloned_from: int | None = None

    def __post_init__(self) -> None:
        self.upload_type = UploadType(self.upload_type)
        self.status = DatasetStatus(self.status)
        self.captions_update_status = CaptionsStatus(self.captions_update_status)


@dataclass
class Image(Stored):
    KIND: ClassVar[str] = "image"
    id: int
    org: str
    dataset_id: int
    image_name: str
    digest: str
    mean_color: list[int]
    # the blob name (organization/digest) holding the pixels
    blob: str
    created_at: float
    updated_at: float
    upload_source_url: str | None = None
    caption: str | None = None
    caption_source: CaptionSource | None = None

    def __post_init__(self) -> None:
        if self.caption_source is not None:
            self.caption_source = CaptionSource(self.caption_source)


@dataclass
class BulkItem(Stored):
    """One member of a bulk upload: an image to reveal at ``at``, or a failure to report."""

    name: str
    ok: bool
    at: float = 0.0
    error_code: int | None = None
    error_message: str | None = None
    digest: str | None = None
    mean_color: list[int] | None = None
    caption: str | None = None
    blob: str | None = None


@dataclass
class BulkFailure(Stored):
    filename: str
    error_code: int
    error_message: str


@dataclass
class BulkJob(Stored):
    """The one bulk upload of a dataset; without items it is a reservation (archive being read)."""

    KIND: ClassVar[str] = "bulk"
    KEY_FIELD: ClassVar[str] = "dataset_id"
    NESTED: ClassVar[dict[str, type[Stored]]] = {
        "items": BulkItem,
        "failed_images": BulkFailure,
    }
    INTERRUPTED_LABEL: ClassVar[str] = "bulk upload reservation"
    dataset_id: int
    org: str
    status: BulkStatus = BulkStatus.PENDING
    reserved: bool = False
    automatic_captioning: bool = True
    items: list[BulkItem] | None = None
    revealed: int = 0
    done: int = 0
    failed: int = 0
    failed_images: list[BulkFailure] = field(default_factory=list)
    started_at: float | None = None

    def __post_init__(self) -> None:
        self.status = BulkStatus(self.status)

    def interrupted(self) -> bool:
        """A reservation without items is a process that died while reading the archive.

        Nothing of that upload was stored (the images are written with the job, in one step),
        so the attempt is given back: the dataset accepts a new bulk upload after the restart.
        """
        return self.items is None

    @property
    def running(self) -> bool:
        return self.status in (BulkStatus.PENDING, BulkStatus.PROCESSING)


@dataclass(frozen=True, kw_only=True)
class NewDataset:
    """A create-dataset request."""

    project_id: int
    name: str
    upload_type: UploadType = UploadType.BASIC


@dataclass(frozen=True, kw_only=True)
class DatasetUpdate:
    """An update-dataset request; ``given`` tells a null visual_schema from an absent one."""

    name: str | None = None
    visual_schema: VisualSchema | None = None
    status: DatasetStatus | None = None
    given: frozenset[str] = frozenset()

    @property
    def schema_given(self) -> bool:
        return "visual_schema" in self.given

    @property
    def schema_text(self) -> str | None:
        return self.visual_schema.text if self.visual_schema is not None else None


@dataclass(frozen=True, kw_only=True)
class CloneRequest:
    """A clone-dataset request."""

    name: str | None = None
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class ByProjectQuery:
    """The query of get-datasets-by-project."""

    include_models: bool = False
    include_models_ids: bool = False


@dataclass(frozen=True, kw_only=True)
class DatasetPath:
    """The dataset a path names."""

    dataset_id: int


@dataclass(frozen=True, kw_only=True)
class ImagePath:
    """The image of a dataset a path names."""

    dataset_id: int
    image_id: int


@dataclass(frozen=True, kw_only=True)
class DatasetQuery:
    """The query of get-dataset-by-id (max_images is bounded 1-200 by the spec)."""

    max_images: int = 200


def owned(tx: Transaction, org: str, dataset_id: int) -> Dataset:
    return access.org_isolated_access(tx, Dataset, dataset_id, org, "Dataset")


def all_owned(tx: Transaction, org: str) -> list[Dataset]:
    return access.org_scoped_lists(tx, Dataset, org)


def owned_image(tx: Transaction, org: str, dataset_id: int, image_id: int) -> tuple[Dataset, Image]:
    ds = owned(tx, org, dataset_id)
    record = tx.get(Image, image_id)
    if record is None or record.org != org or record.dataset_id != dataset_id:
        raise ApiError(404, f"Image {image_id} not found in dataset {dataset_id}")
    return ds, record


def images_of(tx: Transaction, ds: Dataset, limit: int | None = None) -> list[Image]:
    ids = ds.image_ids if limit is None else ds.image_ids[:limit]
    return [img for iid in ids if (img := tx.get(Image, iid)) is not None]


# --- rules ---


def required_fields(name: object) -> str | None:
    """A dataset name, if given, is not blank."""
    if isinstance(name, str) and not name.strip():
        raise ApiError(400, "name must not be empty")
    return name.strip() if isinstance(name, str) else None


def max_images_query(tx: Transaction, ds: Dataset, limit: int) -> list[Image]:
    """The dataset's first ``limit`` images; the spec bounds ``max_images`` to 1-200 (400
    outside) and 200 is the default."""
    return images_of(tx, ds, limit)


def unknown_project(tx: Transaction, org: str, project_id: int) -> projects.Project:
    """A dataset is created in an existing project of the caller's (404 otherwise)."""
    return projects.owned(tx, org, project_id)


def completed_freezes_visual_schema(ds: Dataset, change: DatasetUpdate) -> None:
    if (
        change.schema_given
        and ds.status == DatasetStatus.COMPLETED
        and change.schema_text != ds.visual_schema
    ):
        raise ApiError(409, "visual_schema can only be updated while the dataset is a draft")


def no_reopen(ds: Dataset, change: DatasetUpdate) -> None:
    if change.status == DatasetStatus.DRAFT and ds.status == DatasetStatus.COMPLETED:
        raise ApiError(
            409,
            "a completed dataset cannot return to draft; use Clone Dataset As Draft to make "
            "a new editable version",
        )


def completion_min_images(ds: Dataset, min_images: int) -> None:
    count = len(ds.image_ids)
    if count < min_images:
        raise ApiError(
            409,
            f"a dataset needs at least {min_images} images to be completed; "
            f"dataset {ds.id} has {count}",
        )


def completion_needs_visual_schema(ds: Dataset) -> None:
    if ds.visual_schema is None:
        raise ApiError(
            409, "set a visual_schema (from /generate_visual_schema) before completing the dataset"
        )


def completion_not_while_busy(tx: Transaction, ds: Dataset) -> None:
    if ds.captions_update_status == CaptionsStatus.IN_PROGRESS:
        raise ApiError(
            409, "captions are being regenerated; wait until captions_update_status is completed"
        )
    bulk = tx.get(BulkJob, ds.id)
    if bulk is not None and bulk.running:
        raise ApiError(
            409,
            "a bulk upload is still in progress; wait until its status is completed "
            "(GET .../images/bulk-upload)",
        )


def completion_needs_captions(tx: Transaction, ds: Dataset) -> None:
    missing = [img.id for img in images_of(tx, ds) if img.caption is None]
    if missing:
        raise ApiError(
            409,
            f"{len(missing)} image(s) have no caption yet (uploaded before the visual schema was "
            "set); call Regenerate All Captions first",
        )


def frozen_when_completed(ds: Dataset, refusal: str, statuses: tuple[int, ...] = (409,)) -> None:
    """A completed dataset's images and captions do not change."""
    if ds.status == DatasetStatus.COMPLETED:
        raise ApiError(statuses, refusal)


def download_advanced_only(ds: Dataset) -> None:
    if ds.upload_type != UploadType.ADVANCED:
        raise ApiError(409, "Download is only supported for advanced dataset types")


def all_captions_automatic(tx: Transaction, ds: Dataset) -> bool:
    """captions_url is offered only when every caption was made by the service."""
    images = [tx.get(Image, iid) for iid in ds.image_ids]
    return bool(images) and all(
        i is not None and i.caption_source == CaptionSource.AUTOMATIC for i in images
    )


# --- changes ---


def created_draft(
    tx: Transaction, org: str, project_id: int, name: str, upload_type: UploadType
) -> Dataset:
    """A new dataset: a draft without images."""
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


def update(tx: Transaction, ds: Dataset, change: DatasetUpdate, min_images: int) -> None:
    completed_freezes_visual_schema(ds, change)
    no_reopen(ds, change)
    if change.status == DatasetStatus.COMPLETED and ds.status == DatasetStatus.DRAFT:
        # judged on the dataset as it will be, but nothing is changed before every check passed
        candidate = replace(ds, visual_schema=change.schema_text) if change.schema_given else ds
        completion_min_images(candidate, min_images)
        completion_needs_visual_schema(candidate)
        completion_not_while_busy(tx, candidate)
        completion_needs_captions(tx, candidate)
    if change.schema_given:
        ds.visual_schema = change.schema_text
    if change.status == DatasetStatus.COMPLETED:
        ds.status = DatasetStatus.COMPLETED
    name = required_fields(change.name)
    if name is not None:
        ds.name = name
    ds.updated_at = tx.now
    tx.put(ds)


def clone_as_draft(
    tx: Transaction, source: Dataset, name: str | None, description: str | None
) -> Dataset:
    """A new draft holding copies of the source's images, captions and visual schema."""
    clone = created_draft(
        tx,
        source.org,
        source.project_id,
        name if name is not None else f"Copy of {source.name}",
        source.upload_type,
    )
    clone.description = description or ""
    clone.cloned_from = source.id
    clone.visual_schema = source.visual_schema
    clone.captions_update_status = (
        CaptionsStatus.COMPLETED
        if source.captions_update_status != CaptionsStatus.EMPTY
        else CaptionsStatus.EMPTY
    )
    for img in images_of(tx, source):
        copy = replace(
            img, id=tx.new_id(), dataset_id=clone.id, created_at=tx.now, updated_at=tx.now
        )
        copy.mean_color = list(img.mean_color)
        tx.put(copy)
        clone.image_ids.append(copy.id)
    tx.put(clone)
    return clone
