"""Typed exceptions for everything that can go wrong when calling Bria.

Every exception derives from :class:`BriaError`. HTTP error statuses become an
:class:`APIStatusError` subclass chosen by status code, carrying the status, the decoded body,
Bria's ``request_id`` and a readable message taken from whichever documented error shape the body
has:

* a bare JSON string (403 quota / access denied),
* ``{"message": "..."}`` (409 on delete model, 400 on start training),
* ``{"errors": [{"msg", "field_name", "field_input"}]}`` (400 parameter violations),
* Bria's envelope ``{"error": {"code", "message", "details"}, "request_id"}`` (everything else).

Transport failures become :class:`APIConnectionError` / :class:`APITimeoutError`; these also
subclass the matching httpx exceptions so code written against plain httpx keeps working.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Protocol, TypeVar

import httpx

from ._redact import redact, redact_value
from ._retry_after import parse_retry_after

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BriaError",
    "ConflictError",
    "InternalServerError",
    "InvalidField",
    "InvalidTokenError",
    "JobFailed",
    "MissingTokenError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "UnexpectedResponseError",
    "UnexpectedStatusError",
    "UnknownJobStatus",
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
    "WaitTimeout",
    "error_class_for_status",
    "expect",
    "raise_for_status",
    "status_error_from_response",
]

# Error bodies are quoted in messages; a multi-megabyte HTML error page must not be.
_MAX_QUOTED_BODY = 500


class BriaError(Exception):
    """Base class of every exception raised by the ``bria_tailored`` runtime."""

    def __init__(self, message: str) -> None:
        self.message = redact(message)
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class MissingTokenError(BriaError, ValueError):
    """No API token was given and none is set in the environment."""


class InvalidTokenError(MissingTokenError):
    """The API token is present but cannot be sent in an HTTP header (non-ASCII, line breaks).

    A subclass of :class:`MissingTokenError`: either way there is no usable token.
    """


@dataclass(frozen=True)
class InvalidField:
    """One entry of a ``{"errors": [...]}`` validation body."""

    msg: str
    field_name: str | None
    field_input: Any


class APIStatusError(BriaError):
    """The API answered with a non-2xx status.

    Attributes:
        status_code: the HTTP status as an int (Bria uses non-standard ones such as 460).
        body: the decoded JSON body, the raw text when it is not JSON, or ``None`` when empty.
        request_id: Bria's ``request_id`` from the body or the ``X-Request-ID`` header, if any.
        code: ``error.code`` of Bria's error envelope, if the body has one.
        details: ``error.details`` of Bria's error envelope, if the body has one.
        field_errors: the entries of an ``{"errors": [...]}`` body, else empty.
        headers: the response headers.
    """

    status_code: int

    def __init__(
        self,
        status_code: int,
        body: object,
        request_id: str | None = None,
        message: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status_code = int(status_code)
        # A server may echo the credential it rejected: keep it out of every attribute.
        body = redact_value(body)
        self.body = body
        self.headers: Mapping[str, str] = {k: redact(v) for k, v in (headers or {}).items()}
        info = _describe_body(body)
        self.code: int | None = info.code
        self.details: str | None = info.details
        self.field_errors: tuple[InvalidField, ...] = info.field_errors
        self.request_id = request_id or info.request_id or _header(self.headers, "x-request-id")
        text = message if message is not None else info.message
        super().__init__(_format_status_message(self.status_code, text, self.request_id))
        self.reason = _reason(self.status_code)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, "
            f"request_id={self.request_id!r}, message={self.message!r})"
        )


class BadRequestError(APIStatusError):
    """400: the request was malformed or broke a documented constraint."""

    status_code = 400


class AuthenticationError(APIStatusError):
    """401: the API token is missing or invalid."""

    status_code = 401


class PermissionDeniedError(APIStatusError):
    """403: quota exhausted or access to the resource denied."""

    status_code = 403


class NotFoundError(APIStatusError):
    """404: the project, dataset, image, model, checkpoint or request does not exist."""

    status_code = 404


class ConflictError(APIStatusError):
    """409: the resource is in a state that forbids the operation (e.g. model in use)."""

    status_code = 409


class PreconditionFailedError(APIStatusError):
    """412: a documented precondition does not hold (e.g. dataset not completed)."""

    status_code = 412


class PayloadTooLargeError(APIStatusError):
    """413: the uploaded file or archive is too large."""

    status_code = 413


class UnsupportedMediaTypeError(APIStatusError):
    """415: the uploaded file type is not accepted."""

    status_code = 415


class UnprocessableEntityError(APIStatusError):
    """422: the request was well formed but its content could not be processed."""

    status_code = 422


class RateLimitError(APIStatusError):
    """429: too many requests. ``retry_after`` is the server's hint in seconds, if it gave one."""

    status_code = 429

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers)


