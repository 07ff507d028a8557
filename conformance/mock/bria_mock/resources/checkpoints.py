"""Checkpoints of expert-mode models (the rules: ``domain/training.py``)."""

from __future__ import annotations

from ..context import Ctx, Reply, operation
from ..domain import models, training, views
from ..domain.models import Model, ModelPath
from ..domain.training import CheckpointPath
from ..state import Transaction


def _usable_model(tx: Transaction, ctx: Ctx, model_id: int) -> Model:
    model = models.owned(tx, ctx.org, model_id)
    training.checkpoints_expert_only(model)
    return model


@operation("list-checkpoints")
def list_checkpoints(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        model = _usable_model(tx, ctx, ctx.parse_path(ModelPath).model_id)
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
    path = ctx.parse_path(CheckpointPath)
    with ctx.mock.store.reading() as tx:
        model = _usable_model(tx, ctx, path.model_id)
        checkpoint = training.checkpoint_read(model, path.checkpoint_step)
        return Reply(200, views.checkpoint(model, checkpoint))


@operation("delete-checkpoint")
def delete_checkpoint(ctx: Ctx) -> Reply:
    path = ctx.parse_path(CheckpointPath)
    with ctx.mock.store.transaction() as tx:
        model = _usable_model(tx, ctx, path.model_id)
        training.delete_checkpoint(tx, model, path.checkpoint_step)
        return Reply(204)
