"""v2 generation with a tailored model: images, structured prompts, image-to-video (the rules:
``domain/generation.py``)."""

from __future__ import annotations

import io
import uuid
from functools import partial
from typing import Any

import anyio.to_thread
from bria_tailored.runtime.webhooks import signing_key
from PIL import Image

from .. import captions
from ..context import Ctx, Reply, operation
from ..documents import StructuredPrompt
from ..domain import generation, webhooks
from ..domain.generation import GenerationRequest, RequestKind, RequestStatus
from ..errors import ApiError
from ..fetch import FetchError, fetch_image_ref
from ..imaging import ImageRejected, open_image
from ..state import Transaction


def _text(body: dict[str, Any], key: str) -> str | None:
    """A text field (a string: the spec checks the type), None when absent or blank."""
    value = body.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _sync_reply(ctx: Ctx, result: dict[str, Any], request_id: str, warning: str | None) -> Reply:
    """Shape a sync 200 after the spec: the result-object form, or flat if that is declared."""
    schema = ctx.op.response_schema(200)
    props = schema.get("properties", {}) if isinstance(schema, dict) else {}
    if "result" in props:
        body: dict[str, Any] = {"result": result, "request_id": request_id}
        # the bundle's flat form, kept alongside wherever the spec still declares it
        body.update({k: v for k, v in result.items() if k in props})
    else:
        body = {**result, "request_id": request_id}
    if warning:
        body["warning"] = warning
    return Reply(200, body)


def _accepted(ctx: Ctx, request_id: str, warning: str | None) -> Reply:
    body: dict[str, Any] = {
        "request_id": request_id,
        "status_url": f"{ctx.base_url.rstrip('/')}/v2/status/{request_id}",
    }
    if warning:
        body["warning"] = warning
    return Reply(202, body)


def _webhook_url(ctx: Ctx) -> str | None:
    url = ctx.json.get("webhook_url")
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
    ctx: Ctx, tx: Transaction, record: GenerationRequest, *, sync: bool, seconds: float
) -> Reply:
    if sync:
        # a sync answer carries the result itself: webhook_url is for jobs that run on
        generation.keep(tx, record, sync=True, seconds=seconds, config=ctx.mock.config)
        result = generation.result_of(record, lambda a: ctx.signed(a, tx.now))
        return _sync_reply(ctx, result, record.id, record.warning)
    _keep_webhook(ctx, tx, record.id, _webhook_url(ctx))
    generation.keep(tx, record, sync=False, seconds=seconds, config=ctx.mock.config)
    return _accepted(ctx, record.id, record.warning)


