"""The JSON documents Bria's API carries inside string fields, as typed values: their one home.

Each document is parsed once, at the edge (``read_request`` for request bodies,
``read_safetensors_header`` for uploaded model files); handlers get the typed value, never the raw
text. A wrong type inside a document is refused with a message naming the path inside it
(``structured_prompt.refinements: expected a list of strings, got 5``); nothing is dropped or
coerced. What each document's shape is, and on what evidence (``spec/upstream/``):

=====================  ==========================================================================
visual schema          "A string containing the JSON structure" (Update Dataset's
(``visual_schema``)    ``visual_schema``), example ``{"style": "...", "colors": "..."}``
                       (generate_visual_schema's 200). A JSON object or array; its contents are
                       free. Our choice: at most ``VISUAL_SCHEMA_DEPTH`` (63) levels, one below the
                       body limit, because the structured prompts of a model trained on it embed it
                       one level down (``structured_prompt.visual_schema``).
caption                "a string containing a **valid JSON structure**" (Update Image Caption).
(``caption``)          A JSON object or array, contents free, at most ``MAX_DEPTH`` (64) levels.
structured prompt      "A string containing the structured prompt in JSON format" (v2 image
(``structured_prompt``) generation), "Refines a Structured Prompt object (such as a Visual Schema
                       or an Image Caption)" (Refine Structured Prompt): a JSON object or array,
                       at most 64 levels. Its fields are Bria's VLM's and free, except the one the
                       mock writes itself (our choice): ``refinements``, the instructions applied
                       so far, a list of strings — at the top of an object, or in the
                       ``{"refinements": [...]}`` element an array ends with.
.safetensors header    Upload Model: "Model must be in .safetensors format". The format (the
                       safetensors project's specification) is an 8-byte little-endian length, a
                       JSON object, then the tensor bytes. Each key but ``__metadata__`` names a
                       tensor: ``{"dtype": one of the format's dtypes, "shape": [non-negative
                       integers], "data_offsets": [begin, end]}`` (other keys are ignored, as the
                       format's reference reader does); ``__metadata__`` is a string-to-string map.
=====================  ==========================================================================

Every document is also bounded as text (``bounded_json``: at most 100,000 characters, no lone
surrogates, numbers of at most 100 characters). The mock's own outputs obey the same limits where
they are sent back (the round-trip law, ``produce``): an output that would exceed them is refused
with a 400 saying so, never stored and refused later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar

from . import bounded_json
from .errors import ApiError

MAX_DEPTH = bounded_json.MAX_DEPTH
VISUAL_SCHEMA_DEPTH = MAX_DEPTH - 1
MAX_CHARS = bounded_json.MAX_TEXT_CHARS
REFINEMENTS = "refinements"

Structure = dict[str, Any] | list[Any]


class DocumentRejected(ApiError):
    """A document that is not what its field holds: always a client mistake (400)."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


