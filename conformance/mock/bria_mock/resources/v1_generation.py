"""The v1 operations: text-to-image and text-to-vector (also from a checkpoint), reimagine (the
model in the path, or in the body on /v1/reimagine), restyle_portrait and generate_prefix (the
rules: ``domain/v1_generation.py``)."""

from __future__ import annotations

from typing import Any

from .. import imaging
from ..context import Ctx, Reply, operation
from ..domain import generation, v1_generation
from ..domain.generation import MAX_SEED
from ..domain.models import Origin
from ..domain.v1_generation import Output
from ..errors import ApiError
from ..fetch import FetchError, fetch_image_ref
from ..imaging import ImageRejected


def _image(data: bytes, ctx: Ctx, what: str) -> tuple[int, int]:
    """Decode an input image (422 when it is not a usable image), moderate it when asked."""
    try:
        img = imaging.open_image(data, ctx.mock.config.max_image_pixels)
    except ImageRejected as exc:
        raise ApiError((422, 400), f"{what}: {exc.message}") from None
    asked = bool(ctx.json.get("content_moderation"))
    v1_generation.input_moderation(data, what, asked, ctx.mock.config)
    return img.size


async def _load(ctx: Ctx, ref: Any, what: str) -> tuple[int, int]:
    if not isinstance(ref, str) or not ref.strip():
        raise ApiError(400, f"{what} must be a non-empty string (a URL or base64 image data)")
    try:
        data = await fetch_image_ref(
            ctx.mock.fetcher,
            ref.strip(),
            base_url=ctx.base_url,
            max_bytes=ctx.mock.config.max_image_bytes,
            what=what,
        )
    except FetchError as exc:
        raise ApiError((*exc.fallbacks, 422, 400), exc.message) from None
    return _image(data, ctx, what)


async def _guidance(ctx: Ctx) -> tuple[int, int] | None:
    """The size of the first guidance image, which sets the output's aspect ratio
    (bria-guide-v1.md § Guidance Methods)."""
    body = ctx.json
    sizes: list[tuple[int, int]] = []
    for x in v1_generation.guidance_methods(body):
        v1_generation.guidance_complete(body, x)
        field = f"guidance_method_{x}_image_file"
        sizes.append(await _load(ctx, body[field], field))
    v1_generation.guidance_same_aspect_ratio(sizes)
    return sizes[0] if sizes else None


async def _image_prompt(ctx: Ctx) -> str:
    body = ctx.json
    images = v1_generation.image_prompt(body)
    if not images:
        return ""
    for what, ref in images:
        await _load(ctx, ref, what)
    return f"{body.get('image_prompt_mode')}:{body.get('image_prompt_scale', '')}:{len(images)}"


def _base_seed(body: dict[str, Any]) -> int:
    return generation.seed_of(body.get("seed"))


def _publish(ctx: Ctx, outputs: list[Output], sync: bool) -> list[dict[str, Any]]:
    cfg = ctx.mock.config
    with ctx.mock.store.transaction() as tx:
        ready_at = tx.now if sync else tx.now + cfg.generation_seconds
        return v1_generation.async_urls(
            tx,
            ctx.org,
            outputs,
            ready_at,
            cfg.request_retention_seconds,
            lambda artefact: ctx.signed(artefact, tx.now),
        )