class InternalServerError(APIStatusError):
    """5xx: Bria failed to handle the request; retrying later may succeed."""


class UnexpectedStatusError(APIStatusError):
    """Any other non-2xx status, including Bria's non-standard ones such as 460."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    412: PreconditionFailedError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for_status(status_code: int) -> type[APIStatusError]:
    """The :class:`APIStatusError` subclass raised for ``status_code``."""
    if status_code in _BY_STATUS:
        return _BY_STATUS[status_code]
    if 500 <= status_code <= 599:
        return InternalServerError
    return UnexpectedStatusError


class APIConnectionError(BriaError, httpx.TransportError):
    """The request could not be completed: DNS, connect, TLS or a dropped connection."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        BriaError.__init__(self, message)
        self._request = request


class APITimeoutError(APIConnectionError, httpx.TimeoutException):
    """The request exceeded the client's timeout."""


class UnexpectedResponseError(BriaError):
    """A 2xx response whose body is not what the operation declares."""

    @classmethod
    def for_body(cls, response: _ResponseLike, reason: object) -> UnexpectedResponseError:
        """The error for a success ``response`` whose body failed to parse because of ``reason``."""
        status = int(response.status_code)
        shown = decode_body(response.content)
        return cls(
            f"HTTP {status} response body is not the declared shape ({reason}): "
            f"{_quote(shown) if shown is not None else 'empty body'}"
        )


class WaitTimeout(BriaError, TimeoutError):
    """A waiter gave up before the job reached a terminal state.

    Attributes:
        last_status: the status seen at the last poll.
        elapsed: seconds spent waiting.
        snapshot: the last object fetched (model, dataset, upload or request status).
    """

    def __init__(self, message: str, *, last_status: str, elapsed: float, snapshot: object) -> None:
        super().__init__(message)
        self.last_status = last_status
        self.elapsed = elapsed
        self.snapshot = snapshot