def show(value: Any) -> str:
    """A value as the client wrote it, shortened: ``5``, ``"abc"``, ``true``, ``{"k": 1}``."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def member(path: str, key: str | int) -> str:
    """The path of a member: ``a.b`` for plain keys, ``a[2]`` for items, ``a["x.y"]`` else."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key.isidentifier():
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def depth_of(value: Any) -> int:
    """Levels of nesting, counted as ``bounded_json`` counts them (iterative)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            deepest = max(deepest, level)
            stack.extend((item, level + 1) for item in node.values())
        elif isinstance(node, list):
            deepest = max(deepest, level)
            stack.extend((item, level + 1) for item in node)
    return deepest


def _structure(text: Any, field: str, max_depth: int) -> Structure:
    """The JSON object or array a string field holds, within the bounds."""
    expected = "a string holding a JSON object or array"
    if not isinstance(text, str):
        raise DocumentRejected(f"{field}: expected {expected}, got {show(text)}")
    try:
        value = bounded_json.loads(text, field)
    except bounded_json.JsonRejected as exc:
        raise DocumentRejected(f"{field}: expected {expected}; {exc.message}") from None
    if not isinstance(value, (dict, list)):
        raise DocumentRejected(f"{field}: expected {expected}, got the JSON {show(value)}")
    depth = depth_of(value)
    if depth > max_depth:
        raise DocumentRejected(
            f"{field} nests {depth} levels; at most {max_depth} are accepted"
            + ("" if max_depth == MAX_DEPTH else _VISUAL_SCHEMA_WHY)
        )
    return value


_VISUAL_SCHEMA_WHY = (
    " (the structured prompts of a model trained on it embed it one level down, and they nest "
    f"at most {MAX_DEPTH})"
)


def _strings(value: Any, path: str) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise DocumentRejected(f"{path}: expected a list of strings, got {show(value)}")


@dataclass(frozen=True)
class VisualSchema:
    """A dataset's (and its models') visual schema: ``text`` is stored as the client wrote it."""

    text: str
    value: Structure

    @classmethod
    def parse(cls, text: Any, field: str = "visual_schema") -> VisualSchema:
        return cls(text, _structure(text, field, VISUAL_SCHEMA_DEPTH))

    @classmethod
    def stored(cls, text: str) -> VisualSchema:
        """A schema read back from the store: accepted by ``parse`` when it was written, but a
        state file from before the depth limit may hold one level more (``produce`` still
        refuses a structured prompt that would nest too deep)."""
        return cls(text, _structure(text, "the stored visual_schema", MAX_DEPTH))


@dataclass(frozen=True)
class Caption:
    """An image caption."""

    text: str
    value: Structure

    @classmethod
    def parse(cls, text: Any, field: str = "caption") -> Caption:
        return cls(text, _structure(text, field, MAX_DEPTH))


@dataclass(frozen=True)
class StructuredPrompt:
    """A structured prompt (or a visual schema or caption sent to be refined)."""

    text: str
    value: Structure
    refinements: tuple[str, ...]

    @classmethod
    def parse(cls, text: Any, field: str = "structured_prompt") -> StructuredPrompt:
        value = _structure(text, field, MAX_DEPTH)
        return cls(text, value, refinements_of(value, field))


def refinements_of(value: Structure, field: str) -> tuple[str, ...]:
    """The instructions recorded in a structured prompt (see the module docstring)."""
    if isinstance(value, dict):
        if REFINEMENTS in value:
            return _strings(value[REFINEMENTS], member(field, REFINEMENTS))
        return ()
    if value and isinstance(value[-1], dict) and REFINEMENTS in value[-1]:
        return _strings(value[-1][REFINEMENTS], member(member(field, len(value) - 1), REFINEMENTS))
    return ()


# The request fields that hold documents, by name: every operation that has one of these fields
# holds that document in it (the normalized spec has no other field of these names).
REQUEST_DOCUMENTS: dict[str, type[VisualSchema] | type[Caption] | type[StructuredPrompt]] = {
    "visual_schema": VisualSchema,
    "caption": Caption,
    "structured_prompt": StructuredPrompt,
}

Document = VisualSchema | Caption | StructuredPrompt
D = TypeVar("D", VisualSchema, Caption, StructuredPrompt)


def read_request(body: Any) -> dict[str, Document]:
    """Parse the documents a request body holds (absent and ``null`` fields hold none)."""
    if not isinstance(body, dict):
        return {}
    found: dict[str, Document] = {}
    for name, kind in REQUEST_DOCUMENTS.items():
        text = body.get(name)
        if text is not None:
            found[name] = kind.parse(text, name)
    return found


def produce(kind: type[D], value: Structure, what: str, fix: str) -> D:
    """A document the mock made, checked against the limits it meets where it is sent back.

    ``what`` names the output ("the refined structured prompt"); ``fix`` tells the client which
    input to shorten. The text is written without ASCII escapes, so a limit in characters means
    the same thing here as in the request that sends it back.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if len(text) > MAX_CHARS:
        raise DocumentRejected(
            f"{what} would be {len(text)} characters long, and a {_FIELD[kind]} sent back to "
            f"the API holds at most {MAX_CHARS}; {fix}"
        )
    return kind.parse(text, f"{what} ({_FIELD[kind]})")