async def _generate(
    ctx: Ctx, *, vector: bool, checkpoint: int | None, structure: bool, model_id: Any = None
) -> Reply:
    cfg = ctx.mock.config
    body = ctx.json
    model_id = ctx.path["model_id"] if model_id is None else model_id
    with ctx.mock.store.transaction() as tx:
        model = v1_generation.trained_model_only(tx, ctx.org, model_id)
        if checkpoint is not None:
            v1_generation.checkpoint_exists(model, checkpoint)
        if vector:
            v1_generation.vector_illustrative_only(tx, model)
    count = v1_generation.fast_false_one_or_two(body)
    source: tuple[int, int] | None
    if structure:
        what = v1_generation.reimagine_structure(body)
        source = await _load(ctx, body[what], what)
        guide = ""
    else:
        source = await _guidance(ctx)
        guide = await _image_prompt(ctx)
    size = v1_generation.size_for(source, str(body.get("aspect_ratio", "1:1")))
    prompt = v1_generation.prompt_of(body, model)
    warning = generation.ip_warning(prompt, cfg)
    # Unsafe outputs are filtered out of the result (bria-guide-v1.md); the mock treats an output
    # drawn from a prompt holding the moderation marker as unsafe.
    filtered = bool(body.get("content_moderation")) and cfg.moderation_marker in prompt
    base = _base_seed(body)
    outputs = []
    for index in range(count):
        seed = (base + index) % MAX_SEED
        material = "|".join(
            str(part)
            for part in (
                "v1",
                "vector" if vector else "raster",
                model.id,
                checkpoint if checkpoint is not None else model.active_model_version,
                prompt,
                seed,
                size,
                body.get("negative_prompt", ""),
                body.get("model_influence", body.get("tailored_model_influence", 1)),
                body.get("steps_num", ""),
                body.get("fast", True),
                body.get("guidance_method_1", ""),
                body.get("guidance_method_1_scale", ""),
                body.get("guidance_method_2", ""),
                body.get("guidance_method_2_scale", ""),
                body.get("structure_ref_influence", ""),
                guide,
            )
        )
        outputs.append(Output(material, size, vector, seed))
    result = _publish(ctx, [] if filtered else outputs, bool(body.get("sync", False)))
    reply: dict[str, Any] = {"result": result}
    if warning:
        reply["warning"] = warning
    return Reply(200, reply)


@operation("text-to-image-tailored")
async def text_to_image(ctx: Ctx) -> Reply:
    return await _generate(ctx, vector=False, checkpoint=None, structure=False)


@operation("text-to-image-checkpoint-tailored")
async def text_to_image_checkpoint(ctx: Ctx) -> Reply:
    step = int(ctx.path["checkpoint_step"])
    return await _generate(ctx, vector=False, checkpoint=step, structure=False)


@operation("text-to-vector-tailored")
async def text_to_vector(ctx: Ctx) -> Reply:
    return await _generate(ctx, vector=True, checkpoint=None, structure=False)


@operation("text-to-vector-checkpoint-tailored")
async def text_to_vector_checkpoint(ctx: Ctx) -> Reply:
    step = int(ctx.path["checkpoint_step"])
    return await _generate(ctx, vector=True, checkpoint=step, structure=False)


@operation("reimagine-tailored")
async def reimagine_tailored(ctx: Ctx) -> Reply:
    return await _generate(ctx, vector=False, checkpoint=None, structure=True)


@operation("reimagine")
async def reimagine(ctx: Ctx) -> Reply:
    model_id = v1_generation.reimagine_model_in_body(ctx.json)
    return await _generate(ctx, vector=False, checkpoint=None, structure=True, model_id=model_id)


@operation("restyle-portrait")
async def restyle_portrait(ctx: Ctx) -> Reply:
    body = ctx.json
    with ctx.mock.store.transaction() as tx:
        model = v1_generation.trained_model_only(tx, ctx.org, body.get("tailored_model_id"))
        uploaded = model.origin == Origin.UPLOADED
        stored = ctx.mock.store.get_blob(f"model/{model.id}") if uploaded else None
        v1_generation.restyle_compatible_models(model, stored[1] if stored else None)
    what = v1_generation.restyle_needs_portrait(body)
    portrait = await _load(ctx, body[what], what)
    seed = _base_seed(body)
    material = "|".join(
        str(part)
        for part in (
            "restyle",
            model.id,
            portrait,
            seed,
            body.get("tailored_model_influence", ""),
            body.get("id_strength", ""),
            body.get("steps_num", ""),
            body.get("enhance_image", False),
        )
    )
    size = v1_generation.size_for(portrait, "1:1")
    result = _publish(ctx, [Output(material, size, False, seed)], True)
    return Reply(200, {"image_res": result[0]["urls"][0]})


@operation("generate-prefix")
async def generate_prefix(ctx: Ctx) -> Reply:
    body = ctx.json
    field, refs = v1_generation.prefix_image_count(body)
    # If any image fails validation, the request fails (bria-guide-v1.md § Generate Caption Prefix).
    sizes = [await _load(ctx, ref, f"{field}[{i}]") for i, ref in enumerate(refs)]
    return Reply(200, {"prefix": v1_generation.prefix(body, sizes, refs)})
