"""Deleting a record with everything that belongs to it, inside the caller's transaction.

A project owns its datasets and models, a dataset its images; pixels are shared by content hash
inside one organization and go when nothing of that organization uses them any more. Deletes
that a model in training forbids are refused here, before anything is changed.
"""

from __future__ import annotations

from typing import TypeVar

from ..errors import ApiError
from ..state import Transaction
from . import access, projects
from .datasets import BulkJob, Dataset, Image
from .models import TRAINING, Model, Origin
from .projects import Project

Child = TypeVar("Child", Dataset, Model)


def project_children_lists(
    tx: Transaction, org: str, project_id: int, kind: type[Child]
) -> list[Child]:
    """A project's datasets or models; a project that is not the caller's is 404, even where
    the list would be empty."""
    project = projects.owned(tx, org, project_id)
    return [r for r in access.org_scoped_lists(tx, kind, org) if r.project_id == project.id]


def blob_key(blob: str) -> str:
    return f"png/{blob}"


def blob_of(org: str, digest: str) -> str:
    """Pixels are shared only inside one organization: no other tenant's delete reaches them."""
    return f"{org}/{digest}"


def release_blob(tx: Transaction, blob: str) -> None:
    """Delete pixels nothing uses any more: no image and no accepted, not yet visible bulk item
    (blob names carry the organization, so only its own records can hold them)."""
    if any(other.blob == blob for other in tx.all(Image)):
        return
    for job in tx.all(BulkJob):
        pending = (job.items or [])[job.revealed :]
        if any(item.blob == blob for item in pending):
            return
    tx.delete_blob(blob_key(blob))


def drop_image(tx: Transaction, img: Image) -> None:
    """Delete an image record, and its pixels once nothing else of its organization uses them."""
    tx.delete(Image, img.id)
    release_blob(tx, img.blob)


def drop_model(tx: Transaction, model: Model) -> None:
    tx.delete(Model, model.id)
    if model.origin == Origin.UPLOADED:
        tx.delete_blob(f"model/{model.id}")


def models_using(tx: Transaction, dataset_id: int) -> list[Model]:
    return sorted((m for m in tx.all(Model) if m.dataset_id == dataset_id), key=lambda m: m.id)


def dataset_delete_removes_images(tx: Transaction, ds: Dataset) -> None:
    """The dataset goes with its images (and their pixels, once nothing else uses them)."""
    for iid in list(ds.image_ids):
        img = tx.get(Image, iid)
        if img is not None:
            drop_image(tx, img)
    tx.delete(Dataset, ds.id)


def model_delete_blocked_while_training(model: Model) -> None:
    if model.status in TRAINING:
        raise ApiError(409, "Cannot delete model while it is in training")


def dataset_delete_blocked_while_training(tx: Transaction, ds: Dataset) -> None:
    busy = [m.id for m in models_using(tx, ds.id) if m.status in TRAINING]
    if busy:
        raise ApiError(
            409, f"Cannot delete a dataset that is used by a model in training (model {busy[0]})"
        )


def project_delete_blocked_while_training(tx: Transaction, project: Project) -> None:
    training = [m.id for m in tx.all(Model) if m.project_id == project.id and m.status in TRAINING]
    if training:
        raise ApiError(
            409,
            f"Cannot delete project while models are in training (model {training[0]}); "
            "stop the training first",
        )


def project_delete_cascades(tx: Transaction, project: Project) -> None:
    """The project goes with its models and datasets (and their images)."""
    for m in [m for m in tx.all(Model) if m.project_id == project.id]:
        drop_model(tx, m)
    for ds in [d for d in tx.all(Dataset) if d.project_id == project.id]:
        dataset_delete_removes_images(tx, ds)
    tx.delete(Project, project.id)


def delete_model(tx: Transaction, model: Model) -> None:
    model_delete_blocked_while_training(model)
    drop_model(tx, model)


def delete_dataset(tx: Transaction, ds: Dataset) -> None:
    dataset_delete_blocked_while_training(tx, ds)
    dataset_delete_removes_images(tx, ds)


def delete_project(tx: Transaction, project: Project) -> None:
    project_delete_blocked_while_training(tx, project)
    project_delete_cascades(tx, project)
