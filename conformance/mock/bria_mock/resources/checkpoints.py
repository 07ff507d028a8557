"""Checkpoints of expert-mode models, saved every ``checkpoint_interval`` steps during training.

Rules enforced here (mock rule ids in conformance/suite/bria_conformance/catalog.yaml):
CKP-EXPERT-COMPLETED, CKP-READ, CKP-ACTIVE-UNDELETABLE.
"""

from __future__ import annotations

from typing import Any

from .. import access
from ..clock import iso
from ..context import Ctx, Reply, operation
from ..errors import ApiError
from ..state import Record, Transaction


def _usable_model(tx: Transaction, ctx: Ctx) -> Record:
    model = access.model(tx, ctx.org, ctx.path["model_id"])
    if model.get("training_mode") != "expert":
        raise ApiError(400, "Checkpoints are only available for models trained in expert mode")
    if model["status"] != "Completed":
        raise ApiError(400, "The model status is not completed")
    return model


def _view(model: Record, checkpoint: Record) -> dict[str, Any]:
    return {
        "checkpoint_step": checkpoint["step"],
        # Bria's examples show the model id here (training_job_id 12242 for model 12242).
        "training_job_id": model["id"],
        "created_at": iso(checkpoint["created_at"]),
    }


def _find(model: Record, step: int) -> Record:
    for checkpoint in model.get("checkpoints", []):
        if checkpoint["step"] == step:
            return dict(checkpoint)
    raise ApiError(
        404, f"Checkpoint not found: model {model['id']} has no checkpoint at step {step}"
    )


@operation("list-checkpoints")
def list_checkpoints(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        model = _usable_model(tx, ctx)
        ordered = sorted(model.get("checkpoints", []), key=lambda c: c["step"])
        return Reply(
            200,
            {
                "checkpoints": [_view(model, c) for c in ordered],
                "active_model_version": model.get("active_model_version", "default"),
            },
        )


@operation("get-checkpoint")
def get_checkpoint(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        model = _usable_model(tx, ctx)
        return Reply(200, _view(model, _find(model, ctx.path["checkpoint_step"])))


@operation("delete-checkpoint")
def delete_checkpoint(ctx: Ctx) -> Reply:
    step = ctx.path["checkpoint_step"]
    with ctx.mock.store.transaction() as tx:
        model = _usable_model(tx, ctx)
        _find(model, step)
        if str(step) == str(model.get("active_model_version")):
            raise ApiError(400, "Cannot delete checkpoint currently selected for inference")
        model["checkpoints"] = [c for c in model["checkpoints"] if c["step"] != step]
        model["updated_at"] = tx.now
        tx.put("model", model["id"], model)
        return Reply(204)
