"""v2 generation with a tailored model (images, structured prompts, image-to-video) and the
Status Service that completes every async request.
"""

from __future__ import annotations

import io
import re
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, TypedDict

from PIL import Image as PILImage

from .. import captions
from ..config import MockConfig
from ..documents import StructuredPrompt, VisualSchema
from ..errors import ApiError
from ..imaging import ImageRejected, open_image
from ..records import Stored
from ..state import Transaction
from ..typed_request import free
from ..validation import ascii_int
from . import webhooks
from .events import handles
from .models import Model

IP_WARNING = (
    "This prompt may contain intellectual property (IP)-protected content. "
    "To ensure compliance and safety, certain elements may be omitted or altered. "
    "As a result, the output may not fully meet your request."
)
MAX_SEED = 2**31 - 1
OUTPUT_BLOCKED = {
    "code": 422,
    "message": "Unprocessable Entity",
    "details": "the generated image was blocked by visual content moderation",
}
REQUEST_DONE = "request.done"
REQUEST_EXPIRE = "request.expire"


class RequestStatus(StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    ERROR = "ERROR"


class RequestKind(StrEnum):
    IMAGE = "image"
    STRUCTURED_PROMPT = "structured_prompt"
    VIDEO = "video"


@dataclass
class GenerationRequest(Stored):
    """A v2 generation (image, structured prompt or video), answered through the status service."""

    KIND: ClassVar[str] = "request"
    INT_KEY: ClassVar[bool] = False
    id: str
    org: str
    kind: RequestKind
    status: RequestStatus
    model_id: int
    seed: int
    created_at: float
    prompt: str | None = None
    structured_prompt: str | None = None
    aspect_ratio: str | None = None
    # what the generated image is drawn from (same material, same bytes)
    material: str | None = None
    warning: str | None = None
    blocked: bool = False
    error: dict[str, Any] | None = None
    done_at: float | None = None

    def __post_init__(self) -> None:
        self.kind = RequestKind(self.kind)
        self.status = RequestStatus(self.status)

    def has_result(self, kind: RequestKind) -> bool:
        return self.kind == kind and self.status == RequestStatus.COMPLETED


# Numbers that are part of what an image is drawn from are kept as sent (50 and 50.0 differ).
Number = int | float
# A model id in a body as validated: Bria's digit-string form is read as the integer at the edge
# (request_forms.py), and JSON Schema's integer admits 1.0, which names no model (``_model_id``).
SentId = int | float


def _text(value: Any) -> str | None:
    """A text field (a string: the spec checks the type), None when absent or blank."""
    return value if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True, kw_only=True)
class ImageRequest:
    """An image-generate-tailored or structured-prompt-generate-tailored request (the second
    reads only the fields it declares). tailored_model_id is checked by ``_model_id``."""

    tailored_model_id: SentId | None = None
    prompt: str | None = None
    structured_prompt: StructuredPrompt | None = None
    negative_prompt: str | None = None
    seed: int | None = None
    sync: bool = False
    prompt_content_moderation: bool = True
    visual_output_content_moderation: bool = True
    aspect_ratio: str = "1:1"
    tailored_model_influence: Number = 1
    steps_num: Number = 50
    guidance_scale: Number = 5
    webhook_url: str | None = None

    @property
    def prompt_text(self) -> str | None:
        return _text(self.prompt)

    @property
    def negative_text(self) -> str | None:
        return _text(self.negative_prompt)

    @property
    def structured_text(self) -> str | None:
        return self.structured_prompt.text if self.structured_prompt else None


@dataclass(frozen=True, kw_only=True)
class VideoRequest:
    """A generate-video-from-tailored-image request."""

    tailored_model_id: SentId | None = None
    image: str | None = None
    seed: int | None = None
    sync: Any = field(
        default=None,
        metadata=free(
            "not in the spec (the operation is asynchronous only): ``async_only`` refuses any "
            "value that is true"
        ),
    )
    webhook_url: str | None = None


@dataclass(frozen=True, kw_only=True)
class StatusPath:
    """The request a status URL names (a string id, not an integer)."""

    request_id: str


class RequestDue(TypedDict):
    """request.done, request.expire"""

    request_id: str


# --- rules ---


def _model_id(raw: object) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    number = ascii_int(raw) if isinstance(raw, str) else None
    if number is not None:
        return number
    raise ApiError(
        (404, 400), f"tailored_model_id {str(raw)[:40]!r} is not the id of a tailored model"
    )


