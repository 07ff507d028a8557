"""Models: the record, its status machine, creation from a dataset, changes, uploaded models.

Status moves only along Created → InProgress → Completed | Failed and InProgress → Stopping →
Stopped (uploaded models: syncing → Completed, or completed in the ``documented`` profile).
``advance`` is the one place a status changes, so "never backwards" holds by construction.
Training itself (parameters, checkpoints, start and stop) is ``training.py``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, ClassVar, TypedDict

from ..config import MockConfig
from ..documents import SafetensorsRejected, read_safetensors_header
from ..errors import ApiError
from ..fetch import url_path
from ..records import Stored
from ..state import Transaction
from ..typed_request import free
from . import access
from .datasets import Dataset, DatasetStatus
from .events import handles
from .projects import NewProject, ProjectFields, new_project, text


class ModelStatus(StrEnum):
    CREATED = "Created"
    IN_PROGRESS = "InProgress"
    COMPLETED = "Completed"
    FAILED = "Failed"
    STOPPING = "Stopping"
    STOPPED = "Stopped"
    SYNCING = "syncing"
    # an uploaded model's end state as the upload_model prose spells it (``documented`` profile)
    SYNCED_AS_DOCUMENTED = "completed"


class Origin(StrEnum):
    TRAINED = "trained"
    UPLOADED = "uploaded"


TRANSITIONS: dict[ModelStatus, tuple[ModelStatus, ...]] = {
    ModelStatus.CREATED: (ModelStatus.IN_PROGRESS,),
    ModelStatus.IN_PROGRESS: (ModelStatus.COMPLETED, ModelStatus.FAILED, ModelStatus.STOPPING),
    ModelStatus.STOPPING: (ModelStatus.STOPPED,),
    ModelStatus.COMPLETED: (),
    ModelStatus.FAILED: (),
    ModelStatus.STOPPED: (),
    ModelStatus.SYNCING: (
        ModelStatus.SYNCED_AS_DOCUMENTED,
        ModelStatus.COMPLETED,
        ModelStatus.FAILED,
    ),
}
# Statuses in which a model holds its dataset and project (deletes are refused meanwhile).
TRAINING = (ModelStatus.IN_PROGRESS, ModelStatus.STOPPING)
# Statuses of a model that can generate and be downloaded.
READY = (ModelStatus.COMPLETED, ModelStatus.SYNCED_AS_DOCUMENTED)
# What an uploaded model may settle in (MockConfig.uploaded_model_completed_status).
UPLOADED_END_STATUSES = (ModelStatus.COMPLETED, ModelStatus.SYNCED_AS_DOCUMENTED)

FIBO = "fibo"
LEGACY_VERSIONS = ("max", "light", "3.2", "2.3")
TRAINING_VERSIONS = (FIBO, *LEGACY_VERSIONS)
MODEL_SYNCED = "model.synced"
PROJECT_FIELDS = frozenset(f.name for f in fields(ProjectFields))


@dataclass
class Checkpoint(Stored):
    step: int
    created_at: float


@dataclass
class TrainingParameters(Stored):
    """The parameters a training ran with: the version's defaults and the expert's choices."""

    rank: int
    learning_rate: float
    lr_scheduler: str
    total_training_steps: int
    checkpoint_interval: int
    lr_warmup_steps: int | None = None


@dataclass
class Model(Stored):
    KIND: ClassVar[str] = "model"
    NESTED: ClassVar[dict[str, type[Stored]]] = {
        "checkpoints": Checkpoint,
        "training_parameters": TrainingParameters,
    }
    id: int
    org: str
    # created from a dataset, or a .safetensors file
    origin: Origin
    name: str
    status: ModelStatus
    project_id: int
    created_at: float
    updated_at: float
    description: str = ""
    training_mode: str | None = None
    training_version: str | None = None
    generation_prefix: str | None = None
    dataset_id: int | None = None
    custom_metadata: str = ""
    active_model_version: str = "default"
    # None until training starts (shown as ``{}``)
    training_parameters: TrainingParameters | None = None
    checkpoints: list[Checkpoint] = field(default_factory=list)
    # the running training's job number; checkpoints of an older job are ignored
    job: int | None = None
    started_at: float | None = None
    # the dataset's schema when training started (structured prompts are drawn from it)
    visual_schema: str | None = None
    failure_reason: str | None = None
    tensors: int | None = None

    def __post_init__(self) -> None:
        self.origin = Origin(self.origin)
        self.status = ModelStatus(self.status)

    @property
    def ready(self) -> bool:
        return self.status in READY


class ModelDue(TypedDict):
    """training.stopped, model.synced"""

    model_id: int


@dataclass(frozen=True, kw_only=True)
class NewModel:
    """A create-model request."""

    name: str | None = None
    dataset_id: int
    description: str | None = None
    training_mode: str = "fully_automated"
    training_version: Any = field(
        default=FIBO,
        metadata=free(
            "not in the bundle's schema (bria-guide-v1.md names the versions), so the spec "
            "declares no type: ``training_version`` checks it"
        ),
    )


@dataclass(frozen=True, kw_only=True)
class ModelChanges:
    """An update-model request."""

    name: str | None = None
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class ModelUpload:
    """An upload-model request: ``project_parameters`` is a free object in the spec."""

    model_url: str
    model_name: str | None = None
    project_id: int | None = None
    project_parameters: Mapping[str, Any] | None = None


@dataclass(frozen=True, kw_only=True)
class ModelPath:
    """The model a path names."""

    model_id: int


@dataclass(frozen=True, kw_only=True)
class ListModels:
    """The query of the model lists."""

    include_training_parameters: bool = False


def owned(tx: Transaction, org: str, model_id: int) -> Model:
    return access.org_isolated_access(tx, Model, model_id, org, "Model")


def all_owned(tx: Transaction, org: str) -> list[Model]:
    return access.org_scoped_lists(tx, Model, org)


def status_machine(model: Model, new_status: ModelStatus, now: float) -> None:
    """The one place a model's status changes: only along ``TRANSITIONS``."""
    current = model.status
    if new_status not in TRANSITIONS.get(current, ()):
        raise AssertionError(f"illegal model status change {current} -> {new_status}")
    model.status = new_status
    model.updated_at = now


