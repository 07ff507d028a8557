"""Training parameters and the model status machine.

Status moves only along Created → InProgress → Completed | Failed and InProgress → Stopping →
Stopped (uploaded models: syncing → completed). ``advance`` is the one place a status changes, so
"never backwards" holds by construction.

Rules enforced here (mock rule ids in conformance/suite/bria_conformance/catalog.yaml):
TRN-STATUS-MACHINE, TRN-EXPERT-ONLY, TRN-BOUNDS, TRN-DEFAULTS, TRN-WARMUP-NULL, TRN-CHECKPOINTS.
"""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from ..state import Record
from ..validation import field_input_text

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
SCHEDULERS = (
    "linear",
    "cosine",
    "cosine_with_restarts",
    "polynomial",
    "constant",
    "constant_with_warmup",
)
ADVANCED = (
    "lr_scheduler",
    "learning_rate",
    "total_training_steps",
    "rank",
    "checkpoint_interval",
    "lr_warmup_steps",
)
# (minimum, maximum) from the start_training request schema (the bundle's stray copy)
BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "learning_rate": (1e-6, 1e-3),
    "total_training_steps": (1, 5000),
    "rank": (4, 256),
    "checkpoint_interval": (100, None),
    "lr_warmup_steps": (0, 1000),
}
INTEGER_PARAMS = ("total_training_steps", "rank", "checkpoint_interval", "lr_warmup_steps")
DEFAULT_WARMUP = 100

BASE_MODELS = {
    "fibo": ("BRIA-FIBO", "https://huggingface.co/briaai/BRIA-FIBO"),
    "max": ("BRIA-3.2", "https://huggingface.co/briaai/BRIA-3.2"),
    "3.2": ("BRIA-3.2", "https://huggingface.co/briaai/BRIA-3.2"),
    "light": ("BRIA-2.3", "https://huggingface.co/briaai/BRIA-2.3"),
    "2.3": ("BRIA-2.3", "https://huggingface.co/briaai/BRIA-2.3"),
}


def advance(model: Record, new_status: str, now: float) -> None:
    current = model["status"]
    if new_status not in TRANSITIONS.get(current, ()):
        raise AssertionError(f"illegal model status change {current} -> {new_status}")
    model["status"] = new_status
    model["updated_at"] = now


def defaults(version: str) -> dict[str, Any]:
    if version in LEGACY_VERSIONS:
        return {
            "rank": 128,
            "learning_rate": 0.0001,
            "lr_scheduler": "constant",
            "total_training_steps": 1500,
            "checkpoint_interval": 500,
        }
    return {
        "rank": 128,
        "learning_rate": 0.0001,
        "lr_scheduler": "constant_with_warmup",
        "total_training_steps": 750,
        "checkpoint_interval": 500,
    }


def bound_errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    for name, value in body.items():
        if name not in ADVANCED or value is None:
            continue
        if name == "lr_scheduler":
            if value not in SCHEDULERS:
                options = ", ".join(repr(s) for s in SCHEDULERS)
                errors.append(
                    {
                        "msg": f"Input should be {options}",
                        "field_name": name,
                        "field_input": field_input_text(value),
                    }
                )
            continue
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if name in INTEGER_PARAMS and not (is_number and float(value).is_integer()):
            errors.append(
                {
                    "msg": "Input should be a valid integer",
                    "field_name": name,
                    "field_input": field_input_text(value),
                }
            )
            continue
        if not is_number:
            errors.append(
                {
                    "msg": "Input should be a valid number",
                    "field_name": name,
                    "field_input": field_input_text(value),
                }
            )
            continue
        low, high = BOUNDS.get(name, (None, None))
        if low is not None and value < low:
            errors.append(
                {
                    "msg": f"Input should be greater than or equal to {low:g}",
                    "field_name": name,
                    "field_input": field_input_text(value),
                }
            )
        elif high is not None and value > high:
            errors.append(
                {
                    "msg": f"Input should be less than or equal to {high:g}",
                    "field_name": name,
                    "field_input": field_input_text(value),
                }
            )
    return errors


def resolve_parameters(model: Record, body: dict[str, Any]) -> dict[str, Any]:
    given = {k: v for k, v in body.items() if k in ADVANCED and v is not None}
    if given and model.get("training_mode") != "expert":
        raise ApiError(
            400,
            "Advanced training parameters are only supported when training_mode is set to "
            f"'expert' (got {', '.join(sorted(given))})",
        )
    errors = bound_errors(given)
    if errors:
        raise ApiError(400, errors[0]["msg"], field_errors=errors)
    params = defaults(str(model.get("training_version") or "fibo"))
    params.update({k: v for k, v in given.items() if k != "lr_warmup_steps"})
    for name in INTEGER_PARAMS:
        if name in params and params[name] is not None:
            params[name] = int(params[name])
    if params["lr_scheduler"] == "constant_with_warmup":
        params["lr_warmup_steps"] = int(given.get("lr_warmup_steps", DEFAULT_WARMUP))
    else:
        # Documented: warmup is only meaningful with constant_with_warmup and reads back as null.
        params["lr_warmup_steps"] = None
    return params


def checkpoint_steps(total: int, interval: int) -> list[int]:
    """Every ``interval`` steps, plus the final step, which is the model that goes live."""
    steps = list(range(interval, total + 1, interval))
    if not steps or steps[-1] != total:
        steps.append(total)
    return steps
