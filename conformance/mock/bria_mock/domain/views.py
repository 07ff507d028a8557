"""Records as the API shows them: the canonical JSON of the normalized spec's schemas.

Only rendering happens here; which fields a record has is ``records.py``. URLs in views are
signed: a view gets ``sign(artefact) -> url`` from its handler.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ..clock import iso
from .datasets import BulkJob, Dataset, Image
from .models import Checkpoint, Model
from .projects import Project

Sign = Callable[[str], str]


def project(p: Project) -> dict[str, Any]:
    return {
        "id": p.id,
        "project_name": p.project_name,
        "project_description": p.project_description,
        "ip_name": p.ip_name,
        "ip_description": p.ip_description,
        "ip_medium": p.ip_medium,
        "ip_type": p.ip_type,
        "training_version": p.training_version,
        "status": p.status,
        "created_at": iso(p.created_at),
        "updated_at": iso(p.updated_at),
    }


def dataset(ds: Dataset) -> dict[str, Any]:
    return {
        "id": ds.id,
        "project_id": ds.project_id,
        "name": ds.name,
        "visual_schema": ds.visual_schema,
        "status": ds.status,
        "captions_update_status": ds.captions_update_status,
        "upload_type": ds.upload_type,
        "images_count": len(ds.image_ids),
        "created_at": iso(ds.created_at),
        "updated_at": iso(ds.updated_at),
    }


def dataset_with_images(ds: Dataset, images: list[Image], sign: Sign) -> dict[str, Any]:
    out = dataset(ds)
    out["images"] = [image(img, sign) for img in images]
    return out


def image(img: Image, sign: Sign) -> dict[str, Any]:
    return {
        "id": img.id,
        "dataset_id": img.dataset_id,
        "caption": img.caption,
        "caption_source": img.caption_source,
        "upload_source_url": img.upload_source_url,
        "image_name": img.image_name,
        "image_url": sign(f"images/{img.id}.png"),
        "thumbnail_url": sign(f"thumbnails/{img.id}.png"),
        "created_at": iso(img.created_at),
        "updated_at": iso(img.updated_at),
    }


def include_training_parameters(models: list[Model], asked: bool) -> list[dict[str, Any]]:
    """Listed models carry training_parameters and checkpoint_steps only when asked."""
    return [model(m, with_training=asked) for m in models]


def include_models_flags(
    ds: Dataset,
    using: list[Model],
    *,
    include_models: bool,
    include_models_ids: bool,
    id_type: str | None,
) -> dict[str, Any]:
    """A dataset listed by project, with its models and their ids only when asked; the ids are
    strings where the response schema declares them so (the bundle does, although every other
    id is an integer)."""
    item = dataset(ds)
    if include_models:
        item["models"] = [model(m, with_training=True) for m in using]
    if include_models_ids:
        item["model_ids"] = [str(m.id) if id_type == "string" else m.id for m in using]
    return item


def model(m: Model, *, with_training: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": m.id,
        "name": m.name,
        "description": m.description,
        "status": m.status,
        "training_mode": m.training_mode,
        "training_version": m.training_version,
        "generation_prefix": m.generation_prefix,
        "project_id": m.project_id,
        "dataset_id": m.dataset_id,
        "created_at": iso(m.created_at),
        "updated_at": iso(m.updated_at),
        "custom_metadata": m.custom_metadata,
        "active_model_version": m.active_model_version,
    }
    if with_training:
        out["training_parameters"] = training_parameters(m)
        out["checkpoint_steps"] = checkpoint_steps(m)
    # An uploaded model has no training mode or dataset; the fields are absent, not null.
    for key in ("training_mode", "dataset_id"):
        if out[key] is None:
            del out[key]
    return out


def training_parameters(m: Model) -> dict[str, Any]:
    params = m.training_parameters
    return {} if params is None else dataclasses.asdict(params)


def checkpoint_steps(m: Model) -> list[int]:
    """Newest first, as Bria's get-models example lists them."""
    return sorted((c.step for c in m.checkpoints), reverse=True)


def checkpoint(m: Model, c: Checkpoint) -> dict[str, Any]:
    return {
        "checkpoint_step": c.step,
        # Bria's examples show the model id here (training_job_id 12242 for model 12242).
        "training_job_id": m.id,
        "created_at": iso(c.created_at),
    }


def bulk_status(job: BulkJob) -> dict[str, Any]:
    total = len(job.items or ())
    processed = job.revealed
    return {
        "status": job.status,
        "progress_percentage": (processed * 100 // total) if total else 0,
        "total_processed": processed,
        "done": job.done,
        "failed": job.failed,
        "failed_images": [dataclasses.asdict(f) for f in job.failed_images],
    }
