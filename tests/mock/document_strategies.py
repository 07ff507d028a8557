"""Hypothesis strategies built from the mock's document models (``bria_mock/documents.py``).

Valid documents of each kind at and around their limits (depth 1, the limit - 1, the limit; text
of the limit's length), and hostile ones: every wrong type at every typed path of every document,
the limits plus one, malformed and unstorable JSON, path ids in other spellings, form text that is
not UTF-8. Every hostile case carries the reason the mock must give (``Reason``), so the harness
checks the refusal is the right one, not merely a 4xx.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Any

from bria_mock import MockConfig
from bria_mock import documents as d
from hypothesis import strategies as st

# --- the parts every document is made of --------------------------------------------------------

# Hypothesis also draws the string constants of the code under test, the moderation marker among
# them: a document holding it is refused for that, rightly, so the strategies leave it out.
MARKER = MockConfig().moderation_marker


def unflagged(text: str) -> bool:
    return MARKER not in text


TEXT = st.text(st.characters(codec="utf-8"), max_size=12).filter(unflagged)
# Member names of generated documents: any text but the one member the mock types itself.
KEYS = TEXT.filter(lambda key: key != d.REFINEMENTS)
FINITE = st.floats(allow_nan=False, allow_infinity=False)
SCALARS = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | FINITE | TEXT
CONTAINERS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=8,
).filter(lambda v: isinstance(v, (dict, list)))


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@st.composite
def nest(draw: st.DrawFn, core: Any, depth: int) -> Any:
    """``core`` (a container of depth 1) wrapped to exactly ``depth`` levels, in objects and
    arrays the draw chooses."""
    value = core
    for _ in range(depth - 1):
        value = {draw(KEYS): value} if draw(st.booleans()) else [value]
    return value


def flat(value: Any) -> Any:
    """A container of depth 1: what a nest is built around."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if not isinstance(v, (dict, list))}
    return [v for v in value if not isinstance(v, (dict, list))]


def depths(limit: int) -> st.SearchStrategy[int]:
    """The depths worth testing below a limit: the smallest and the limit's neighbourhood."""
    return st.sampled_from([1, 2, 3, limit - 1, limit])


def pad_to(value: Any, chars: int) -> Any:
    """``value`` (an object) with a ``pad`` member making its text exactly ``chars`` long."""
    base = dumps({**value, "pad": ""})
    return {**value, "pad": "x" * max(0, chars - len(base))}


# --- valid documents ----------------------------------------------------------------------------


@st.composite
def structure(draw: st.DrawFn, limit: int) -> Any:
    depth = draw(depths(limit))
    return draw(nest(flat(draw(CONTAINERS)), depth))


@st.composite
def document_text(draw: st.DrawFn, limit: int, long: bool = True) -> str:
    """A valid document's text: any structure within ``limit`` levels, sometimes exactly as long
    as a text field may be."""
    value = draw(structure(limit))
    if long and isinstance(value, dict) and draw(st.integers(0, 5)) == 0:
        value = pad_to(value, d.MAX_CHARS)
    return dumps(value)


def visual_schema() -> st.SearchStrategy[str]:
    return document_text(d.VISUAL_SCHEMA_DEPTH)


def caption() -> st.SearchStrategy[str]:
    return document_text(d.MAX_DEPTH)


@st.composite
def structured_prompt(draw: st.DrawFn, long: bool = True) -> str:
    """A structured prompt, sometimes with the refinements the mock records (typed as it types
    them: a list of strings, at the top of an object or in an array's last element)."""
    value = draw(structure(d.MAX_DEPTH))
    if draw(st.booleans()):
        recorded = draw(st.lists(TEXT, max_size=3))
        if isinstance(value, dict):
            value[d.REFINEMENTS] = recorded
        elif len(value) and d.depth_of(value) < d.MAX_DEPTH:
            value.append({d.REFINEMENTS: recorded})
    if long and isinstance(value, dict) and draw(st.integers(0, 5)) == 0:
        value = pad_to(value, d.MAX_CHARS)
    return dumps(value)


