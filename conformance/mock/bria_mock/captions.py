"""Deterministic stand-ins for Bria's VLM: visual schemas, captions and structured prompts.

Every function is a pure function of its inputs, which is the documented contract the mock can
check: the same image under the same visual schema always gets the same caption, and the same
structured prompt with the same seed always reproduces the same image.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from . import bounded_json

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


def canonical(text: str) -> str:
    """Normalise a JSON string so formatting differences do not change derived results."""
    return json.dumps(_safe_json(text), sort_keys=True, separators=(",", ":"))


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
    return json.dumps(schema, separators=(", ", ": "))


def caption(schema_text: str, image_digest: str, mean_color: tuple[int, int, int]) -> str:
    schema: Any = _safe_json(schema_text)
    if schema is schema_text:
        schema = {}
    material = canonical(schema_text) if isinstance(schema, (dict, list)) else schema_text
    material += image_digest
    style = schema.get("style_medium") if isinstance(schema, dict) else None
    out = {
        "short_description": (
            f"{_pick(_MOODS, material)} scene with a dominant {_hex(mean_color)} tone"
        ),
        "style_medium": style or _pick(_STYLES, material),
        "lighting": _pick(_LIGHTING, material + "l"),
        "camera_angle": _pick(_ANGLES, material + "a"),
        "dominant_color": _hex(mean_color),
    }
    return json.dumps(out, separators=(", ", ": "))


def structured_prompt(model_schema: str | None, prompt: str, seed: int) -> str:
    material = f"{model_schema or ''}|{prompt}|{seed}"
    out = {
        "short_description": prompt,
        "style_medium": _pick(_STYLES, material),
        "lighting": {"conditions": _pick(_LIGHTING, material + "l")},
        "photographic_characteristics": {"camera_angle": _pick(_ANGLES, material + "a")},
        "aesthetics": {"mood_atmosphere": _pick(_MOODS, material + "m")},
    }
    if model_schema:
        out["visual_schema"] = _safe_json(model_schema)
    return json.dumps(out, separators=(", ", ": "))


def refine(structured: str, instruction: str) -> str:
    """Apply a natural-language instruction by recording it; keeps the input's other fields."""
    data = _safe_json(structured)
    if not isinstance(data, dict):
        data = {"value": data}
    refinements = list(data.get("refinements") or [])
    refinements.append(instruction)
    data["refinements"] = refinements
    return json.dumps(data, separators=(", ", ": "))


def _safe_json(text: str) -> Any:
    """The JSON a string holds (through the bounded reader), or the string itself."""
    try:
        return bounded_json.loads(text)
    except bounded_json.JsonRejected:
        return text


def is_json_structure(text: str) -> bool:
    """True for a JSON object or array: Bria asks for "a valid JSON structure", not a scalar."""
    return isinstance(text, str) and bounded_json.is_json_structure(text)