def trained_model_only(tx: Transaction, org: str, raw_id: SentId | None) -> Model:
    """The caller's model, ready to generate (tailored_model_id is required: the spec checks)."""
    model_id = _model_id(raw_id)
    model = tx.get(Model, model_id)
    if model is None:
        raise ApiError((404, 400), f"Model {model_id} not found")
    if model.org != org:
        raise ApiError(403, f"Access denied: model {model_id} does not belong to your organization")
    if not model.ready:
        raise ApiError(
            (409, 400),
            f"model {model_id} is {model.status}; only a completed model can generate",
        )
    return model


def input_combinations(
    prompt: str | None, structured: StructuredPrompt | None, seed: int | None
) -> None:
    if prompt is None and structured is None:
        raise ApiError(400, "send a prompt, a structured_prompt with its seed, or both")
    if structured is not None and prompt is None and seed is None:
        raise ApiError(
            400, "recreating an image from a structured_prompt requires the seed it was made with"
        )


def translate(model: Model, prompt: str, seed: int) -> StructuredPrompt:
    """The structured prompt a model draws from a text prompt (from its visual schema)."""
    schema = VisualSchema.stored(model.visual_schema) if model.visual_schema else None
    return captions.structured_prompt(schema, prompt, seed)


def structured_prompt_result(prompt: str | None) -> str:
    """A structured prompt is made from a prompt, or refined by one; never from JSON alone."""
    if prompt is None:
        raise ApiError(
            400,
            "send a prompt (text only) or a structured_prompt with a prompt (refinement); "
            "a structured_prompt alone is not a valid combination",
        )
    return prompt


def moderation(asked: bool, config: MockConfig, *texts: str | None) -> None:
    if asked and any(t and config.moderation_marker in t for t in texts):
        raise ApiError(422, "the prompt was blocked by content moderation")


def output_blocked(asked: bool, sync: bool, config: MockConfig, *texts: str | None) -> bool:
    """Visual output moderation: the output of a prompt holding the marker is blocked; a sync
    request is refused with 422, an async one ends in the status ERROR."""
    blocked = asked and any(t and config.moderation_marker in t for t in texts)
    if blocked and sync:
        raise ApiError(422, "the generated image was blocked by visual content moderation")
    return bool(blocked)


def ip_warning(prompt: str | None, config: MockConfig) -> str | None:
    """The warning of a prompt naming a protected term (also v1gen.ip-warning)."""
    if not prompt:
        return None
    lowered = prompt.lower()
    for term in config.ip_terms:
        if re.search(r"(?<!\w)" + re.escape(term.lower()) + r"(?!\w)", lowered):
            return IP_WARNING
    return None


def async_only(sync: Any) -> None:
    """video.async-only"""
    if sync:
        raise ApiError(
            400, "image-to-video is asynchronous only; omit sync and poll the status_url"
        )


def video_required_fields(request: VideoRequest) -> str:
    """The image to animate: the spec requires it as a string, and one of only whitespace
    names no image."""
    image = request.image
    if not isinstance(image, str) or not image.strip():
        raise ApiError(
            400, "image is required: a public URL or a base64 string of the source image"
        )
    return image.strip()