# --- hostile documents --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why the mock must refuse: a label for the figures and a fragment of its message."""

    label: str
    fragment: str


NOT_STRUCTURE = Reason("document: not a JSON object or array", "expected a string holding a JSON")
NOT_STRINGS = Reason("document: refinements not a list of strings", "expected a list of strings")
TOO_DEEP = Reason("document: nested past its limit", "levels")
TOO_LONG = Reason("text: longer than 100,000 characters", "characters long")
SURROGATE = Reason("text: lone surrogate", "lone UTF-16 surrogate")
BIG_NUMBER = Reason("json: number literal too long", "a number has")
NOT_FINITE = Reason("json: NaN/Infinity", "is not JSON")
MALFORMED = Reason("json: malformed", "not valid JSON")
HEADER_TYPE = Reason("safetensors: wrong type in header", "expected")
HEADER_OFFSETS = Reason("safetensors: offsets do not match", "does not match its shape")
PATH_ID = Reason("path id: other spelling", "ASCII digits")
NOT_UTF8 = Reason("form: text not UTF-8", "is not UTF-8 text")

NOT_A_STRING_LIST = (
    SCALARS
    | st.lists(SCALARS, min_size=1).filter(lambda v: not all(isinstance(i, str) for i in v))
    | st.dictionaries(TEXT, SCALARS, max_size=2)
)


DOCUMENT_CLASSES = ("scalar", "deep", "long", "surrogate", "number", "nan", "malformed")
TYPED_CLASSES = ("refinements", "array refinements")


@st.composite
def hostile_document(draw: st.DrawFn, limit: int, kind: str) -> tuple[str, Reason]:
    """A document text of hostile class ``kind`` (``DOCUMENT_CLASSES``, and ``TYPED_CLASSES`` for
    the documents with a ``refinements`` member) that the mock must refuse, and why."""
    core = flat(draw(CONTAINERS))
    if kind == "scalar":
        text = dumps(draw(SCALARS)) if draw(st.booleans()) else draw(TEXT.filter(_no_structure))
        return (text, NOT_STRUCTURE)
    if kind == "deep":
        return (dumps(draw(nest(core, limit + draw(st.sampled_from([1, 2, 50]))))), TOO_DEEP)
    if kind == "long":
        return (dumps(pad_to({"a": 1}, d.MAX_CHARS + draw(st.sampled_from([1, 7])))), TOO_LONG)
    if kind == "surrogate":
        return ('{"a": "x\\ud800"}', SURROGATE)
    if kind == "number":
        return ('{"a": ' + "9" * (101 + draw(st.integers(0, 5000))) + "}", BIG_NUMBER)
    if kind == "nan":
        constant = draw(st.sampled_from(["NaN", "Infinity", "-Infinity"]))
        return ('{"a": ' + constant + "}", NOT_FINITE)
    if kind == "malformed":
        text = dumps(core if core else {"a": 1})
        return (text[: draw(st.integers(1, len(text) - 1))], MALFORMED)
    wrong = draw(NOT_A_STRING_LIST)
    if kind == "refinements":
        base = core if isinstance(core, dict) else {}
        return (dumps({**base, d.REFINEMENTS: wrong}), NOT_STRINGS)
    items = core if isinstance(core, list) else []
    return (dumps([*items, {d.REFINEMENTS: wrong}]), NOT_STRINGS)


# --- .safetensors headers -----------------------------------------------------------------------


def safetensors(header: Any, data: bytes) -> bytes:
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + data


@st.composite
def valid_header(draw: st.DrawFn) -> tuple[dict[str, Any], bytes]:
    """A header of 1-3 tensors laid end to end, and its tensor bytes."""
    header: dict[str, Any] = {}
    if draw(st.booleans()):
        header[d.METADATA] = draw(st.dictionaries(TEXT, TEXT, max_size=3))
    offset = 0
    for index in range(draw(st.integers(1, 3))):
        dtype = draw(st.sampled_from(sorted(d.DTYPE_SIZES)))
        shape = draw(st.lists(st.integers(0, 4), max_size=3))
        count = 1
        for dim in shape:
            count *= dim
        size = count * d.DTYPE_SIZES[dtype]
        header[f"t{index}"] = {
            "dtype": dtype,
            "shape": shape,
            "data_offsets": [offset, offset + size],
        }
        offset += size
    return header, b"\0" * offset


