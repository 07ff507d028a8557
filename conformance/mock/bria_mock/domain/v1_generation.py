"""The eight v1 operations Bria documents in prose only (overlays/80-v1-generation.yaml):
text-to-image and text-to-vector with a tailored model (and from a checkpoint), reimagine with a
tailored model (named in the path, or in the body on /v1/reimagine), restyle_portrait and
generate_prefix.

v1 answers 200 in both modes: with ``sync=false`` the image URLs come at once and answer 404
until the images are ready (docs.bria.ai text-to-vector-tailored, `sync`), which is how the mock
keeps the outputs: one ``v1output`` record per image, rendered on fetch from its stored material.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypedDict

from .. import imaging
from ..config import MockConfig
from ..documents import SafetensorsRejected, read_safetensors_header
from ..errors import ApiError
from ..records import Stored
from ..state import Transaction
from . import generation
from .events import handles
from .generation import SentId
from .models import Model, Origin
from .projects import Project

# Our choice: no Bria document gives an upper bound for num_results; fal.ai's listing of Bria's
# text-to-image states 1-4, and a mock needs some bound.
MAX_RESULTS = 4
# One aspect ratio for all guidance images (bria-guide-v1.md § Guidance Methods); ratios closer
# than this count as equal, so 1024x768 and 1000x750 agree.
RATIO_TOLERANCE = 0.01
OUTPUT_AREA = 1024 * 1024
OUTPUT_EXPIRE = "v1output.expire"
# The three IP types generate_prefix takes and how its prefix words them.
MEDIUM_WORDS = {"photography": "A photograph", "illustration": "An illustration"}
TYPE_WORDS = {
    "stylized_scene": "of a scene in a consistent style",
    "defined_character": "of the character",
    "object_variants": "of a variant of the object",
}


@dataclass
class V1Output(Stored):
    """One image of a v1 generation, rendered from ``material`` when its URL is fetched."""

    KIND: ClassVar[str] = "v1output"
    INT_KEY: ClassVar[bool] = False
    id: str
    org: str
    material: str
    width: int
    height: int
    vector: bool
    ready_at: float


class OutputDue(TypedDict):
    """v1output.expire"""

    id: str


@dataclass(frozen=True, kw_only=True)
class Sent:
    """A v1 request's fields as sent; ``given`` tells null from absent, which the v1 rules and
    the material of an output distinguish (``sent(key, default)`` reads like ``dict.get``)."""

    given: frozenset[str] = frozenset()
    content_moderation: bool = False

    def sent(self, key: str, default: Any) -> Any:
        return getattr(self, key) if key in self.given else default


@dataclass(frozen=True, kw_only=True)
class GenerateRequest(Sent):
    """text-to-image, text-to-vector (also from a checkpoint) and reimagine, typed as the
    operations that declare each field give it. A field one of them does not declare (reimagine's
    guidance and image-prompt fields, text-to-image's structure fields) is not checked there; it
    is read as sent, never converted, and only its text reaches an output's material
    (``deterministic``), as it always has."""

    tailored_model_id: SentId | None = None
    prompt: str | None = None
    negative_prompt: str | None = None
    model_influence: float | None = None
    tailored_model_influence: float | None = None
    steps_num: int | None = None
    fast: bool | None = None
    num_results: int | None = None
    sync: bool = False
    seed: int | None = None
    aspect_ratio: str | None = None
    include_generation_prefix: bool | None = None
    guidance_method_1: str | None = None
    guidance_method_1_scale: float | None = None
    guidance_method_1_image_file: str | None = None
    guidance_method_2: str | None = None
    guidance_method_2_scale: float | None = None
    guidance_method_2_image_file: str | None = None
    image_prompt_mode: str | None = None
    image_prompt_scale: float | None = None
    image_prompt_file: str | None = None
    image_prompt_urls: list[str] | None = None
    structure_image_url: str | None = None
    structure_image_file: str | None = None
    structure_ref_influence: float | None = None


@dataclass(frozen=True, kw_only=True)
class RestyleRequest(Sent):
    tailored_model_id: SentId | None = None
    id_image_url: str | None = None
    id_image_file: str | None = None
    seed: int | None = None
    tailored_model_influence: float | None = None
    id_strength: float | None = None
    steps_num: int | None = None
    enhance_image: bool | None = None


@dataclass(frozen=True, kw_only=True)
class PrefixRequest(Sent):
    image_urls: list[str] | None = None
    images: list[str] | None = None
    ip_type: str | None = None
    ip_medium: str | None = None
    ip_name: str | None = None


@dataclass(frozen=True)
class Output:
    """One generated image: what it is drawn from, and when its URL starts answering."""

    material: str
    size: tuple[int, int]
    vector: bool
    seed: int


# --- models ---


def trained_model_only(tx: Transaction, org: str, raw_id: SentId | None) -> Model:
    """A Completed model of the caller (the same answers as catalog entry
    generate.trained-model-only, with 400 for a model that is not ready)."""
    if not isinstance(raw_id, int) or isinstance(raw_id, bool):
        raise ApiError(400, f"the model id must be an integer, got {str(raw_id)[:40]!r}")
    model = tx.get(Model, raw_id)
    if model is None:
        raise ApiError(404, f"Model {raw_id} not found")
    if model.org != org:
        raise ApiError(403, f"Access denied: model {raw_id} does not belong to your organization")
    if not model.ready:
        raise ApiError(
            400,
            f"model {raw_id} is {model.status}; only a Completed model can generate "
            "(start its training and wait until GET /v1/tailored-gen/models/{id} says Completed)",
        )
    return model


def checkpoint_exists(model: Model, step: int) -> None:
    steps = sorted(c.step for c in model.checkpoints)
    if step not in steps:
        listed = ", ".join(str(s) for s in steps) or "none (only expert-mode trainings save them)"
        raise ApiError(
            404,
            f"Checkpoint not found: model {model.id} has no checkpoint at step {step}; "
            f"its checkpoints: {listed}",
        )


def vector_illustrative_only(tx: Transaction, model: Model) -> None:
    project = tx.get(Project, model.project_id)
    medium = project.ip_medium if project is not None else None
    if medium != "illustration":
        raise ApiError(
            400,
            f"text-to-vector works only with models of the illustrative domain; model "
            f"{model.id} belongs to a project with ip_medium {medium!r} (use text-to-image)",
        )


def _based_on_bria_23(uploaded_file: bytes | None) -> bool:
    """An uploaded model is 2.3-based when its .safetensors metadata says so (our choice: the
    upload operation has no field for the base model, so the file's own metadata decides)."""
    if uploaded_file is None:
        return False
    try:
        header = read_safetensors_header(uploaded_file)
    except SafetensorsRejected:
        return False
    text = " ".join(header.metadata.values()).lower()
    return "2.3" in text and "bria" in text


def restyle_compatible_models(model: Model, uploaded_file: bytes | None) -> None:
    version = (model.training_version or "").lower()
    if model.origin == Origin.UPLOADED:
        compatible = _based_on_bria_23(uploaded_file)
    else:
        compatible = version == "light" or (version == "2.3" and model.training_mode == "expert")
    if not compatible:
        raise ApiError(
            400,
            f"model {model.id} (training_version {model.training_version!r}, "
            f"training_mode {model.training_mode!r}) cannot restyle portraits: only "
            "models trained with the Light version, in Expert mode on Bria 2.3, or uploaded "
            "models based on Bria 2.3 can",
        )


# --- inputs ---


def input_moderation(data: bytes, what: str, asked: bool, config: MockConfig) -> None:
    if asked and imaging.contains_marker(data, config.moderation_marker):
        raise ApiError(422, f"{what} was blocked by content moderation; the request was stopped")


def _ratio(size: tuple[int, int]) -> float:
    return size[0] / size[1]


def guidance_methods(request: GenerateRequest) -> list[int]:
    """The ControlNet methods used (1, 2); no method's fields without the method."""
    used = [x for x in (1, 2) if getattr(request, f"guidance_method_{x}") is not None]
    if 2 in used and 1 not in used:
        raise ApiError(
            400,
            "guidance_method_2 requires guidance_method_1; "
            "to use one method, use guidance_method_1",
        )
    for x in (1, 2):
        extras = [
            f"guidance_method_{x}_{f}"
            for f in ("scale", "image_file")
            if f"guidance_method_{x}_{f}" in request.given
        ]
        if x not in used and extras:
            raise ApiError(400, f"{', '.join(extras)} given without guidance_method_{x}")
    return used


def guidance_complete(request: GenerateRequest, x: int) -> Any:
    """Method ``x``'s image, which needs its scale beside it."""
    missing = [
        f"guidance_method_{x}_{f}"
        for f in ("scale", "image_file")
        if getattr(request, f"guidance_method_{x}_{f}") is None
    ]
    if missing:
        raise ApiError(
            400, f"guidance_method_{x} needs an image and a scale: send {' and '.join(missing)}"
        )
    return getattr(request, f"guidance_method_{x}_image_file")


def guidance_same_aspect_ratio(sizes: list[tuple[int, int]]) -> None:
    if len(sizes) == 2 and abs(_ratio(sizes[0]) - _ratio(sizes[1])) > RATIO_TOLERANCE * _ratio(
        sizes[0]
    ):
        raise ApiError(
            400,
            "all guidance images must have the same aspect ratio: guidance_method_1_image_file "
            f"is {sizes[0][0]}x{sizes[0][1]}, "
            f"guidance_method_2_image_file {sizes[1][0]}x{sizes[1][1]}",
        )


def image_prompt(request: GenerateRequest) -> list[tuple[str, Any]]:
    """The image prompt's images (named by field), which need image_prompt_mode."""
    mode = request.image_prompt_mode
    images = (
        [("image_prompt_file", request.image_prompt_file)]
        if "image_prompt_file" in request.given
        else []
    )
    urls = request.image_prompt_urls
    if urls is not None:
        images += [(f"image_prompt_urls[{i}]", u) for i, u in enumerate(urls)]
    if mode is None:
        if images or "image_prompt_scale" in request.given:
            raise ApiError(
                400,
                "image_prompt_file / image_prompt_urls / image_prompt_scale need image_prompt_mode "
                "(regular or style_only)",
            )
        return []
    if not images:
        raise ApiError(
            400,
            f"image_prompt_mode {mode!r} needs an image: "
            "send image_prompt_file or image_prompt_urls",
        )
    return images


def fast_false_one_or_two(request: GenerateRequest) -> int:
    count = request.sent("num_results", 1)
    if count > MAX_RESULTS:
        raise ApiError(400, f"num_results must be between 1 and {MAX_RESULTS}, got {count}")
    if request.fast is False and count > 2:
        raise ApiError(400, f"with fast=false only num_results 1 or 2 are supported, got {count}")
    return int(count)


def reimagine_structure(request: GenerateRequest) -> tuple[str, Any]:
    """reimagine's structure reference image and the field holding it."""
    for what in ("structure_image_url", "structure_image_file"):
        if (ref := getattr(request, what)) is not None:
            return what, ref
    raise ApiError(
        400,
        "reimagine needs a structure reference image: send structure_image_file (base64) or "
        "structure_image_url",
    )


def reimagine_model_in_body(request: GenerateRequest) -> SentId:
    """/v1/reimagine names the tailored model in its body."""
    model_id = request.tailored_model_id
    if model_id is None:
        raise ApiError(
            400,
            "send tailored_model_id: bria-mock reimagines with a tailored model only (Bria's "
            "base-model reimagine is not part of the Tailored Generation API)",
        )
    return model_id


def restyle_needs_portrait(request: RestyleRequest) -> tuple[str, Any]:
    """The portrait and the field holding it; if both are sent, id_image_url is used
    (docs.bria.ai restyle-portrait)."""
    for what in ("id_image_url", "id_image_file"):
        if (ref := getattr(request, what)) is not None:
            return what, ref
    raise ApiError(
        400, "send the portrait as id_image_url (a public URL) or id_image_file (base64)"
    )


def prefix_image_count(request: PrefixRequest) -> tuple[str, list[Any]]:
    """generate_prefix's 1-6 sample images and the field that holds them."""
    urls, files = request.image_urls, request.images
    if urls is not None and files is not None:
        raise ApiError(400, "send image_urls or images, not both")
    if urls is None and files is None:
        raise ApiError(400, "send 1-6 sample images as image_urls (URLs) or images (base64)")
    field = "image_urls" if urls is not None else "images"
    refs: list[Any] = list(urls if urls is not None else files or [])
    if not 1 <= len(refs) <= 6:
        raise ApiError(400, f"{field} must hold 1-6 images, got {len(refs)}")
    return field, refs


def prompt_of(request: GenerateRequest, model: Model) -> str:
    prompt = str(request.prompt or "")
    # Our choice: the prefix is included unless include_generation_prefix=false. Bria's ComfyUI
    # node sends false and prepends the prefix itself, which it would not need to if the
    # server's default were false.
    if request.sent("include_generation_prefix", True) and model.generation_prefix:
        return f"{model.generation_prefix} {prompt}".strip()
    return prompt


def size_for(ratio_source: tuple[int, int] | None, aspect: str) -> tuple[int, int]:
    if ratio_source is None:
        return imaging.ASPECT_SIZES.get(aspect, imaging.ASPECT_SIZES["1:1"])
    ratio = _ratio(ratio_source)
    height = (OUTPUT_AREA / ratio) ** 0.5
    return (max(8, round(height * ratio / 8) * 8), max(8, round(height / 8) * 8))


def prefix(request: PrefixRequest, sizes: list[tuple[int, int]], refs: list[Any]) -> str:
    # ip_type is required and limited to the three prefix types by the spec (PrefixIpType), which
    # the mock validates before the handler runs (v1gen.prefix-ip-types)
    ip_type = str(request.ip_type)
    medium = MEDIUM_WORDS.get(str(request.ip_medium), "An image")
    words = TYPE_WORDS[ip_type]
    name = request.ip_name
    if ip_type == "defined_character" and isinstance(name, str) and name.strip():
        words = f"of {name.strip()}"
    digest = hashlib.sha256(repr((ip_type, name, sizes, refs)).encode()).hexdigest()[:6]
    return f"{medium} {words}, style {digest}, "


def image_ref(ref: Any, what: str) -> str:
    """An input image is a URL or base64 image data: a string that says something."""
    if not isinstance(ref, str) or not ref.strip():
        raise ApiError(400, f"{what} must be a non-empty string (a URL or base64 image data)")
    return ref.strip()


def input_image(data: bytes, what: str, asked: bool, config: MockConfig) -> tuple[int, int]:
    """An input image's size: it must decode (422 otherwise, so one bad image fails the whole
    request) and pass moderation when asked (``input_moderation``)."""
    try:
        img = imaging.open_image(data, config.max_image_pixels)
    except imaging.ImageRejected as exc:
        raise ApiError((422, 400), f"{what}: {exc.message}") from None
    input_moderation(data, what, asked, config)
    return img.size


def ip_warning(prompt: str, config: MockConfig) -> str | None:
    """A prompt naming a protected term is answered with the warning of v2 generation."""
    return generation.ip_warning(prompt, config)


def unsafe_filtered(request: Sent, prompt: str, config: MockConfig) -> bool:
    """Unsafe outputs are left out of the result (bria-guide-v1.md): with content_moderation,
    the mock treats an output drawn from a prompt holding the moderation marker as unsafe."""
    return request.content_moderation and config.moderation_marker in prompt


def deterministic(
    request: GenerateRequest,
    *,
    vector: bool,
    model: Model,
    checkpoint: int | None,
    prompt: str,
    seed: int,
    size: tuple[int, int],
    guide: str,
) -> str:
    """What one output is drawn from: the same request gives the same bytes, and every field
    that shapes the image changes them."""
    return "|".join(
        str(part)
        for part in (
            "v1",
            "vector" if vector else "raster",
            model.id,
            checkpoint if checkpoint is not None else model.active_model_version,
            prompt,
            seed,
            size,
            request.sent("negative_prompt", ""),
            request.sent("model_influence", request.sent("tailored_model_influence", 1)),
            request.sent("steps_num", ""),
            request.sent("fast", True),
            request.sent("guidance_method_1", ""),
            request.sent("guidance_method_1_scale", ""),
            request.sent("guidance_method_2", ""),
            request.sent("guidance_method_2_scale", ""),
            request.sent("structure_ref_influence", ""),
            guide,
        )
    )


def restyled(request: RestyleRequest, model: Model, portrait: tuple[int, int], seed: int) -> str:
    """What a restyled portrait is drawn from (``deterministic`` for restyle_portrait)."""
    return "|".join(
        str(part)
        for part in (
            "restyle",
            model.id,
            portrait,
            seed,
            request.sent("tailored_model_influence", ""),
            request.sent("id_strength", ""),
            request.sent("steps_num", ""),
            request.sent("enhance_image", False),
        )
    )


# --- outputs ---


def sync_result_urls(
    tx: Transaction,
    org: str,
    outputs: list[Output],
    *,
    sync: bool,
    config: MockConfig,
    sign: Callable[[str], str],
) -> list[dict[str, Any]]:
    """sync=true: the URLs answer at once; otherwise after ``generation_seconds``
    (``async_urls``)."""
    ready_at = tx.now if sync else tx.now + config.generation_seconds
    return async_urls(tx, org, outputs, ready_at, config.request_retention_seconds, sign)


def async_urls(
    tx: Transaction,
    org: str,
    outputs: list[Output],
    ready_at: float,
    retention: float,
    sign: Callable[[str], str],
) -> list[dict[str, Any]]:
    """One output record per image; its URL answers once ``ready_at`` is reached (at once for
    sync, v1gen.sync-result-urls) and is forgotten ``retention`` seconds later."""
    result = []
    for out in outputs:
        key = uuid.uuid4().hex
        tx.put(
            V1Output(
                id=key,
                org=org,
                material=out.material,
                width=out.size[0],
                height=out.size[1],
                vector=out.vector,
                ready_at=ready_at,
            )
        )
        tx.schedule(ready_at + retention, OUTPUT_EXPIRE, OutputDue(id=key))
        suffix = "svg" if out.vector else "png"
        result.append({"urls": [sign(f"tailored/{key}.{suffix}")], "seed": out.seed, "uuid": key})
    return result


def render_svg(material: str, size: tuple[int, int]) -> bytes:
    """A deterministic vector graphic: same material, same bytes (v1gen.deterministic)."""
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


@handles(OUTPUT_EXPIRE)
def on_expire(tx: Transaction, data: OutputDue, due: float) -> None:
    tx.delete(V1Output, data["id"])