def video_source(data: bytes, max_pixels: int) -> bytes:
    """The source image of a video, decoded and scaled to at most 768 px a side (PNG); image
    data that is not an image is refused (415 or 422, after the operation's responses)."""
    try:
        img = open_image(data, max_pixels).convert("RGB")
    except ImageRejected as exc:
        raise ApiError((exc.status, 422, 400), f"Invalid image data: {exc.message}") from None
    img.thumbnail((768, 768), PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def seed_of(seed: int | None) -> int:
    """The given seed (an integer: the spec checks the type), else a random one."""
    return secrets.randbelow(MAX_SEED) if seed is None else int(seed)


# --- changes and the status service ---


def finish(tx: Transaction, record: GenerationRequest, when: float, retention: float) -> None:
    if record.blocked:
        record.status = RequestStatus.ERROR
        record.error = dict(OUTPUT_BLOCKED)
    else:
        record.status = RequestStatus.COMPLETED
    record.done_at = when
    tx.schedule(when + retention, REQUEST_EXPIRE, RequestDue(request_id=record.id))


def sync_result(tx: Transaction, record: GenerationRequest, config: MockConfig) -> None:
    """A sync request is finished at once: its answer carries the result."""
    finish(tx, record, tx.now, config.request_retention_seconds)
    tx.put(record)


def async_default(tx: Transaction, record: GenerationRequest, seconds: float) -> None:
    """An async request (the default) is due in ``seconds`` on the virtual clock."""
    tx.put(record)
    tx.schedule(tx.now + seconds, REQUEST_DONE, RequestDue(request_id=record.id))


def keep(
    tx: Transaction, record: GenerationRequest, *, sync: bool, seconds: float, config: MockConfig
) -> None:
    if sync:
        sync_result(tx, record, config)
    else:
        async_default(tx, record, seconds)


def final_prompt(model: Model, request: ImageRequest, seed: int) -> StructuredPrompt:
    """What the output is drawn from: the prompt translated by the model, the structured prompt
    refined by the prompt, or the structured prompt as sent (input_combinations allows no
    other case)."""
    prompt, structured = request.prompt_text, request.structured_prompt
    if structured is None:
        return translate(model, str(prompt), seed)
    return captions.refine(structured, prompt) if prompt is not None else structured


def image_request(
    tx: Transaction,
    org: str,
    model: Model,
    request: ImageRequest,
    final: StructuredPrompt,
    seed: int,
    *,
    blocked: bool,
    config: MockConfig,
) -> GenerationRequest:
    """A new image generation; its ``material`` (model, structured prompt, seed and every
    setting that shapes the image) decides the pixels."""
    prompt = request.prompt_text
    material = "|".join(
        str(part)
        for part in (
            model.id,
            captions.canonical(final),
            seed,
            request.aspect_ratio,
            request.tailored_model_influence,
            request.steps_num,
            request.guidance_scale,
            request.negative_text or "",
        )
    )
    return GenerationRequest(
        id=uuid.uuid4().hex,
        org=org,
        kind=RequestKind.IMAGE,
        status=RequestStatus.IN_PROGRESS,
        model_id=model.id,
        seed=seed,
        prompt=prompt,
        structured_prompt=final.text,
        aspect_ratio=str(request.aspect_ratio),
        material=material,
        warning=ip_warning(prompt, config),
        blocked=blocked,
        created_at=tx.now,
    )


def structured_prompt_request(
    tx: Transaction,
    org: str,
    model: Model,
    prompt: str,
    final: StructuredPrompt,
    seed: int,
    config: MockConfig,
) -> GenerationRequest:
    return GenerationRequest(
        id=uuid.uuid4().hex,
        org=org,
        kind=RequestKind.STRUCTURED_PROMPT,
        status=RequestStatus.IN_PROGRESS,
        model_id=model.id,
        seed=seed,
        prompt=prompt,
        structured_prompt=final.text,
        warning=ip_warning(prompt, config),
        created_at=tx.now,
    )


def video_request(
    tx: Transaction, request_id: str, org: str, model: Model, seed: int, source: bytes
) -> GenerationRequest:
    """A new video generation, its source image kept until the request expires."""
    tx.put_blob(f"video-src/{request_id}", "image/png", source)
    return GenerationRequest(
        id=request_id,
        org=org,
        kind=RequestKind.VIDEO,
        status=RequestStatus.IN_PROGRESS,
        model_id=model.id,
        seed=seed,
        created_at=tx.now,
    )


def result_of(record: GenerationRequest, sign: Callable[[str], str]) -> dict[str, Any]:
    if record.kind == RequestKind.VIDEO:
        return {"video_url": sign(f"videos/{record.id}.mp4"), "seed": record.seed}
    result: dict[str, Any] = {"structured_prompt": record.structured_prompt, "seed": record.seed}
    if record.kind == RequestKind.IMAGE:
        result = {"image_url": sign(f"generated/{record.id}.png"), **result}
    if record.prompt:
        result["prompt"] = record.prompt
    return result


def status_values(tx: Transaction, org: str, request_id: str) -> GenerationRequest:
    """The caller's request, until it expires (404 after, and for another organization's)."""
    record = tx.get(GenerationRequest, request_id)
    if record is None or record.org != org:
        raise ApiError(404, f"request {request_id[:64]!r} does not exist or has expired")
    return record


def status_view(record: GenerationRequest, sign: Callable[[str], str]) -> dict[str, Any]:
    out: dict[str, Any] = {"request_id": record.id, "status": record.status}
    if record.status == RequestStatus.COMPLETED:
        out["result"] = result_of(record, sign)
    elif record.status == RequestStatus.ERROR:
        out["error"] = record.error
    if record.warning:
        out["warning"] = record.warning
    return out


@handles(REQUEST_DONE)
def on_done(tx: Transaction, data: RequestDue, due: float) -> None:
    record = tx.get(GenerationRequest, data["request_id"])
    if record is None or record.status != RequestStatus.IN_PROGRESS:
        return
    finish(tx, record, due, tx.store.config.request_retention_seconds)
    tx.put(record)
    # deliveries cross the real network: their times are the wall clock's
    webhooks.job_finished(tx, record.id, time.time())


@handles(REQUEST_EXPIRE)
def on_expire(tx: Transaction, data: RequestDue, due: float) -> None:
    record = tx.delete(GenerationRequest, data["request_id"])
    webhooks.forget(tx, data["request_id"])
    if record is not None and record.kind == RequestKind.VIDEO:
        tx.delete_blob(f"video-src/{record.id}")
