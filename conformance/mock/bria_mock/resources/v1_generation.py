"""The v1 operations: text-to-image and text-to-vector (also from a checkpoint), reimagine (the
model in the path, or in the body on /v1/reimagine), restyle_portrait and generate_prefix (the
rules: ``domain/v1_generation.py``)."""

from __future__ import annotations

from typing import Any

from ..context import Ctx, Reply, operation
from ..domain import generation, v1_generation
from ..domain.generation import MAX_SEED, SentId
from ..domain.models import ModelPath, Origin
from ..domain.training import CheckpointPath
from ..domain.v1_generation import (
    GenerateRequest,
    Output,
    PrefixRequest,
    RestyleRequest,
    Sent,
)
from ..fetch import fetch_image_ref


async def _load(ctx: Ctx, request: Sent, ref: Any, what: str) -> tuple[int, int]:
    """The size of an input image, fetched or decoded from base64."""
    text = v1_generation.image_ref(ref, what)
    data = await fetch_image_ref(
        ctx.mock.fetcher,
        text,
        base_url=ctx.base_url,
        max_bytes=ctx.mock.config.max_image_bytes,
        what=what,
    )
    return v1_generation.input_image(data, what, request.content_moderation, ctx.mock.config)


async def _guidance(ctx: Ctx, request: GenerateRequest) -> tuple[int, int] | None:
    """The size of the first guidance image, which sets the output's aspect ratio
    (bria-guide-v1.md § Guidance Methods)."""
    sizes: list[tuple[int, int]] = []
    for x in v1_generation.guidance_methods(request):
        image = v1_generation.guidance_complete(request, x)
        field = f"guidance_method_{x}_image_file"
        sizes.append(await _load(ctx, request, image, field))
    v1_generation.guidance_same_aspect_ratio(sizes)
    return sizes[0] if sizes else None


async def _image_prompt(ctx: Ctx, request: GenerateRequest) -> str:
    images = v1_generation.image_prompt(request)
    if not images:
        return ""
    for what, ref in images:
        await _load(ctx, request, ref, what)
    scale = request.sent("image_prompt_scale", "")
    return f"{request.image_prompt_mode}:{scale}:{len(images)}"


def _publish(ctx: Ctx, outputs: list[Output], sync: bool) -> list[dict[str, Any]]:
    with ctx.mock.store.transaction() as tx:
        return v1_generation.sync_result_urls(
            tx,
            ctx.org,
            outputs,
            sync=sync,
            config=ctx.mock.config,
            sign=lambda artefact: ctx.signed(artefact, tx.now),
        )


async def _generate(
    ctx: Ctx,
    request: GenerateRequest,
    *,
    vector: bool,
    checkpoint: int | None,
    structure: bool,
    model_id: SentId,
) -> Reply:
    cfg = ctx.mock.config
    with ctx.mock.store.transaction() as tx:
        model = v1_generation.trained_model_only(tx, ctx.org, model_id)
        if checkpoint is not None:
            v1_generation.checkpoint_exists(model, checkpoint)
        if vector:
            v1_generation.vector_illustrative_only(tx, model)
    count = v1_generation.fast_false_one_or_two(request)
    source: tuple[int, int] | None
    if structure:
        what, ref = v1_generation.reimagine_structure(request)
        source = await _load(ctx, request, ref, what)
        guide = ""
    else:
        source = await _guidance(ctx, request)
        guide = await _image_prompt(ctx, request)
    size = v1_generation.size_for(source, str(request.sent("aspect_ratio", "1:1")))
    prompt = v1_generation.prompt_of(request, model)
    warning = v1_generation.ip_warning(prompt, cfg)
    base = generation.seed_of(request.seed)
    outputs = []
    for index in range(count):
        seed = (base + index) % MAX_SEED
        material = v1_generation.deterministic(
            request,
            vector=vector,
            model=model,
            checkpoint=checkpoint,
            prompt=prompt,
            seed=seed,
            size=size,
            guide=guide,
        )
        outputs.append(Output(material, size, vector, seed))
    filtered = v1_generation.unsafe_filtered(request, prompt, cfg)
    result = _publish(ctx, [] if filtered else outputs, request.sync)
    reply: dict[str, Any] = {"result": result}
    if warning:
        reply["warning"] = warning
    return Reply(200, reply)


async def _text_to(ctx: Ctx, *, vector: bool, from_checkpoint: bool) -> Reply:
    """text-to-image and text-to-vector, from the model's active checkpoint or a named one."""
    checkpoint = None
    if from_checkpoint:
        path = ctx.parse_path(CheckpointPath)
        model_id, checkpoint = path.model_id, path.checkpoint_step
    else:
        model_id = ctx.parse_path(ModelPath).model_id
    request = ctx.parse(GenerateRequest)
    return await _generate(
        ctx, request, vector=vector, checkpoint=checkpoint, structure=False, model_id=model_id
    )


@operation("text-to-image-tailored")
async def text_to_image(ctx: Ctx) -> Reply:
    return await _text_to(ctx, vector=False, from_checkpoint=False)


@operation("text-to-image-checkpoint-tailored")
async def text_to_image_checkpoint(ctx: Ctx) -> Reply:
    return await _text_to(ctx, vector=False, from_checkpoint=True)


@operation("text-to-vector-tailored")
async def text_to_vector(ctx: Ctx) -> Reply:
    return await _text_to(ctx, vector=True, from_checkpoint=False)


@operation("text-to-vector-checkpoint-tailored")
async def text_to_vector_checkpoint(ctx: Ctx) -> Reply:
    return await _text_to(ctx, vector=True, from_checkpoint=True)


@operation("reimagine-tailored")
async def reimagine_tailored(ctx: Ctx) -> Reply:
    request = ctx.parse(GenerateRequest)
    model_id = ctx.parse_path(ModelPath).model_id
    return await _generate(
        ctx, request, vector=False, checkpoint=None, structure=True, model_id=model_id
    )


@operation("reimagine")
async def reimagine(ctx: Ctx) -> Reply:
    request = ctx.parse(GenerateRequest)
    model_id = v1_generation.reimagine_model_in_body(request)
    return await _generate(
        ctx, request, vector=False, checkpoint=None, structure=True, model_id=model_id
    )


@operation("restyle-portrait")
async def restyle_portrait(ctx: Ctx) -> Reply:
    request = ctx.parse(RestyleRequest)
    with ctx.mock.store.transaction() as tx:
        model = v1_generation.trained_model_only(tx, ctx.org, request.tailored_model_id)
        uploaded = model.origin == Origin.UPLOADED
        stored = ctx.mock.store.get_blob(f"model/{model.id}") if uploaded else None
        v1_generation.restyle_compatible_models(model, stored[1] if stored else None)
    what, ref = v1_generation.restyle_needs_portrait(request)
    portrait = await _load(ctx, request, ref, what)
    seed = generation.seed_of(request.seed)
    material = v1_generation.restyled(request, model, portrait, seed)
    size = v1_generation.size_for(portrait, "1:1")
    result = _publish(ctx, [Output(material, size, False, seed)], True)
    return Reply(200, {"image_res": result[0]["urls"][0]})


@operation("generate-prefix")
async def generate_prefix(ctx: Ctx) -> Reply:
    request = ctx.parse(PrefixRequest)
    field, refs = v1_generation.prefix_image_count(request)
    # If any image fails validation, the request fails (bria-guide-v1.md § Generate Caption Prefix).
    sizes = [await _load(ctx, request, ref, f"{field}[{i}]") for i, ref in enumerate(refs)]
    return Reply(200, {"prefix": v1_generation.prefix(request, sizes, refs)})