_FIELD: dict[type[Any], str] = {
    VisualSchema: "visual_schema",
    Caption: "caption",
    StructuredPrompt: "structured_prompt",
}


# --- .safetensors --------------------------------------------------------------------------------

DTYPE_SIZES = {
    "F64": 8,
    "F32": 4,
    "F16": 2,
    "BF16": 2,
    "I64": 8,
    "I32": 4,
    "I16": 2,
    "I8": 1,
    "U8": 1,
    "BOOL": 1,
    "F8_E4M3": 1,
    "F8_E5M2": 1,
    "U16": 2,
    "U32": 4,
    "U64": 8,
}
METADATA = "__metadata__"


@dataclass(frozen=True)
class Tensor:
    name: str
    dtype: str
    shape: tuple[int, ...]
    begin: int
    end: int


@dataclass(frozen=True)
class SafetensorsHeader:
    tensors: tuple[Tensor, ...]
    metadata: dict[str, str]


class SafetensorsRejected(ValueError):
    """A file that is not a .safetensors file; ``str()`` says what is wrong and where."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_safetensors_header(data: bytes) -> SafetensorsHeader:
    """The header of a .safetensors file, checked against the format and the tensor bytes."""
    if len(data) < 8:
        raise SafetensorsRejected("the file is too short to be a .safetensors file")
    size = int.from_bytes(data[:8], "little")
    if size == 0 or size > len(data) - 8 or size > 100 * 1024 * 1024:
        raise SafetensorsRejected("the .safetensors header length is out of range")
    try:
        raw = bounded_json.loads(data[8 : 8 + size].decode("utf-8"), "the header")
    except UnicodeDecodeError:
        raise SafetensorsRejected("the .safetensors header is not UTF-8 JSON") from None
    except bounded_json.JsonRejected as exc:
        raise SafetensorsRejected(exc.message) from None
    if not isinstance(raw, dict):
        raise SafetensorsRejected(f"header: expected a JSON object, got {show(raw)}")
    buffer = len(data) - 8 - size
    metadata: dict[str, str] = {}
    tensors: list[Tensor] = []
    for name, entry in raw.items():
        path = member("header", name)
        if name == METADATA:
            if not isinstance(entry, dict) or not all(isinstance(v, str) for v in entry.values()):
                raise SafetensorsRejected(
                    f"{path}: expected an object of strings, got {show(entry)}"
                )
            metadata = dict(entry)
            continue
        tensors.append(_tensor(name, entry, path, buffer))
    return SafetensorsHeader(tuple(tensors), metadata)


def _tensor(name: str, entry: Any, path: str, buffer: int) -> Tensor:
    if not isinstance(entry, dict):
        raise SafetensorsRejected(
            f"{path}: expected an object with dtype, shape and data_offsets, got {show(entry)}"
        )
    dtype = entry.get("dtype")
    if not isinstance(dtype, str) or dtype not in DTYPE_SIZES:
        raise SafetensorsRejected(
            f"{member(path, 'dtype')}: expected one of {', '.join(DTYPE_SIZES)}, got {show(dtype)}"
        )
    shape = entry.get("shape")
    if not (isinstance(shape, list) and all(_is_int(d) and d >= 0 for d in shape)):
        raise SafetensorsRejected(
            f"{member(path, 'shape')}: expected a list of non-negative integers, got {show(shape)}"
        )
    offsets = entry.get("data_offsets")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(map(_is_int, offsets))):
        raise SafetensorsRejected(
            f"{member(path, 'data_offsets')}: expected [begin, end] (two integers), "
            f"got {show(offsets)}"
        )
    begin, end = offsets
    count = 1
    for dim in shape:
        count = min(count * dim, buffer + 1)  # a product past the buffer fails below anyway
    if not (0 <= begin <= end <= buffer) or end - begin != count * DTYPE_SIZES[dtype]:
        raise SafetensorsRejected(
            f"{member(path, 'data_offsets')}: {show(offsets)} does not match its shape and dtype "
            f"within the {buffer} bytes of tensor data"
        )
    return Tensor(name, dtype, tuple(shape), begin, end)
