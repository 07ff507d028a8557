"""Training a model: its parameters, start and stop, checkpoints, and the trained file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from ..config import MockConfig
from ..errors import ApiError
from ..state import Transaction
from .datasets import Dataset, DatasetStatus
from .events import handles
from .models import (
    FIBO,
    LEGACY_VERSIONS,
    TRAINING,
    Checkpoint,
    Model,
    ModelDue,
    ModelStatus,
    Origin,
    TrainingParameters,
    status_machine,
)
from .projects import Project

TRAINING_CHECKPOINT = "training.checkpoint"
TRAINING_STOPPED = "training.stopped"

# The parameters only expert mode may set. Their types, enum and bounds are the start_training
# request schema's, checked by the spec validation before the handler runs.
ADVANCED = (
    "lr_scheduler",
    "learning_rate",
    "total_training_steps",
    "rank",
    "checkpoint_interval",
    "lr_warmup_steps",
)
DEFAULT_WARMUP = 100
EXPERT = "expert"

BASE_MODELS = {
    "fibo": ("BRIA-FIBO", "https://huggingface.co/briaai/BRIA-FIBO"),
    "max": ("BRIA-3.2", "https://huggingface.co/briaai/BRIA-3.2"),
    "3.2": ("BRIA-3.2", "https://huggingface.co/briaai/BRIA-3.2"),
    "light": ("BRIA-2.3", "https://huggingface.co/briaai/BRIA-2.3"),
    "2.3": ("BRIA-2.3", "https://huggingface.co/briaai/BRIA-2.3"),
}


@dataclass(frozen=True, kw_only=True)
class CheckpointPath:
    """The checkpoint of a model a path names."""

    model_id: int
    checkpoint_step: int


@dataclass(frozen=True, kw_only=True)
class TrainingRequest:
    """A start-training request: the parameters only expert mode may set (``ADVANCED``)."""

    lr_scheduler: str | None = None
    learning_rate: float | None = None
    total_training_steps: int | None = None
    rank: int | None = None
    checkpoint_interval: int | None = None
    lr_warmup_steps: int | None = None


class CheckpointDue(TypedDict):
    """training.checkpoint: ``job`` tells a restarted training's checkpoints from an older one's"""

    model_id: int
    job: int
    step: int
    final: bool


# --- parameters ---


def defaults(version: str) -> TrainingParameters:
    """bria-start-training.md: the defaults of each training version."""
    if version in LEGACY_VERSIONS:
        return TrainingParameters(
            rank=128,
            learning_rate=0.0001,
            lr_scheduler="constant",
            total_training_steps=1500,
            checkpoint_interval=500,
        )
    return TrainingParameters(
        rank=128,
        learning_rate=0.0001,
        lr_scheduler="constant_with_warmup",
        total_training_steps=750,
        checkpoint_interval=500,
    )


def expert_only_parameters(model: Model, request: TrainingRequest) -> dict[str, Any]:
    given = {k: v for k in ADVANCED if (v := getattr(request, k)) is not None}
    if given and model.training_mode != EXPERT:
        raise ApiError(
            400,
            "Advanced training parameters are only supported when training_mode is set to "
            f"'expert' (got {', '.join(sorted(given))})",
        )
    return given


def warmup_null_unless_cwr(params: TrainingParameters, given: dict[str, Any]) -> None:
    if params.lr_scheduler == "constant_with_warmup":
        params.lr_warmup_steps = int(given.get("lr_warmup_steps", DEFAULT_WARMUP))
    else:
        # Documented: warmup is only meaningful with constant_with_warmup and reads back as null.
        params.lr_warmup_steps = None


def resolve_parameters(model: Model, request: TrainingRequest) -> TrainingParameters:
    given = expert_only_parameters(model, request)
    params = defaults(model.training_version or FIBO)
    if "lr_scheduler" in given:
        params.lr_scheduler = str(given["lr_scheduler"])
    if "learning_rate" in given:
        params.learning_rate = float(given["learning_rate"])
    for name in ("total_training_steps", "rank", "checkpoint_interval"):
        if name in given:
            setattr(params, name, int(given[name]))
    warmup_null_unless_cwr(params, given)
    return params


def checkpoints_at_interval(total: int, interval: int) -> list[int]:
    """Every ``interval`` steps, plus the final step, which is the model that goes live."""
    steps = list(range(interval, total + 1, interval))
    if not steps or steps[-1] != total:
        steps.append(total)
    return steps


# --- rules ---


def no_restart(model: Model) -> None:
    if model.origin == Origin.UPLOADED:
        raise ApiError(409, "uploaded models cannot be trained")
    if model.status != ModelStatus.CREATED:
        verb = "is already in training" if model.status in TRAINING else "cannot be resumed"
        raise ApiError(
            409,
            f"Training already started: model {model.id} is {model.status} and {verb}; "
            "create a new model to train again",
        )


def requires_completed_dataset(model: Model, ds: Dataset | None) -> Dataset:
    if ds is None:
        raise ApiError(412, f"the model's dataset {model.dataset_id} no longer exists")
    if ds.status != DatasetStatus.COMPLETED:
        raise ApiError(412, "Dataset status must be 'completed' to start training")
    return ds


def _family(version: str) -> str:
    return FIBO if version == FIBO else "legacy"


def training_version_locked(project: Project | None, version: str) -> None:
    """A project's first training fixes its family (FIBO or legacy) for every later one."""
    if project is not None and project.training_version:
        locked = project.training_version
        if _family(locked) != _family(version):
            raise ApiError(409, f"project {project.id} is locked to training version {locked!r}")


