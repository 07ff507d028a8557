"""The v2 Status Service: ``GET /v2/status/{id}`` (the rules: ``domain/generation.py``; the
webhook a job may be delivered to: ``domain/webhooks.py``)."""

from __future__ import annotations

from ..context import Ctx, Reply, operation
from ..domain import generation
from ..domain.generation import StatusPath


@operation("get_status")
def get_status(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        record = generation.status_values(tx, ctx.org, ctx.parse_path(StatusPath).request_id)
        return Reply(200, generation.status_view(record, lambda a: ctx.signed(a, tx.now)))
