"""Checkpoints of expert-mode models (the rules: ``domain/training.py``)."""

from __future__ import annotations

from ..context import Ctx, Reply, operation
from ..domain import models, training, views
from ..domain.models import Model
from ..state import Transaction


def _usable_model(tx: Transaction, ctx: Ctx) -> Model:
    model = models.owned(tx, ctx.org, ctx.path["model_id"])
    training.checkpoints_expert_only(model)
    return model


@operation("list-checkpoints")
def list_checkpoints(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
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
    with ctx.mock.store.reading() as tx:
        model = _usable_model(tx, ctx)
        checkpoint = training.checkpoint_read(model, ctx.path["checkpoint_step"])
        return Reply(200, views.checkpoint(model, checkpoint))


@operation("delete-checkpoint")
def delete_checkpoint(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        model = _usable_model(tx, ctx)
        training.delete_checkpoint(tx, model, ctx.path["checkpoint_step"])
        return Reply(204)
