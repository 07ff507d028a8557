"""The v2 Status Service: every async generation is completed through ``GET /v2/status/{id}``.

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
status.values, webhooks.signed-delivery.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from ..context import Ctx, Reply, operation
from ..domain import webhooks
from ..errors import ApiError
from ..records import GenerationRequest, RequestDue
from ..state import EventHandler, Transaction

OUTPUT_BLOCKED = {
    "code": 422,
    "message": "Unprocessable Entity",
    "details": "the generated image was blocked by visual content moderation",
}


def finish(tx: Transaction, record: GenerationRequest, when: float, retention: float) -> None:
    if record.blocked:
        record.status = "ERROR"
        record.error = dict(OUTPUT_BLOCKED)
    else:
        record.status = "COMPLETED"
    record.done_at = when
    tx.schedule(when + retention, "request.expire", RequestDue(request_id=record.id))


class Signs(Protocol):
    """What a status view needs: signed URLs of the results (a request's Ctx, or a sender's)."""

    def signed(self, artefact: str, now: float) -> str: ...


def result_of(ctx: Signs, record: GenerationRequest, now: float) -> dict[str, Any]:
    if record.kind == "video":
        return {"video_url": ctx.signed(f"videos/{record.id}.mp4", now), "seed": record.seed}
    result: dict[str, Any] = {"structured_prompt": record.structured_prompt, "seed": record.seed}
    if record.kind == "image":
        result = {"image_url": ctx.signed(f"generated/{record.id}.png", now), **result}
    if record.prompt:
        result["prompt"] = record.prompt
    return result


def view(ctx: Signs, record: GenerationRequest, now: float) -> dict[str, Any]:
    out: dict[str, Any] = {"request_id": record.id, "status": record.status}
    if record.status == "COMPLETED":
        out["result"] = result_of(ctx, record, now)
    elif record.status == "ERROR":
        out["error"] = record.error
    if record.warning:
        out["warning"] = record.warning
    return out


@operation("get_status")
def get_status(ctx: Ctx) -> Reply:
    request_id = str(ctx.path["request_id"])
    with ctx.mock.store.transaction() as tx:
        record = tx.get(GenerationRequest, request_id)
        if record is None or record.org != ctx.org:
            raise ApiError(404, f"request {request_id[:64]!r} does not exist or has expired")
        return Reply(200, view(ctx, record, tx.now))


def on_done(tx: Transaction, data: RequestDue, due: float) -> None:
    record = tx.get(GenerationRequest, data["request_id"])
    if record is None or record.status != "IN_PROGRESS":
        return
    finish(tx, record, due, tx.store.config.request_retention_seconds)
    tx.put(record)
    webhooks.job_finished(tx, record.id, time.time())


def on_expire(tx: Transaction, data: RequestDue, due: float) -> None:
    record = tx.delete(GenerationRequest, data["request_id"])
    if record is not None and record.kind == "video":
        tx.delete_blob(f"video-src/{record.id}")


EVENTS: dict[str, EventHandler] = {"request.done": on_done, "request.expire": on_expire}