def stop(model: Model) -> None:
    if model.status == ModelStatus.STOPPING:
        raise ApiError(409, "Training is already stopping")
    if model.status != ModelStatus.IN_PROGRESS:
        raise ApiError(409, f"Training already stopped/not in training (status {model.status})")


def checkpoints_expert_only(model: Model) -> None:
    if model.training_mode != EXPERT:
        raise ApiError(400, "Checkpoints are only available for models trained in expert mode")
    if model.status != ModelStatus.COMPLETED:
        raise ApiError(400, "The model status is not completed")


def checkpoint_read(model: Model, step: int) -> Checkpoint:
    for checkpoint in model.checkpoints:
        if checkpoint.step == step:
            return checkpoint
    raise ApiError(404, f"Checkpoint not found: model {model.id} has no checkpoint at step {step}")


def active_checkpoint_kept(model: Model, step: int) -> None:
    if str(step) == model.active_model_version:
        raise ApiError(400, "Cannot delete checkpoint currently selected for inference")


def download_after_completion(model: Model) -> tuple[str, str]:
    """The base model's name and card of a model that can be downloaded."""
    if not model.ready:
        raise ApiError(
            (409, 400),
            f"model {model.id} is {model.status}; download is available after training completes",
        )
    return BASE_MODELS.get(model.training_version or FIBO, BASE_MODELS[FIBO])


# --- changes ---


def start(tx: Transaction, model: Model, request: TrainingRequest, config: MockConfig) -> None:
    """Start the training: checkpoints due every ``checkpoint_interval`` steps of
    ``training_seconds_per_step``; the last one completes the model (training.completes)."""
    no_restart(model)
    ds = requires_completed_dataset(
        model, tx.get(Dataset, model.dataset_id) if model.dataset_id else None
    )
    project = tx.get(Project, model.project_id)
    version = model.training_version or FIBO
    training_version_locked(project, version)
    params = resolve_parameters(model, request)
    steps = checkpoints_at_interval(params.total_training_steps, params.checkpoint_interval)
    job = tx.new_id()
    status_machine(model, ModelStatus.IN_PROGRESS, tx.now)
    model.training_parameters = params
    model.job = job
    model.started_at = tx.now
    model.visual_schema = ds.visual_schema
    per_step = config.training_seconds_per_step
    for step in steps:
        tx.schedule(
            tx.now + step * per_step,
            TRAINING_CHECKPOINT,
            CheckpointDue(model_id=model.id, job=job, step=step, final=step == steps[-1]),
        )
    tx.put(model)
    if project is not None and not project.training_version:
        project.training_version = version
        tx.put(project)


def request_stop(tx: Transaction, model: Model, config: MockConfig) -> None:
    """Stopping, then Stopped after ``stop_seconds``; the remaining checkpoints never come."""
    stop(model)
    status_machine(model, ModelStatus.STOPPING, tx.now)
    model.job = None
    tx.put(model)
    tx.schedule(tx.now + config.stop_seconds, TRAINING_STOPPED, ModelDue(model_id=model.id))


def delete_checkpoint(tx: Transaction, model: Model, step: int) -> None:
    checkpoint_read(model, step)
    active_checkpoint_kept(model, step)
    model.checkpoints = [c for c in model.checkpoints if c.step != step]
    model.updated_at = tx.now
    tx.put(model)


def completes(model: Model, final_step: int, due: float) -> None:
    """The last checkpoint ends the training: the model is Completed and that checkpoint is
    the version that generates."""
    status_machine(model, ModelStatus.COMPLETED, due)
    model.active_model_version = str(final_step)
    model.job = None


@handles(TRAINING_CHECKPOINT)
def on_checkpoint(tx: Transaction, data: CheckpointDue, due: float) -> None:
    model = tx.get(Model, data["model_id"])
    if model is None or model.job != data["job"] or model.status != ModelStatus.IN_PROGRESS:
        return
    model.checkpoints.append(Checkpoint(step=data["step"], created_at=due))
    model.updated_at = due
    if data["final"]:
        completes(model, data["step"], due)
    tx.put(model)


@handles(TRAINING_STOPPED)
def on_stopped(tx: Transaction, data: ModelDue, due: float) -> None:
    model = tx.get(Model, data["model_id"])
    if model is None or model.status != ModelStatus.STOPPING:
        return
    status_machine(model, ModelStatus.STOPPED, due)
    tx.put(model)
