"""Checkpoints of expert-mode models, saved every ``checkpoint_interval`` steps during training.

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
training.checkpoints-expert-only, training.checkpoint-read, training.active-checkpoint-kept.
"""

from __future__ import annotations

from .. import access
from ..context import Ctx, Reply, operation
from ..domain import views
from ..errors import ApiError
from ..records import Checkpoint, Model
from ..state import Transaction


def _usable_model(tx: Transaction, ctx: Ctx) -> Model:
    model = access.model(tx, ctx.org, ctx.path["model_id"])
    if model.training_mode != "expert":
        raise ApiError(400, "Checkpoints are only available for models trained in expert mode")
    if model.status != "Completed":
        raise ApiError(400, "The model status is not completed")
    return model


def _find(model: Model, step: int) -> Checkpoint:
    for checkpoint in model.checkpoints:
        if checkpoint.step == step:
            return checkpoint
    raise ApiError(404, f"Checkpoint not found: model {model.id} has no checkpoint at step {step}")


@operation("list-checkpoints")
def list_checkpoints(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        model = _usable_model(tx, ctx)
        ordered = sorted(model.checkpoints, key=lambda c: c.step)
        return Reply(
            200,
            {
                "checkpoints": [views.checkpoint(model, c) for c in ordered],
                "active_model_version": model.active_model_version,
            },
        )


@operation("get-checkpoint")
def get_checkpoint(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        model = _usable_model(tx, ctx)
        return Reply(200, views.checkpoint(model, _find(model, ctx.path["checkpoint_step"])))


@operation("delete-checkpoint")
def delete_checkpoint(ctx: Ctx) -> Reply:
    step = ctx.path["checkpoint_step"]
    with ctx.mock.store.transaction() as tx:
        model = _usable_model(tx, ctx)
        _find(model, step)
        if str(step) == model.active_model_version:
            raise ApiError(400, "Cannot delete checkpoint currently selected for inference")
        model.checkpoints = [c for c in model.checkpoints if c.step != step]
        model.updated_at = tx.now
        tx.put(model)
        return Reply(204)
