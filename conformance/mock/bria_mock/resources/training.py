"""Training parameters and the model status machine.

Status moves only along Created → InProgress → Completed | Failed and InProgress → Stopping →
Stopped (uploaded models: syncing → completed). ``advance`` is the one place a status changes, so
"never backwards" holds by construction.

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
model.status-machine, training.expert-only-parameters, training.defaults,
training.warmup-null-unless-cwr, training.checkpoints-at-interval.
"""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from ..records import Model, TrainingParameters

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "Created": ("InProgress",),
    "InProgress": ("Completed", "Failed", "Stopping"),
    "Stopping": ("Stopped",),
    "Completed": (),
    "Failed": (),
    "Stopped": (),
    "syncing": ("completed", "Completed", "Failed"),
}

LEGACY_VERSIONS = ("max", "light", "3.2", "2.3")
TRAINING_VERSIONS = ("fibo", *LEGACY_VERSIONS)
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

BASE_MODELS = {
    "fibo": ("BRIA-FIBO", "https://huggingface.co/briaai/BRIA-FIBO"),
    "max": ("BRIA-3.2", "https://huggingface.co/briaai/BRIA-3.2"),
    "3.2": ("BRIA-3.2", "https://huggingface.co/briaai/BRIA-3.2"),
    "light": ("BRIA-2.3", "https://huggingface.co/briaai/BRIA-2.3"),
    "2.3": ("BRIA-2.3", "https://huggingface.co/briaai/BRIA-2.3"),
}


def advance(model: Model, new_status: str, now: float) -> None:
    current = model.status
    if new_status not in TRANSITIONS.get(current, ()):
        raise AssertionError(f"illegal model status change {current} -> {new_status}")
    model.status = new_status
    model.updated_at = now


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


def resolve_parameters(model: Model, body: dict[str, Any]) -> TrainingParameters:
    given = {k: v for k, v in body.items() if k in ADVANCED and v is not None}
    if given and model.training_mode != "expert":
        raise ApiError(
            400,
            "Advanced training parameters are only supported when training_mode is set to "
            f"'expert' (got {', '.join(sorted(given))})",
        )
    params = defaults(model.training_version or "fibo")
    if "lr_scheduler" in given:
        params.lr_scheduler = str(given["lr_scheduler"])
    if "learning_rate" in given:
        params.learning_rate = float(given["learning_rate"])
    for name in ("total_training_steps", "rank", "checkpoint_interval"):
        if name in given:
            setattr(params, name, int(given[name]))
    if params.lr_scheduler == "constant_with_warmup":
        params.lr_warmup_steps = int(given.get("lr_warmup_steps", DEFAULT_WARMUP))
    else:
        # Documented: warmup is only meaningful with constant_with_warmup and reads back as null.
        params.lr_warmup_steps = None
    return params


def checkpoint_steps(total: int, interval: int) -> list[int]:
    """Every ``interval`` steps, plus the final step, which is the model that goes live."""
    steps = list(range(interval, total + 1, interval))
    if not steps or steps[-1] != total:
        steps.append(total)
    return steps