# --- rules ---


def required_fields(value: str | None, key: str, required: bool) -> str | None:
    """A model's name: a non-blank string where given (and where required)."""
    if value is None:
        if required:
            raise ApiError(400, f"{key} is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, f"{key} must be a non-empty string")
    return value.strip()


def training_version(version: object) -> str:
    if version not in TRAINING_VERSIONS:
        raise ApiError(
            400,
            f"training_version must be one of {', '.join(TRAINING_VERSIONS)}, got {version!r}",
        )
    return str(version)


def safetensors_file(url: str) -> str:
    """The file name a model_url names, which must be a .safetensors file
    (upload-model.syncs-to-completed: 415 otherwise)."""
    if not url.strip():
        raise ApiError(400, "model_url must not be empty")
    filename = posixpath.basename(url_path(url))
    if not filename.lower().endswith(".safetensors"):
        raise ApiError(
            (415, 400),
            "Model has to be in .safetensors format (the model_url must end in .safetensors)",
        )
    return filename


def uploaded_name(request: ModelUpload, filename: str) -> str:
    """An uploaded model's name: model_name where given, else the file's name."""
    given = required_fields(request.model_name, "model_name", False)
    return given or filename.rsplit(".", 1)[0] or "uploaded model"


def uploaded_tensors(data: bytes) -> int:
    """The tensors of an uploaded file, which must be a .safetensors model (its header rules:
    ``documents.read_safetensors_header``), else 415."""
    try:
        header = read_safetensors_header(data)
    except SafetensorsRejected as exc:
        raise ApiError((415, 400), f"the file is not a valid .safetensors model: {exc}") from None
    return len(header.tensors)


def uploaded_project(params: Mapping[str, Any] | None, config: MockConfig) -> NewProject:
    """The project an uploaded model creates when no project_id is given."""
    if not isinstance(params, Mapping):
        raise ApiError(400, "send project_id, or project_parameters to create a new project")
    sent = {key: value for key, value in params.items() if key in PROJECT_FIELDS}
    # the spec types the other fields of project_parameters, but not these two
    for key in ("ip_name", "ip_description"):
        text(sent.get(key), key)
    return new_project(ProjectFields(**{"ip_type": "other", **sent}), config)


def on_draft_dataset(ds: Dataset, config: MockConfig) -> None:
    """A model may be created on a draft dataset unless the option forbids it."""
    if config.require_completed_dataset_on_create and ds.status != DatasetStatus.COMPLETED:
        raise ApiError(400, f"dataset {ds.id} must be completed before a model is created on it")


# --- changes ---


def created(
    tx: Transaction, ds: Dataset, name: str, description: str, mode: str, version: str
) -> Model:
    """A new model of the dataset's project, Created."""
    return tx.put(
        Model(
            id=tx.new_id(),
            org=ds.org,
            origin=Origin.TRAINED,
            name=name,
            description=description,
            status=ModelStatus.CREATED,
            training_mode=mode,
            training_version=version,
            generation_prefix=None if version == FIBO else "",
            project_id=ds.project_id,
            dataset_id=ds.id,
            created_at=tx.now,
            updated_at=tx.now,
        )
    )


def update_name_description_only(
    tx: Transaction, model: Model, name: str | None, description: str | None
) -> None:
    if name is not None:
        model.name = name
    if description is not None:
        model.description = str(description)
    model.updated_at = tx.now
    tx.put(model)


def add_uploaded(
    tx: Transaction, org: str, project_id: int, name: str, data: bytes, tensors: int, delay: float
) -> Model:
    """An uploaded .safetensors model: syncing, then completed after ``delay`` seconds."""
    mid = tx.new_id()
    tx.put_blob(f"model/{mid}", "application/octet-stream", data)
    record = Model(
        id=mid,
        org=org,
        origin=Origin.UPLOADED,
        name=name,
        status=ModelStatus.SYNCING,
        project_id=project_id,
        tensors=tensors,
        created_at=tx.now,
        updated_at=tx.now,
    )
    tx.put(record)
    tx.schedule(tx.now + delay, MODEL_SYNCED, ModelDue(model_id=mid))
    return record


@handles(MODEL_SYNCED)
def syncs_to_completed(tx: Transaction, data: ModelDue, due: float) -> None:
    model = tx.get(Model, data["model_id"])
    if model is None or model.status != ModelStatus.SYNCING:
        return
    status_machine(model, ModelStatus(tx.store.config.uploaded_model_completed_status), due)
    tx.put(model)


def fail_training(tx: Transaction, model: Model, reason: str) -> None:
    """Fault injection (control endpoint): an InProgress training ends as Failed."""
    if model.status != ModelStatus.IN_PROGRESS:
        raise ApiError(409, f"model {model.id} is {model.status}, not InProgress")
    status_machine(model, ModelStatus.FAILED, tx.now)
    model.job = None
    model.failure_reason = reason
    tx.put(model)
