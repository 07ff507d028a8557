"""v2 generation with a tailored model: images, structured prompts, image-to-video (the rules:
``domain/generation.py``)."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

import anyio.to_thread
from bria_tailored.runtime.webhooks import signing_key

from ..context import Ctx, Reply, operation
from ..domain import generation, webhooks
from ..domain.generation import GenerationRequest, ImageRequest, VideoRequest
from ..fetch import fetch_image_ref
from ..state import Transaction


def _sync_reply(ctx: Ctx, result: dict[str, Any], request_id: str, warning: str | None) -> Reply:
    """Shape a sync 200 after the spec: the result-object form, or flat if that is declared."""
    schema = ctx.op.response_schema(200)
    props = schema.get("properties", {}) if isinstance(schema, dict) else {}
    if "result" in props:
        out: dict[str, Any] = {"result": result, "request_id": request_id}
        # the bundle's flat form, kept alongside wherever the spec still declares it
        out.update({k: v for k, v in result.items() if k in props})
    else:
        out = {**result, "request_id": request_id}
    if warning:
        out["warning"] = warning
    return Reply(200, out)


def _accepted(ctx: Ctx, request_id: str, warning: str | None) -> Reply:
    out: dict[str, Any] = {
        "request_id": request_id,
        "status_url": f"{ctx.base_url.rstrip('/')}/v2/status/{request_id}",
    }
    if warning:
        out["warning"] = warning
    return Reply(202, out)


def _webhook_url(ctx: Ctx, url: str | None) -> str | None:
    return None if url is None else webhooks.signed_delivery(url, ctx.mock.config)


def _keep_webhook(ctx: Ctx, tx: Transaction, request_id: str, url: str | None) -> None:
    if url is not None:
        webhooks.enqueue(
            tx,
            request_id=request_id,
            org=ctx.org,
            url=url,
            base_url=ctx.base_url,
            key=signing_key(ctx.token),
            config=ctx.mock.config,
        )


def _reply(
    ctx: Ctx,
    tx: Transaction,
    record: GenerationRequest,
    request: ImageRequest,
    seconds: float,
) -> Reply:
    if request.sync:
        # a sync answer carries the result itself: webhook_url is for jobs that run on
        generation.sync_result(tx, record, ctx.mock.config)
        result = generation.result_of(record, lambda a: ctx.signed(a, tx.now))
        return _sync_reply(ctx, result, record.id, record.warning)
    _keep_webhook(ctx, tx, record.id, _webhook_url(ctx, request.webhook_url))
    generation.async_default(tx, record, seconds)
    return _accepted(ctx, record.id, record.warning)


@operation("image-generate-tailored")
def generate_image(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    request = ctx.parse(ImageRequest)
    prompt, structured = request.prompt_text, request.structured_text
    generation.input_combinations(prompt, request.structured_prompt, request.seed)
    generation.moderation(
        request.prompt_content_moderation, cfg, prompt, structured, request.negative_text
    )
    seed = generation.seed_of(request.seed)
    with ctx.mock.store.transaction() as tx:
        model = generation.trained_model_only(tx, ctx.org, request.tailored_model_id)
        final = generation.final_prompt(model, request, seed)
        blocked = generation.output_blocked(
            request.visual_output_content_moderation, request.sync, cfg, prompt, structured
        )
        record = generation.image_request(
            tx, ctx.org, model, request, final, seed, blocked=blocked, config=cfg
        )
        return _reply(ctx, tx, record, request, cfg.generation_seconds)


@operation("structured-prompt-generate-tailored")
def generate_structured_prompt(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    request = ctx.parse(ImageRequest)
    prompt = generation.structured_prompt_result(request.prompt_text)
    generation.moderation(request.prompt_content_moderation, cfg, prompt, request.structured_text)
    seed = generation.seed_of(request.seed)
    with ctx.mock.store.transaction() as tx:
        model = generation.trained_model_only(tx, ctx.org, request.tailored_model_id)
        final = generation.final_prompt(model, request, seed)
        record = generation.structured_prompt_request(tx, ctx.org, model, prompt, final, seed, cfg)
        return _reply(ctx, tx, record, request, cfg.structured_prompt_seconds)


@operation("generate-video-from-tailored-image")
async def generate_video(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    request = ctx.parse(VideoRequest)
    generation.async_only(request.sync)
    image = generation.video_required_fields(request)
    hook = _webhook_url(ctx, request.webhook_url)
    with ctx.mock.store.transaction() as tx:
        generation.trained_model_only(tx, ctx.org, request.tailored_model_id)
    data = await fetch_image_ref(
        ctx.mock.fetcher,
        image,
        base_url=ctx.base_url,
        max_bytes=cfg.max_image_bytes,
        what="image",
    )
    source = await anyio.to_thread.run_sync(
        partial(generation.video_source, data, cfg.max_image_pixels)
    )
    seed = generation.seed_of(request.seed)
    with ctx.mock.store.transaction() as tx:
        model = generation.trained_model_only(tx, ctx.org, request.tailored_model_id)
        request_id = uuid.uuid4().hex
        _keep_webhook(ctx, tx, request_id, hook)
        record = generation.video_request(tx, request_id, ctx.org, model, seed, source)
        generation.async_default(tx, record, cfg.video_seconds)
        return _accepted(ctx, request_id, None)
