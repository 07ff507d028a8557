"""The one JSON reader of the mock, with bounds, and the check every stored text passes.

Every JSON the mock reads from a client goes through ``loads``: request bodies, the control
endpoints, JSON held in strings (``visual_schema``, ``caption``, ``structured_prompt``) and
``.safetensors`` headers. It refuses, with a message saying what to change, what would otherwise
exhaust the stack or the CPU later (nesting deeper than ``MAX_DEPTH``, number literals longer than
``MAX_NUMBER_CHARS`` — Python refuses to convert integers above 4,300 digits — ``NaN`` and
``Infinity``) and text that cannot be stored (lone UTF-16 surrogates such as ``"\\ud800"``, which
no UTF-8 response or state file can hold, and strings longer than ``MAX_TEXT_CHARS``).

The limits are our choice (Bria documents none): far above any real body, far below what hurts.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

MAX_DEPTH = 64
MAX_NUMBER_CHARS = 100
MAX_TEXT_CHARS = 100_000
# Fields that carry an image or archive (base64 or a data: URL) rather than text: bounded by the
# request size and the image limits instead of the text limit.
BINARY_CARRIERS = frozenset(
    {"image", "images", "context_images", "image_url", "zip_url", "model_url"}
)

_SURROGATE = re.compile("[\ud800-\udfff]")


class JsonRejected(ValueError):
    """Input the mock will not read; ``message`` says what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise JsonRejected(
            f"a number has {len(text)} digits; at most {MAX_NUMBER_CHARS} are accepted"
        )
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise JsonRejected(
            f"a number has {len(text)} characters; at most {MAX_NUMBER_CHARS} are accepted"
        )
    value = float(text)
    if not math.isfinite(value):
        raise JsonRejected(f"the number {text[:40]} is out of range")
    return value


def _constant(name: str) -> Any:
    raise JsonRejected(f"{name} is not JSON; send a number or null")


def loads(data: bytes | str, what: str = "the request body") -> Any:
    """Parse JSON within the bounds above; ``JsonRejected`` names ``what`` and the problem."""
    try:
        value = json.loads(data, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except JsonRejected as exc:
        raise JsonRejected(f"{what} is refused: {exc.message}") from None
    except UnicodeDecodeError:
        raise JsonRejected(f"{what} is not UTF-8 encoded JSON") from None
    except json.JSONDecodeError as exc:
        raise JsonRejected(
            f"{what} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise JsonRejected(f"{what} is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # e.g. Python's own integer-size guard
        raise JsonRejected(f"{what} is refused: {exc}") from None
    check_value(value, what)
    return value


def check_value(value: Any, what: str) -> None:
    """Depth, storable text and text length of an already parsed value (iterative: no recursion)."""
    stack: list[tuple[Any, int, str]] = [(value, 1, "")]
    while stack:
        node, depth, field = stack.pop()
        if isinstance(node, str):
            check_text(node, f"{what} field '{field}'" if field else what, field)
            continue
        if not isinstance(node, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise JsonRejected(f"{what} is nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            for key, item in node.items():
                check_text(str(key), f"a field name in {what}", "")
                stack.append((item, depth + 1, str(key)))
        else:
            stack.extend((item, depth + 1, field) for item in node)


def check_text(text: str, where: str, field: str = "") -> None:
    if _SURROGATE.search(text):
        raise JsonRejected(
            f"{where} holds a lone UTF-16 surrogate (e.g. \\ud800) that is not valid Unicode text; "
            "send UTF-8 text"
        )
    if len(text) > MAX_TEXT_CHARS and field not in BINARY_CARRIERS:
        raise JsonRejected(
            f"{where} is {len(text)} characters long; text fields hold at most "
            f"{MAX_TEXT_CHARS} characters"
        )


def check_fields(fields: Iterable[tuple[str, Any]], what: str) -> None:
    """The same checks for form fields (multipart or urlencoded)."""
    for key, value in fields:
        check_value({key: value}, what)