@operation("image-generate-tailored")
def generate_image(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    body = ctx.json
    prompt = _text(body, "prompt")
    structured = ctx.document("structured_prompt", StructuredPrompt)
    structured_text = structured.text if structured else None
    negative = _text(body, "negative_prompt")
    generation.input_combinations(prompt, structured, body.get("seed"))
    moderated = bool(body.get("prompt_content_moderation", True))
    generation.moderation(moderated, cfg, prompt, structured_text, negative)
    seed = generation.seed_of(body.get("seed"))
    sync = bool(body.get("sync", False))
    with ctx.mock.store.transaction() as tx:
        model = generation.trained_model_only(tx, ctx.org, body.get("tailored_model_id"))
        if structured is None:
            final = generation.translate(model, str(prompt), seed)
        elif prompt is not None:
            final = captions.refine(structured, prompt)
        else:
            final = structured
        aspect = body.get("aspect_ratio", "1:1")
        material = "|".join(
            str(part)
            for part in (
                model.id,
                captions.canonical(final),
                seed,
                aspect,
                body.get("tailored_model_influence", 1),
                body.get("steps_num", 50),
                body.get("guidance_scale", 5),
                negative or "",
            )
        )
        blocked = generation.output_blocked(
            bool(body.get("visual_output_content_moderation", True)), cfg, prompt, structured_text
        )
        if blocked and sync:
            raise ApiError(422, "the generated image was blocked by visual content moderation")
        record = GenerationRequest(
            id=uuid.uuid4().hex,
            org=ctx.org,
            kind=RequestKind.IMAGE,
            status=RequestStatus.IN_PROGRESS,
            model_id=model.id,
            seed=seed,
            prompt=prompt,
            structured_prompt=final.text,
            aspect_ratio=str(aspect),
            material=material,
            warning=generation.ip_warning(prompt, cfg),
            blocked=blocked,
            created_at=tx.now,
        )
        return _reply(ctx, tx, record, sync=sync, seconds=cfg.generation_seconds)


@operation("structured-prompt-generate-tailored")
def generate_structured_prompt(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    body = ctx.json
    given = _text(body, "prompt")
    structured = ctx.document("structured_prompt", StructuredPrompt)
    prompt = generation.structured_prompt_result(given)
    moderated = bool(body.get("prompt_content_moderation", True))
    generation.moderation(moderated, cfg, prompt, structured.text if structured else None)
    seed = generation.seed_of(body.get("seed"))
    sync = bool(body.get("sync", False))
    with ctx.mock.store.transaction() as tx:
        model = generation.trained_model_only(tx, ctx.org, body.get("tailored_model_id"))
        if structured is None:
            final = generation.translate(model, prompt, seed)
        else:
            final = captions.refine(structured, prompt)
        record = GenerationRequest(
            id=uuid.uuid4().hex,
            org=ctx.org,
            kind=RequestKind.STRUCTURED_PROMPT,
            status=RequestStatus.IN_PROGRESS,
            model_id=model.id,
            seed=seed,
            prompt=prompt,
            structured_prompt=final.text,
            warning=generation.ip_warning(prompt, cfg),
            created_at=tx.now,
        )
        return _reply(ctx, tx, record, sync=sync, seconds=cfg.structured_prompt_seconds)


def _video_source(data: bytes, max_pixels: int) -> bytes:
    img = open_image(data, max_pixels).convert("RGB")
    img.thumbnail((768, 768), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


@operation("generate-video-from-tailored-image")
async def generate_video(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    body = ctx.json
    generation.async_only(body.get("sync"))
    image = body.get("image")
    if not isinstance(image, str) or not image.strip():
        raise ApiError(
            400, "image is required: a public URL or a base64 string of the source image"
        )
    hook = _webhook_url(ctx)
    with ctx.mock.store.transaction() as tx:
        generation.trained_model_only(tx, ctx.org, body.get("tailored_model_id"))
    try:
        data = await fetch_image_ref(
            ctx.mock.fetcher,
            image.strip(),
            base_url=ctx.base_url,
            max_bytes=cfg.max_image_bytes,
            what="image",
        )
    except FetchError as exc:
        raise ApiError(exc.fallbacks, exc.message) from None
    try:
        source = await anyio.to_thread.run_sync(partial(_video_source, data, cfg.max_image_pixels))
    except ImageRejected as exc:
        raise ApiError((exc.status, 422, 400), f"Invalid image data: {exc.message}") from None
    seed = generation.seed_of(body.get("seed"))
    with ctx.mock.store.transaction() as tx:
        model = generation.trained_model_only(tx, ctx.org, body.get("tailored_model_id"))
        request_id = uuid.uuid4().hex
        _keep_webhook(ctx, tx, request_id, hook)
        tx.put_blob(f"video-src/{request_id}", "image/png", source)
        record = GenerationRequest(
            id=request_id,
            org=ctx.org,
            kind=RequestKind.VIDEO,
            status=RequestStatus.IN_PROGRESS,
            model_id=model.id,
            seed=seed,
            created_at=tx.now,
        )
        generation.keep(tx, record, sync=False, seconds=cfg.video_seconds, config=cfg)
        return _accepted(ctx, request_id, None)
