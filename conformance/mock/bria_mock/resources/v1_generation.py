"""The eight v1 operations Bria documents in prose only (overlays/80-v1-generation.yaml):
text-to-image and text-to-vector with a tailored model (and from a checkpoint), reimagine with a
tailored model (named in the path, or in the body on /v1/reimagine), restyle_portrait and
generate_prefix.

v1 answers 200 in both modes: with ``sync=false`` the image URLs come at once and answer 404
until the images are ready (docs.bria.ai text-to-vector-tailored, `sync`), which is how the mock
keeps the outputs: one ``v1output`` record per image, rendered on fetch from its stored material.

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
v1gen.trained-model-only, v1gen.checkpoint-exists, v1gen.vector-illustrative-only,
v1gen.guidance-same-aspect-ratio, v1gen.image-prompt, v1gen.fast-false-one-or-two,
v1gen.sync-result-urls, v1gen.async-urls, v1gen.deterministic, v1gen.input-moderation,
v1gen.ip-warning, v1gen.reimagine-structure, v1gen.reimagine-model-in-body,
v1gen.restyle-compatible-models,
v1gen.restyle-needs-portrait, v1gen.prefix-image-count, v1gen.prefix-ip-types.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from .. import imaging
from ..context import Ctx, Reply, operation
from ..documents import SafetensorsRejected, read_safetensors_header
from ..errors import ApiError
from ..fetch import FetchError, fetch_image_ref
from ..imaging import ImageRejected
from ..records import Model, OutputDue, Project, V1Output
from ..state import EventHandler, Transaction
from .generation import MAX_SEED, READY, _ip_warning

# Our choice: no Bria document gives an upper bound for num_results; fal.ai's listing of Bria's
# text-to-image states 1-4, and a mock needs some bound.
MAX_RESULTS = 4
# One aspect ratio for all guidance images (bria-guide-v1.md § Guidance Methods); ratios closer
# than this count as equal, so 1024x768 and 1000x750 agree.
RATIO_TOLERANCE = 0.01
OUTPUT_AREA = 1024 * 1024


@dataclass(frozen=True)
class Output:
    """One generated image: what it is drawn from, and when its URL starts answering."""

    material: str
    size: tuple[int, int]
    vector: bool
    seed: int


# --- models ---


def trained_model(tx: Transaction, ctx: Ctx, raw_id: Any) -> Model:
    """A Completed model of the caller (same answers as the v2 operations: catalog entry
    generate.trained-model-only)."""
    if not isinstance(raw_id, int) or isinstance(raw_id, bool):
        raise ApiError(400, f"the model id must be an integer, got {str(raw_id)[:40]!r}")
    model = tx.get(Model, raw_id)
    if model is None:
        raise ApiError(404, f"Model {raw_id} not found")
    if model.org != ctx.org:
        raise ApiError(403, f"Access denied: model {raw_id} does not belong to your organization")
    if model.status not in READY:
        raise ApiError(
            400,
            f"model {raw_id} is {model.status}; only a Completed model can generate "
            "(start its training and wait until GET /v1/tailored-gen/models/{id} says Completed)",
        )
    return model


def _checkpoint(model: Model, step: int) -> None:
    steps = sorted(c.step for c in model.checkpoints)
    if step not in steps:
        listed = ", ".join(str(s) for s in steps) or "none (only expert-mode trainings save them)"
        raise ApiError(
            404,
            f"Checkpoint not found: model {model.id} has no checkpoint at step {step}; "
            f"its checkpoints: {listed}",
        )


def _illustrative(tx: Transaction, model: Model) -> None:
    project = tx.get(Project, model.project_id)
    medium = project.ip_medium if project is not None else None
    if medium != "illustration":
        raise ApiError(
            400,
            f"text-to-vector works only with models of the illustrative domain; model "
            f"{model.id} belongs to a project with ip_medium {medium!r} (use text-to-image)",
        )


def _based_on_bria_23(ctx: Ctx, model: Model) -> bool:
    """An uploaded model is 2.3-based when its .safetensors metadata says so (our choice: the
    upload operation has no field for the base model, so the file's own metadata decides)."""
    blob = ctx.mock.store.get_blob(f"model/{model.id}")
    if blob is None:
        return False
    try:
        header = read_safetensors_header(blob[1])
    except SafetensorsRejected:
        return False
    text = " ".join(header.metadata.values()).lower()
    return "2.3" in text and "bria" in text


def restyle_compatible(ctx: Ctx, model: Model) -> bool:
    version = (model.training_version or "").lower()
    if model.origin == "uploaded":
        return _based_on_bria_23(ctx, model)
    if version == "light":
        return True
    return version == "2.3" and model.training_mode == "expert"


# --- inputs ---


def _image(data: bytes, ctx: Ctx, what: str) -> tuple[int, int]:
    """Decode an input image (422 when it is not a usable image), moderate it when asked."""
    try:
        img = imaging.open_image(data, ctx.mock.config.max_image_pixels)
    except ImageRejected as exc:
        raise ApiError((422, 400), f"{what}: {exc.message}") from None
    if ctx.json.get("content_moderation") and imaging.contains_marker(
        data, ctx.mock.config.moderation_marker
    ):
        raise ApiError(422, f"{what} was blocked by content moderation; the request was stopped")
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


def _ratio(size: tuple[int, int]) -> float:
    return size[0] / size[1]


async def _guidance(ctx: Ctx) -> tuple[int, int] | None:
    """Check the ControlNet fields; the size of the first guidance image, which sets the output's
    aspect ratio (bria-guide-v1.md § Guidance Methods)."""
    body = ctx.json
    used = [x for x in (1, 2) if body.get(f"guidance_method_{x}") is not None]
    if 2 in used and 1 not in used:
        raise ApiError(
            400,
            "guidance_method_2 requires guidance_method_1; "
            "to use one method, use guidance_method_1",
        )
    for x in (1, 2):
        extras = [f"guidance_method_{x}_{f}" for f in ("scale", "image_file") if f in body]
        if x not in used and extras:
            raise ApiError(400, f"{', '.join(extras)} given without guidance_method_{x}")
    sizes: list[tuple[int, int]] = []
    for x in used:
        missing = [
            f"guidance_method_{x}_{f}"
            for f in ("scale", "image_file")
            if body.get(f"guidance_method_{x}_{f}") is None
        ]
        if missing:
            raise ApiError(
                400,
                f"guidance_method_{x} needs an image and a scale: send {' and '.join(missing)}",
            )
        sizes.append(
            await _load(
                ctx, body[f"guidance_method_{x}_image_file"], f"guidance_method_{x}_image_file"
            )
        )
    if len(sizes) == 2 and abs(_ratio(sizes[0]) - _ratio(sizes[1])) > RATIO_TOLERANCE * _ratio(
        sizes[0]
    ):
        raise ApiError(
            400,
            "all guidance images must have the same aspect ratio: guidance_method_1_image_file "
            f"is {sizes[0][0]}x{sizes[0][1]}, "
            f"guidance_method_2_image_file {sizes[1][0]}x{sizes[1][1]}",
        )
    return sizes[0] if sizes else None


async def _image_prompt(ctx: Ctx) -> str:
    body = ctx.json
    mode = body.get("image_prompt_mode")
    images = (
        [("image_prompt_file", body["image_prompt_file"])] if "image_prompt_file" in body else []
    )
    urls = body.get("image_prompt_urls")
    if urls is not None:
        images += [(f"image_prompt_urls[{i}]", u) for i, u in enumerate(urls)]
    if mode is None:
        if images or "image_prompt_scale" in body:
            raise ApiError(
                400,
                "image_prompt_file / image_prompt_urls / image_prompt_scale need image_prompt_mode "
                "(regular or style_only)",
            )
        return ""
    if not images:
        raise ApiError(
            400,
            f"image_prompt_mode {mode!r} needs an image: "
            "send image_prompt_file or image_prompt_urls",
        )
    for what, ref in images:
        await _load(ctx, ref, what)
    return f"{mode}:{body.get('image_prompt_scale', '')}:{len(images)}"


def _num_results(body: dict[str, Any]) -> int:
    count = body.get("num_results", 1)
    if count > MAX_RESULTS:
        raise ApiError(400, f"num_results must be between 1 and {MAX_RESULTS}, got {count}")
    if body.get("fast") is False and count > 2:
        raise ApiError(400, f"with fast=false only num_results 1 or 2 are supported, got {count}")
    return int(count)


def _base_seed(body: dict[str, Any]) -> int:
    seed = body.get("seed")
    return secrets.randbelow(MAX_SEED) if seed is None else int(seed)


def _prompt(body: dict[str, Any], model: Model) -> str:
    prompt = str(body.get("prompt") or "")
    # Our choice: the prefix is included unless include_generation_prefix=false. Bria's ComfyUI
    # node sends false and prepends the prefix itself, which it would not need to if the
    # server's default were false.
    if body.get("include_generation_prefix", True) and model.generation_prefix:
        return f"{model.generation_prefix} {prompt}".strip()
    return prompt


def _size_for(ratio_source: tuple[int, int] | None, aspect: str) -> tuple[int, int]:
    if ratio_source is None:
        return imaging.ASPECT_SIZES.get(aspect, imaging.ASPECT_SIZES["1:1"])
    ratio = _ratio(ratio_source)
    height = (OUTPUT_AREA / ratio) ** 0.5
    return (max(8, round(height * ratio / 8) * 8), max(8, round(height / 8) * 8))


# --- outputs ---


def _publish(
    ctx: Ctx, tx: Transaction, outputs: list[Output], ready_at: float
) -> list[dict[str, Any]]:
    result = []
    for out in outputs:
        key = uuid.uuid4().hex
        tx.put(
            V1Output(
                id=key,
                org=ctx.org,
                material=out.material,
                width=out.size[0],
                height=out.size[1],
                vector=out.vector,
                ready_at=ready_at,
            )
        )
        tx.schedule(
            ready_at + ctx.mock.config.request_retention_seconds,
            "v1output.expire",
            OutputDue(id=key),
        )
        suffix = "svg" if out.vector else "png"
        url = ctx.signed(f"tailored/{key}.{suffix}", tx.now)
        result.append({"urls": [url], "seed": out.seed, "uuid": key})
    return result


def render_svg(material: str, size: tuple[int, int]) -> bytes:
    """A deterministic vector graphic: same material, same bytes."""
    rng = random.Random(hashlib.sha256(material.encode()).digest())
    width, height = size

    def colour() -> str:
        return "#" + "".join(f"{rng.randrange(256):02x}" for _ in range(3))

    shapes = [f'<rect width="{width}" height="{height}" fill="{colour()}"/>']
    for _ in range(rng.randrange(4, 9)):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(width // 10, width // 2), rng.randrange(height // 10, height // 2)
        if rng.random() < 0.5:
            shapes.append(
                f'<ellipse cx="{x}" cy="{y}" rx="{w // 2}" ry="{h // 2}" fill="{colour()}"/>'
            )
        else:
            shapes.append(
                f'<path d="M{x} {y} l{w} 0 l{-w // 2} {h} z" fill="{colour()}" '
                f'stroke="{colour()}" stroke-width="{rng.randrange(1, 9)}"/>'
            )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">' + "".join(shapes) + "</svg>\n"
    )
    return svg.encode()


def is_ready(record: V1Output, now: float) -> bool:
    """With sync=false an output URL answers 404 until its image is ready."""
    return now >= record.ready_at


def artefact(record: V1Output) -> tuple[str, bytes]:
    """The bytes behind a v1 output URL, drawn from the record's material."""
    size = (record.width, record.height)
    if record.vector:
        return ("image/svg+xml", render_svg(record.material, size))
    return ("image/png", imaging.render(record.material, size=size))


def on_expire(tx: Transaction, data: OutputDue, due: float) -> None:
    tx.delete(V1Output, data["id"])


EVENTS: dict[str, EventHandler] = {"v1output.expire": on_expire}


# --- text-to-image / text-to-vector / reimagine ---


async def _generate(
    ctx: Ctx, *, vector: bool, checkpoint: int | None, structure: bool, model_id: Any = None
) -> Reply:
    cfg = ctx.mock.config
    body = ctx.json
    model_id = ctx.path["model_id"] if model_id is None else model_id
    with ctx.mock.store.transaction() as tx:
        model = trained_model(tx, ctx, model_id)
        if checkpoint is not None:
            _checkpoint(model, checkpoint)
        if vector:
            _illustrative(tx, model)
    count = _num_results(body)
    source: tuple[int, int] | None
    if structure:
        source = await _structure(ctx)
        guide = ""
    else:
        source = await _guidance(ctx)
        guide = await _image_prompt(ctx)
    size = _size_for(source, str(body.get("aspect_ratio", "1:1")))
    prompt = _prompt(body, model)
    warning = _ip_warning(ctx, prompt)
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
    sync = bool(body.get("sync", False))
    with ctx.mock.store.transaction() as tx:
        ready_at = tx.now if sync else tx.now + cfg.generation_seconds
        result = _publish(ctx, tx, [] if filtered else outputs, ready_at)
    reply: dict[str, Any] = {"result": result}
    if warning:
        reply["warning"] = warning
    return Reply(200, reply)


async def _structure(ctx: Ctx) -> tuple[int, int]:
    body = ctx.json
    if body.get("structure_image_url") is not None:
        return await _load(ctx, body["structure_image_url"], "structure_image_url")
    if body.get("structure_image_file") is not None:
        return await _load(ctx, body["structure_image_file"], "structure_image_file")
    raise ApiError(
        400,
        "reimagine needs a structure reference image: send structure_image_file (base64) or "
        "structure_image_url",
    )


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
    model_id = ctx.json.get("tailored_model_id")
    if model_id is None:
        raise ApiError(
            400,
            "send tailored_model_id: bria-mock reimagines with a tailored model only (Bria's "
            "base-model reimagine is not part of the Tailored Generation API)",
        )
    return await _generate(ctx, vector=False, checkpoint=None, structure=True, model_id=model_id)


# --- restyle_portrait ---


@operation("restyle-portrait")
async def restyle_portrait(ctx: Ctx) -> Reply:
    body = ctx.json
    with ctx.mock.store.transaction() as tx:
        model = trained_model(tx, ctx, body.get("tailored_model_id"))
        if not restyle_compatible(ctx, model):
            raise ApiError(
                400,
                f"model {model.id} (training_version {model.training_version!r}, "
                f"training_mode {model.training_mode!r}) cannot restyle portraits: only "
                "models trained with the Light version, in Expert mode on Bria 2.3, or uploaded "
                "models based on Bria 2.3 can",
            )
    # If both are provided, id_image_url is used (docs.bria.ai restyle-portrait).
    if body.get("id_image_url") is not None:
        what = "id_image_url"
    elif body.get("id_image_file") is not None:
        what = "id_image_file"
    else:
        raise ApiError(
            400, "send the portrait as id_image_url (a public URL) or id_image_file (base64)"
        )
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
    size = _size_for(portrait, "1:1")
    with ctx.mock.store.transaction() as tx:
        result = _publish(ctx, tx, [Output(material, size, False, seed)], tx.now)
    return Reply(200, {"image_res": result[0]["urls"][0]})


# --- generate_prefix ---

_MEDIUM_WORDS = {"photography": "A photograph", "illustration": "An illustration"}
_TYPE_WORDS = {
    "stylized_scene": "of a scene in a consistent style",
    "defined_character": "of the character",
    "object_variants": "of a variant of the object",
}


@operation("generate-prefix")
async def generate_prefix(ctx: Ctx) -> Reply:
    body = ctx.json
    urls, files = body.get("image_urls"), body.get("images")
    if urls is not None and files is not None:
        raise ApiError(400, "send image_urls or images, not both")
    if urls is None and files is None:
        raise ApiError(400, "send 1-6 sample images as image_urls (URLs) or images (base64)")
    field = "image_urls" if urls is not None else "images"
    refs: list[Any] = list(urls if urls is not None else files or [])
    if not 1 <= len(refs) <= 6:
        raise ApiError(400, f"{field} must hold 1-6 images, got {len(refs)}")
    # ip_type is required and limited to the three prefix types by the spec (PrefixIpType), which
    # the mock validates before this handler runs
    ip_type = str(body["ip_type"])
    # If any image fails validation, the request fails (bria-guide-v1.md § Generate Caption Prefix).
    sizes = [await _load(ctx, ref, f"{field}[{i}]") for i, ref in enumerate(refs)]
    medium = _MEDIUM_WORDS.get(str(body.get("ip_medium")), "An image")
    words = _TYPE_WORDS[ip_type]
    name = body.get("ip_name")
    if ip_type == "defined_character" and isinstance(name, str) and name.strip():
        words = f"of {name.strip()}"
    digest = hashlib.sha256(repr((ip_type, name, sizes, refs)).encode()).hexdigest()[:6]
    prefix = f"{medium} {words}, style {digest}, "
    return Reply(200, {"prefix": prefix})
