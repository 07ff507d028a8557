"""Generating a visual schema from images and refining a structured prompt against a dataset
(the documents themselves are drawn by ``captions.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import MockConfig
from ..documents import StructuredPrompt
from ..errors import ApiError
from ..imaging import ImageRejected, ProcessedImage, contains_marker, preprocess
from .datasets import Dataset, DatasetStatus


@dataclass(frozen=True, kw_only=True)
class VisualSchemaRequest:
    """A generate-visual-schema request: 5-10 image strings (the spec's bounds)."""

    images: list[str]
    content_moderation: bool = False


@dataclass(frozen=True, kw_only=True)
class RefineRequest:
    """A refine-structured-prompt request (every field required and typed by the spec)."""

    dataset_id: int
    structured_prompt: StructuredPrompt
    instruction: str


def visual_schema_formats(
    data: bytes, what: str, moderation: bool, config: MockConfig
) -> ProcessedImage:
    """One image of the request, decoded: png, jpg, jpeg or webp (415 otherwise), and refused
    (422) when moderation is asked and it fails it."""
    if moderation and contains_marker(data, config.moderation_marker):
        raise ApiError(422, f"{what} was blocked by content moderation")
    try:
        return preprocess(
            data,
            increase_resolution=True,
            target=64,
            min_upscale=1,
            max_pixels=config.max_image_pixels,
        )
    except ImageRejected as exc:
        raise ApiError((exc.status, 415, 400), f"{what}: {exc.message}") from None


def refine_required_fields(request: RefineRequest) -> str:
    """The instruction, which must say something (the spec requires it as a string)."""
    instruction = request.instruction.strip()
    if not instruction:
        raise ApiError(400, "instruction must not be empty")
    return instruction


def refine_draft_only(ds: Dataset) -> None:
    if ds.status != DatasetStatus.DRAFT:
        raise ApiError(
            (409, 400), f"dataset {ds.id} is {ds.status}; refinement needs a draft dataset"
        )
