"""Deterministic stand-ins for Bria's VLM: visual schemas, captions and structured prompts.

Every function is a pure function of its inputs, which is the documented contract the mock can
check: the same image under the same visual schema always gets the same caption, and the same
structured prompt with the same seed always reproduces the same image.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from . import documents

_STYLES = (
    "flat illustration",
    "watercolor",
    "studio photograph",
    "3D render",
    "line art",
    "gouache",
)
_MOODS = ("calm", "playful", "dramatic", "warm", "minimal", "vivid")
_LIGHTING = ("soft daylight", "studio softbox", "golden hour", "overcast", "rim light")
_ANGLES = ("eye level", "high angle", "low angle", "three-quarter view", "top-down")


def _pick(options: tuple[str, ...], material: str) -> str:
    value = int.from_bytes(hashlib.sha256(material.encode()).digest()[:4], "big")
    return options[value % len(options)]


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def canonical(document: documents.Document) -> str:
    """A document's JSON without its formatting, so formatting does not change derived results."""
    return json.dumps(document.value, sort_keys=True, separators=(",", ":"))


def visual_schema(image_digests: list[str], colors: list[tuple[int, int, int]]) -> str:
    material = "|".join(image_digests)
    palette = sorted({_hex(c) for c in colors})
    schema = {
        "style_medium": _pick(_STYLES, material + "style"),
        "color_palette": palette[:6],
        "mood_atmosphere": _pick(_MOODS, material + "mood"),
        "lighting": _pick(_LIGHTING, material + "light"),
        "composition": "subject centred, consistent framing across the set",
        "sample_count": len(image_digests),
    }
    return documents.produce(
        documents.VisualSchema, schema, "the visual schema", "send fewer images"
    ).text


# A schema's style is copied into its captions only when it is a short text (our choice): the
# caption stays a few hundred characters whatever the schema holds.
MAX_COPIED_STYLE = 200


def caption(
    schema: documents.VisualSchema, image_digest: str, mean_color: tuple[int, int, int]
) -> str:
    material = canonical(schema) + image_digest
    style = schema.value.get("style_medium") if isinstance(schema.value, dict) else None
    if not (isinstance(style, str) and style.strip() and len(style) <= MAX_COPIED_STYLE):
        style = _pick(_STYLES, material)
    out = {
        "short_description": (
            f"{_pick(_MOODS, material)} scene with a dominant {_hex(mean_color)} tone"
        ),
        "style_medium": style,
        "lighting": _pick(_LIGHTING, material + "l"),
        "camera_angle": _pick(_ANGLES, material + "a"),
        "dominant_color": _hex(mean_color),
    }
    return documents.produce(
        documents.Caption, out, "the caption", "shorten the visual schema's style_medium"
    ).text


def structured_prompt(
    model_schema: documents.VisualSchema | None, prompt: str, seed: int
) -> documents.StructuredPrompt:
    """A prompt translated under the model's visual schema, which it embeds one level down."""
    material = f"{model_schema.text if model_schema else ''}|{prompt}|{seed}"
    out: dict[str, Any] = {
        "short_description": prompt,
        "style_medium": _pick(_STYLES, material),
        "lighting": {"conditions": _pick(_LIGHTING, material + "l")},
        "photographic_characteristics": {"camera_angle": _pick(_ANGLES, material + "a")},
        "aesthetics": {"mood_atmosphere": _pick(_MOODS, material + "m")},
    }
    if model_schema is not None:
        out["visual_schema"] = model_schema.value
    return documents.produce(
        documents.StructuredPrompt,
        out,
        "the structured prompt",
        "shorten the prompt (the model's visual schema is part of it)",
    )


def refine(structured: documents.StructuredPrompt, instruction: str) -> documents.StructuredPrompt:
    """Apply a natural-language instruction by recording it; keeps the input's other content.

    An object records it in its ``refinements``; an array in the ``{"refinements": [...]}``
    element it ends with (added on the first refinement). Either way the document nests no
    deeper than before (at least 3 levels), so whatever was accepted can be refined again and sent
    back where it came from.
    """
    recorded = [*structured.refinements, instruction]
    value = structured.value
    refined: documents.Structure
    if isinstance(value, dict):
        refined = {**value, documents.REFINEMENTS: recorded}
    elif value and isinstance(value[-1], dict) and documents.REFINEMENTS in value[-1]:
        refined = [*value[:-1], {**value[-1], documents.REFINEMENTS: recorded}]
    else:
        refined = [*value, {documents.REFINEMENTS: recorded}]
    return documents.produce(
        documents.StructuredPrompt,
        refined,
        "the refined structured prompt",
        "shorten the structured prompt or the instruction",
    )
