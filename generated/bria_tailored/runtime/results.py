"""One result object for every way Bria reports a generation.

Bria's v2 generation endpoints answer in several shapes:

* sync 200 as the OpenAPI bundle documents it: ``{"image_url", "structured_prompt"}``;
* sync 200 as Bria's status docs and SDK read it: ``{"result": {...}, "request_id"}``;
* async 202: ``{"request_id", "status_url"}`` (nothing generated yet);
* the Status Service: ``{"request_id", "status", "result": {...}, "error": {...}}``.

:func:`parse_generation_response` reads any of them into a :class:`GenerationOutput`, so calling
code does not care which one arrived.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .errors import UnexpectedResponseError, decode_body, raise_for_status

__all__ = ["GenerationOutput", "parse_generation_response"]

COMPLETED = "COMPLETED"
IN_PROGRESS = "IN_PROGRESS"


@dataclass(frozen=True)
class GenerationOutput:
    """What a generation request produced, or how far it got.

    Attributes:
        status: ``COMPLETED`` for a sync answer, ``IN_PROGRESS`` for a 202, else the Status
            Service's value (``ERROR``, ``UNKNOWN`` or anything newer, kept as sent).
        request_id / status_url: identifiers for polling, when the server sent them.
        image_url / video_url / structured_prompt / seed / prompt / refined_prompt: the result
            fields that were present (``None`` otherwise). ``seed`` is an int even when the
            server sends it as a string, as Bria's own status examples do.
        error_code / error_message / error_details: the ``error`` object of a failed request.
        raw: the decoded body, unchanged.
    """

    status: str
    request_id: str | None = None
    status_url: str | None = None
    image_url: str | None = None
    video_url: str | None = None
    structured_prompt: str | None = None
    seed: int | None = None
    prompt: str | None = None
    refined_prompt: str | None = None
    error_code: int | None = None
    error_message: str | None = None
    error_details: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def done(self) -> bool:
        """True when the output is final and successful."""
        return self.status == COMPLETED

    @property
    def pending(self) -> bool:
        """True while the request is still being processed (202 or ``IN_PROGRESS``)."""
        return self.status == IN_PROGRESS

    @property
    def url(self) -> str | None:
        """The generated asset: ``image_url`` or ``video_url``."""
        return self.image_url or self.video_url

    def structured_prompt_data(self) -> Any:
        """``structured_prompt`` decoded from its JSON string (``None`` when absent)."""
        if self.structured_prompt is None:
            return None
        return json.loads(self.structured_prompt)


class _ResponseLike(Protocol):
    @property
    def status_code(self) -> int: ...

    @property
    def content(self) -> bytes: ...

    @property
    def headers(self) -> Any: ...


def parse_generation_response(
    source: _ResponseLike | Mapping[str, Any] | bytes | str,
) -> GenerationOutput:
    """Read a generation or status answer in any of Bria's shapes.

    ``source`` is a generated ``Response`` (or ``httpx.Response``), or an already decoded body.
    A non-2xx response raises its typed :class:`~.errors.APIStatusError`; a body that is not a
    JSON object raises :class:`~.errors.UnexpectedResponseError`.
    """
    status_code: int | None = None
    if isinstance(source, Mapping):
        body: object = source
    elif isinstance(source, bytes | str):
        body = decode_body(source.encode() if isinstance(source, str) else source)
    else:
        raise_for_status(source)
        status_code = int(source.status_code)
        body = decode_body(source.content)
    if not isinstance(body, Mapping):
        raise UnexpectedResponseError(
            f"a generation response must be a JSON object, got {type(body).__name__}"
        )
    return _from_body(body, accepted=status_code == 202)


def _from_body(body: Mapping[str, Any], *, accepted: bool) -> GenerationOutput:
    result = body.get("result")
    fields: Mapping[str, Any] = result if isinstance(result, Mapping) else body
    error = body.get("error")
    error_map: Mapping[str, Any] = error if isinstance(error, Mapping) else {}
    status = _text(body.get("status"))
    if status is None:
        has_output = any(
            fields.get(key) is not None for key in ("image_url", "video_url", "structured_prompt")
        )
        status = COMPLETED if has_output and not accepted else IN_PROGRESS
    return GenerationOutput(
        status=status,
        request_id=_text(body.get("request_id")),
        status_url=_text(body.get("status_url")),
        image_url=_text(fields.get("image_url")),
        video_url=_text(fields.get("video_url")),
        structured_prompt=_structured(fields.get("structured_prompt")),
        seed=_int(fields.get("seed")),
        prompt=_text(fields.get("prompt")),
        refined_prompt=_text(fields.get("refined_prompt")),
        error_code=_int(error_map.get("code")),
        error_message=_text(error_map.get("message")) or _text_if_str(error),
        error_details=_text(error_map.get("details")),
        raw=body,
    )


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _text_if_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _structured(value: object) -> str | None:
    # Documented as a JSON string; an object sent instead is kept in the same (string) form.
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None
