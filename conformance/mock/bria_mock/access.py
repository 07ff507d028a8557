"""Look up an organization's records; anything else's is indistinguishable from missing (404)."""

from __future__ import annotations

from .errors import ApiError
from .state import Record, Transaction

# Statuses in which a model holds its dataset and project (delete is refused meanwhile).
TRAINING_STATUSES = ("InProgress", "Stopping")


def _owned(tx: Transaction, kind: str, key: int, org: str, label: str) -> Record:
    record = tx.get(kind, key)
    if record is None or record["org"] != org:
        raise ApiError(404, f"{label} {key} not found")
    return record


def project(tx: Transaction, org: str, project_id: int) -> Record:
    return _owned(tx, "project", project_id, org, "Project")


def dataset(tx: Transaction, org: str, dataset_id: int) -> Record:
    return _owned(tx, "dataset", dataset_id, org, "Dataset")


def model(tx: Transaction, org: str, model_id: int) -> Record:
    return _owned(tx, "model", model_id, org, "Model")


def image(tx: Transaction, org: str, dataset_id: int, image_id: int) -> tuple[Record, Record]:
    ds = dataset(tx, org, dataset_id)
    record = tx.get("image", image_id)
    if record is None or record["org"] != org or record["dataset_id"] != dataset_id:
        raise ApiError(404, f"Image {image_id} not found in dataset {dataset_id}")
    return ds, record


def owned_list(tx: Transaction, kind: str, org: str) -> list[Record]:
    return sorted((r for r in tx.all(kind) if r["org"] == org), key=lambda r: int(r["id"]))
