"""v2 generation with a tailored model: images, structured prompts, image-to-video.

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
generate.trained-model-only, generate.input-combinations, generate.sync-result,
generate.async-default, generate.ip-warning, generate.moderation, structured-prompt.result,
video.async-only.
"""

from __future__ import annotations

import io
import re
import secrets
import uuid
from functools import partial
from typing import Any

import anyio.to_thread
from bria_tailored.runtime.webhooks import signing_key
from PIL import Image

from .. import captions
from ..context import Ctx, Reply, operation
from ..documents import StructuredPrompt, VisualSchema
from ..domain import webhooks
from ..errors import ApiError
from ..fetch import FetchError, fetch_image_ref
from ..imaging import ImageRejected, open_image
from ..records import GenerationRequest, Model, RequestDue
from ..state import Transaction
from ..validation import ascii_int
from . import status as status_mod

IP_WARNING = (
    "This prompt may contain intellectual property (IP)-protected content. "
    "To ensure compliance and safety, certain elements may be omitted or altered. "
    "As a result, the output may not fully meet your request."
)
READY = ("Completed", "completed")
MAX_SEED = 2**31 - 1


def _model_id(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    number = ascii_int(raw) if isinstance(raw, str) else None
    if number is not None:
        return number
    raise ApiError(
        (404, 400), f"tailored_model_id {str(raw)[:40]!r} is not the id of a tailored model"
    )


def model_for_generation(tx: Transaction, ctx: Ctx) -> Model:
    # tailored_model_id is required (checked by the spec)
    model_id = _model_id(ctx.json.get("tailored_model_id"))
    model = tx.get(Model, model_id)
    if model is None:
        raise ApiError((404, 400), f"Model {model_id} not found")
    if model.org != ctx.org:
        raise ApiError(403, f"Access denied: model {model_id} does not belong to your organization")
    if model.status not in READY:
        raise ApiError(
            (409, 400),
            f"model {model_id} is {model.status}; only a completed model can generate",
        )
    return model


def _text(body: dict[str, Any], key: str) -> str | None:
    """A text field (a string: the spec checks the type), None when absent or blank."""
    value = body.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _seed(body: dict[str, Any]) -> int:
    """The given seed (an integer: the spec checks the type), else a random one."""
    seed = body.get("seed")
    return secrets.randbelow(MAX_SEED) if seed is None else int(seed)


def _moderate_input(ctx: Ctx, *texts: str | None) -> None:
    marker = ctx.mock.config.moderation_marker
    if ctx.json.get("prompt_content_moderation", True) and any(t and marker in t for t in texts):
        raise ApiError(422, "the prompt was blocked by content moderation")


def _ip_warning(ctx: Ctx, prompt: str | None) -> str | None:
    if not prompt:
        return None
    lowered = prompt.lower()
    for term in ctx.mock.config.ip_terms:
        if re.search(r"(?<!\w)" + re.escape(term.lower()) + r"(?!\w)", lowered):
            return IP_WARNING
    return None


def _translate(model: Model, prompt: str, seed: int) -> StructuredPrompt:
    schema = VisualSchema.stored(model.visual_schema) if model.visual_schema else None
    return captions.structured_prompt(schema, prompt, seed)


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
    return None if url is None else webhooks.check_url(url, ctx.mock.config)


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


def _store_request(
    ctx: Ctx, tx: Transaction, record: GenerationRequest, *, sync: bool, seconds: float
) -> Reply:
    """Keep a generation request: finished at once and answered 200 when ``sync``, else due in
    ``seconds`` on the virtual clock and answered 202 with its status URL."""
    request_id, warning = record.id, record.warning
    if sync:
        # a sync answer carries the result itself: webhook_url is for jobs that run on
        status_mod.finish(tx, record, tx.now, ctx.mock.config.request_retention_seconds)
        tx.put(record)
        return _sync_reply(ctx, status_mod.result_of(ctx, record, tx.now), request_id, warning)
    _keep_webhook(ctx, tx, request_id, _webhook_url(ctx))
    tx.put(record)
    tx.schedule(tx.now + seconds, "request.done", RequestDue(request_id=request_id))
    return _accepted(ctx, request_id, warning)


@operation("image-generate-tailored")
def generate_image(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    body = ctx.json
    prompt = _text(body, "prompt")
    structured = ctx.document("structured_prompt", StructuredPrompt)
    negative = _text(body, "negative_prompt")
    if prompt is None and structured is None:
        raise ApiError(400, "send a prompt, a structured_prompt with its seed, or both")
    if structured is not None and prompt is None and body.get("seed") is None:
        raise ApiError(
            400, "recreating an image from a structured_prompt requires the seed it was made with"
        )
    _moderate_input(ctx, prompt, structured.text if structured else None, negative)
    seed = _seed(body)
    sync = bool(body.get("sync", False))
    with ctx.mock.store.transaction() as tx:
        model = model_for_generation(tx, ctx)
        if structured is None:
            final = _translate(model, str(prompt), seed)
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
        blocked = bool(body.get("visual_output_content_moderation", True)) and any(
            t and cfg.moderation_marker in t
            for t in (prompt, structured.text if structured else None)
        )
        if blocked and sync:
            raise ApiError(422, "the generated image was blocked by visual content moderation")
        warning = _ip_warning(ctx, prompt)
        request_id = uuid.uuid4().hex
        record = GenerationRequest(
            id=request_id,
            org=ctx.org,
            kind="image",
            status="IN_PROGRESS",
            model_id=model.id,
            seed=seed,
            prompt=prompt,
            structured_prompt=final.text,
            aspect_ratio=str(aspect),
            material=material,
            warning=warning,
            blocked=blocked,
            created_at=tx.now,
        )
        return _store_request(ctx, tx, record, sync=sync, seconds=cfg.generation_seconds)


@operation("structured-prompt-generate-tailored")
def generate_structured_prompt(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    body = ctx.json
    prompt = _text(body, "prompt")
    structured = ctx.document("structured_prompt", StructuredPrompt)
    if prompt is None:
        raise ApiError(
            400,
            "send a prompt (text only) or a structured_prompt with a prompt (refinement); "
            "a structured_prompt alone is not a valid combination",
        )
    _moderate_input(ctx, prompt, structured.text if structured else None)
    seed = _seed(body)
    sync = bool(body.get("sync", False))
    with ctx.mock.store.transaction() as tx:
        model = model_for_generation(tx, ctx)
        if structured is None:
            final = _translate(model, prompt, seed)
        else:
            final = captions.refine(structured, prompt)
        warning = _ip_warning(ctx, prompt)
        request_id = uuid.uuid4().hex
        record = GenerationRequest(
            id=request_id,
            org=ctx.org,
            kind="structured_prompt",
            status="IN_PROGRESS",
            model_id=model.id,
            seed=seed,
            prompt=prompt,
            structured_prompt=final.text,
            warning=warning,
            created_at=tx.now,
        )
        return _store_request(ctx, tx, record, sync=sync, seconds=cfg.structured_prompt_seconds)


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
    if body.get("sync"):
        raise ApiError(
            400, "image-to-video is asynchronous only; omit sync and poll the status_url"
        )
    image = body.get("image")
    if not isinstance(image, str) or not image.strip():
        raise ApiError(
            400, "image is required: a public URL or a base64 string of the source image"
        )
    hook = _webhook_url(ctx)
    with ctx.mock.store.transaction() as tx:
        model_for_generation(tx, ctx)
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
    seed = _seed(body)
    with ctx.mock.store.transaction() as tx:
        model = model_for_generation(tx, ctx)
        request_id = uuid.uuid4().hex
        _keep_webhook(ctx, tx, request_id, hook)
        tx.put_blob(f"video-src/{request_id}", "image/png", source)
        tx.put(
            GenerationRequest(
                id=request_id,
                org=ctx.org,
                kind="video",
                status="IN_PROGRESS",
                model_id=model.id,
                seed=seed,
                created_at=tx.now,
            )
        )
        tx.schedule(tx.now + cfg.video_seconds, "request.done", RequestDue(request_id=request_id))
        return _accepted(ctx, request_id, None)