HEADER_PATHS = (
    *("root", "metadata", "metadata value", "tensor", "dtype", "shape"),
    *("shape item", "offsets", "offsets item", "offsets mismatch"),
)


@st.composite
def hostile_header(draw: st.DrawFn, path: str) -> tuple[bytes, Reason]:
    """A valid header whose member at ``path`` (``HEADER_PATHS``) has a value of the wrong type
    (or, for "offsets mismatch", offsets that do not fit its shape and dtype)."""
    header, data = draw(valid_header())
    name = draw(st.sampled_from([k for k in header if k != d.METADATA]))
    wrong_scalar = st.one_of(st.none(), st.booleans(), FINITE, TEXT)
    if path == "root":
        return safetensors(draw(st.lists(SCALARS, max_size=2) | SCALARS), data), HEADER_TYPE
    if path == "metadata":
        header[d.METADATA] = draw(st.lists(TEXT, max_size=2) | SCALARS)
    elif path == "metadata value":
        header[d.METADATA] = {"k": draw(SCALARS.filter(lambda v: not isinstance(v, str)))}
    elif path == "tensor":
        header[name] = draw(st.lists(SCALARS, max_size=2) | SCALARS)
    elif path == "dtype":
        header[name]["dtype"] = draw(
            st.lists(st.sampled_from(sorted(d.DTYPE_SIZES)), min_size=1, max_size=2)
            | st.dictionaries(TEXT, TEXT, max_size=1)
            | SCALARS.filter(lambda v: v not in d.DTYPE_SIZES)
        )
    elif path == "shape":
        header[name]["shape"] = draw(SCALARS | st.dictionaries(TEXT, SCALARS, max_size=1))
    elif path == "shape item":
        header[name]["shape"] = [*header[name]["shape"], draw(wrong_scalar | st.just(-1))]
    elif path == "offsets":
        header[name]["data_offsets"] = draw(
            SCALARS | st.lists(st.integers(0, 8), max_size=4).filter(lambda v: len(v) != 2)
        )
    elif path == "offsets item":
        header[name]["data_offsets"] = [draw(wrong_scalar), header[name]["data_offsets"][1]]
    else:
        begin, end = header[name]["data_offsets"]
        header[name]["data_offsets"] = [begin, end + draw(st.sampled_from([1, 8, 10**6]))]
        return safetensors(header, data), HEADER_OFFSETS
    return safetensors(header, data), HEADER_TYPE


# --- path ids and form text ---------------------------------------------------------------------

SPACES = st.sampled_from([" ", "\t", "\n", "\r", "\xa0", "\u2003", "\u3000", "\x0b", "\x0c"])


ID_SPELLINGS = ("before", "after", "plus", "zeros")


@st.composite
def id_spelling(draw: st.DrawFn, record_id: int, kind: str) -> str:
    """Another spelling of ``record_id`` (``ID_SPELLINGS``): whitespace before or after it, a
    plus sign, leading zeros."""
    plain = str(record_id)
    if kind == "before":
        return draw(SPACES) + plain
    if kind == "after":
        return plain + draw(SPACES)
    if kind == "plus":
        return "+" + plain
    return "0" * draw(st.integers(1, 3)) + plain


def not_utf8() -> st.SearchStrategy[bytes]:
    """Bytes that are not UTF-8 (Latin-1 text, a lone continuation byte, a cut sequence)."""
    return st.one_of(
        st.text(st.characters(min_codepoint=0xA0, max_codepoint=0xFF), min_size=1).map(
            lambda t: t.encode("latin-1")
        ),
        st.binary(max_size=6).map(lambda b: b + b"\x80"),
        st.just("é".encode()[:1]),
    ).filter(_invalid_utf8)


def _no_structure(text: str) -> bool:
    try:
        return not isinstance(json.loads(text), (dict, list))
    except ValueError:
        return True


def _invalid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False