class JobFailed(BriaError):
    """A long-running job ended in a failure state.

    Attributes:
        status: the terminal status (``Failed``, ``failed``, ``ERROR``, ``UNKNOWN``).
        code / details: Bria's error code and details when the job reported them.
        request_id: the request id of a failed v2 request.
        snapshot: the last object fetched.
    """

    def __init__(
        self,
        message: str,
        *,
        status: str,
        snapshot: object,
        code: int | None = None,
        details: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.snapshot = snapshot
        self.code = code
        self.details = None if details is None else redact(details)
        self.request_id = request_id


class UnknownJobStatus(BriaError):
    """A waiter kept seeing a status no Bria document names, for longer than its grace period.

    Waiting on would risk waiting forever on a state that never ends, so the waiter stops and
    says what it saw; handle the status and wait again if it is a legitimate new one.

    Attributes:
        status: the unrecognised status exactly as the server sent it.
        elapsed: seconds spent waiting.
        snapshot: the last object fetched.
    """

    def __init__(self, message: str, *, status: str, elapsed: float, snapshot: object) -> None:
        super().__init__(message)
        self.status = status
        self.elapsed = elapsed
        self.snapshot = snapshot


class _ResponseLike(Protocol):
    @property
    def status_code(self) -> int: ...

    @property
    def content(self) -> bytes: ...

    @property
    def headers(self) -> Any: ...


R = TypeVar("R", bound=_ResponseLike)
T = TypeVar("T")


def status_error_from_response(response: _ResponseLike) -> APIStatusError:
    """Build the typed error for a non-2xx generated ``Response`` or ``httpx.Response``."""
    status = int(response.status_code)
    body = decode_body(response.content)
    cls = error_class_for_status(status)
    return cls(status, body, headers=_plain_headers(response.headers))


def raise_for_status(response: R) -> R:
    """Return ``response`` unchanged when its status is 2xx, else raise the typed error.

    Accepts the ``Response`` returned by every generated ``*_detailed`` function (and a plain
    ``httpx.Response``)::

        resp = raise_for_status(get_model.sync_detailed(42, client=client))
    """
    if 200 <= int(response.status_code) <= 299:
        return response
    raise status_error_from_response(response)


class _ParsedResponse(_ResponseLike, Protocol):
    @property
    def parsed(self) -> object: ...


def expect(response: _ParsedResponse, expected: type[T]) -> T:
    """The parsed body of a successful ``response`` as ``expected``, else a typed error.

    Non-2xx statuses raise their :class:`APIStatusError`; a 2xx whose body did not parse as
    ``expected`` raises :class:`UnexpectedResponseError`::

        model = expect(get_model.sync_detailed(42, client=client), Model)
    """
    raise_for_status(response)
    parsed = response.parsed
    if isinstance(parsed, expected):
        return parsed
    raise UnexpectedResponseError(
        f"HTTP {int(response.status_code)} response did not parse as {expected.__name__} "
        f"(got {type(parsed).__name__}): {_quote(decode_body(response.content))}"
    )


def decode_body(content: bytes) -> object:
    """The JSON value of ``content``, its text when it is not JSON, ``None`` when empty."""
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class _BodyInfo:
    message: str | None = None
    code: int | None = None
    details: str | None = None
    request_id: str | None = None
    field_errors: tuple[InvalidField, ...] = ()


def _describe_body(body: object) -> _BodyInfo:
    if body is None:
        return _BodyInfo()
    if isinstance(body, str):
        return _BodyInfo(message=body.strip() or None)
    if not isinstance(body, Mapping):
        return _BodyInfo(message=_quote(body))
    request_id = _str_or_none(body.get("request_id"))
    envelope = body.get("error")
    if isinstance(envelope, Mapping):
        code = envelope.get("code")
        message = _str_or_none(envelope.get("message"))
        details = _str_or_none(envelope.get("details"))
        text = message
        if details and details != message:
            text = f"{message}: {details}" if message else details
        return _BodyInfo(
            message=text,
            code=code if isinstance(code, int) and not isinstance(code, bool) else None,
            details=details,
            request_id=request_id,
        )
    if isinstance(envelope, str):
        return _BodyInfo(message=envelope, request_id=request_id)
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        fields = tuple(_field_error(item) for item in errors)
        return _BodyInfo(
            message="; ".join(_describe_field_error(f) for f in fields),
            request_id=request_id,
            field_errors=fields,
        )
    for key in ("message", "detail", "status"):
        text = _str_or_none(body.get(key))
        if text:
            return _BodyInfo(message=text, request_id=request_id)
    return _BodyInfo(message=_quote(body), request_id=request_id)


def _field_error(item: object) -> InvalidField:
    if isinstance(item, Mapping):
        return InvalidField(
            msg=str(item.get("msg", item.get("message", ""))),
            field_name=_str_or_none(item.get("field_name")),
            field_input=item.get("field_input"),
        )
    return InvalidField(msg=str(item), field_name=None, field_input=None)


def _describe_field_error(error: InvalidField) -> str:
    text = f"{error.field_name}: {error.msg}" if error.field_name else error.msg
    if error.field_input is not None:
        text += f" (got {error.field_input!r})"
    return text


def _format_status_message(status: int, text: str | None, request_id: str | None) -> str:
    head = f"HTTP {status}"
    reason = _reason(status)
    if reason:
        head += f" {reason}"
    message = f"{head}: {_quote(text)}" if text else head
    if request_id:
        message += f" (request_id={request_id})"
    return message


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _quote(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    # Masked before the cut: a token straddling the limit would otherwise survive in part.
    text = redact(text)
    if len(text) > _MAX_QUOTED_BODY:
        text = text[:_MAX_QUOTED_BODY] + "…"
    return text


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _plain_headers(headers: Any) -> dict[str, str]:
    if headers is None:
        return {}
    return {str(k).lower(): str(v) for k, v in headers.items()}


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None
