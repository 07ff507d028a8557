"""Look up an organization's records; anything else's is indistinguishable from missing (404)."""

from __future__ import annotations

from .errors import ApiError
from .records import Dataset, Image, Model, Project, R
from .state import Transaction


def _owned(tx: Transaction, cls: type[R], key: int, org: str, label: str) -> R:
    record = tx.get(cls, key)
    if record is None or getattr(record, "org", None) != org:
        raise ApiError(404, f"{label} {key} not found")
    return record


def project(tx: Transaction, org: str, project_id: int) -> Project:
    return _owned(tx, Project, project_id, org, "Project")


def dataset(tx: Transaction, org: str, dataset_id: int) -> Dataset:
    return _owned(tx, Dataset, dataset_id, org, "Dataset")


def model(tx: Transaction, org: str, model_id: int) -> Model:
    return _owned(tx, Model, model_id, org, "Model")


def image(tx: Transaction, org: str, dataset_id: int, image_id: int) -> tuple[Dataset, Image]:
    ds = dataset(tx, org, dataset_id)
    record = tx.get(Image, image_id)
    if record is None or record.org != org or record.dataset_id != dataset_id:
        raise ApiError(404, f"Image {image_id} not found in dataset {dataset_id}")
    return ds, record


def owned_projects(tx: Transaction, org: str) -> list[Project]:
    return sorted((r for r in tx.all(Project) if r.org == org), key=lambda r: r.id)


def owned_datasets(tx: Transaction, org: str) -> list[Dataset]:
    return sorted((r for r in tx.all(Dataset) if r.org == org), key=lambda r: r.id)


def owned_models(tx: Transaction, org: str) -> list[Model]:
    return sorted((r for r in tx.all(Model) if r.org == org), key=lambda r: r.id)
