"""Contains some shared types for properties"""

import json
import re
from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, TypeVar

import httpx
from attrs import define


class Unset:
    """The value of every optional field that was not set (and is therefore not sent)."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


_REGISTERED: dict[int, HTTPStatus] = {status.value: status for status in HTTPStatus}


def status_from_code(code: int) -> HTTPStatus | int:
    """The status as an HTTPStatus when it is a registered one, else the bare int.

    Bria answers with statuses outside the IANA registry (460, 506); ``HTTPStatus(460)`` raises,
    so an unknown status must stay a plain value instead of breaking the call.
    """
    return _REGISTERED.get(code, code)


_DECODER = json.JSONDecoder()


def json_body(content: bytes) -> Any:
    """``json.loads(content)``, which ``httpx.Response.json()`` calls, for every response body.

    A UTF-8 document with nothing around it (what Bria and every JSON server send) skips the
    encoding detection and the whitespace scans around the document. Anything else (a byte
    order mark, UTF-16, surrounding whitespace, trailing data, invalid JSON) takes the standard
    path, so the value and the error raised are the same as ``json.loads``'s.
    """
    try:
        text = content.decode()
        value, end = _DECODER.raw_decode(text)
    except ValueError:
        return json.loads(content)
    return value if end == len(text) else json.loads(content)


# A path httpx keeps exactly as written when it joins it to a base URL: only characters it never
# escapes, percent escapes, and no "." or ".." segment to remove ("/." covers both).
_PLAIN_PATH = re.compile(
    r"/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*"
)


def _joined(base: httpx.URL, path: str) -> httpx.URL:
    parts = base._uri_reference
    url = httpx.URL.__new__(httpx.URL)
    # httpx joins to the raw path, which is "/" for a base with an empty path.
    url._uri_reference = parts._replace(path=(parts.path or "/") + path[1:])
    return url


def request_url(base: httpx.URL, path: str) -> httpx.URL | str:
    """The URL httpx sends ``path`` to on a client whose ``base_url`` is ``base``.

    httpx parses the relative path and then the joined URL on every request, about a fifth of a
    call's CPU time on a fast connection. An operation's path is already percent-encoded (path
    parameters are quoted), so joining it to the parsed base gives the same URL without either
    parse. Anything unusual (a base with a query or fragment, a path httpx would re-escape or
    normalize, an httpx whose URL is built differently) gets ``path`` back for httpx to join.
    """
    if _JOIN_IN_PLACE and _PLAIN_PATH.fullmatch(path) and "/." not in path:
        parts = base._uri_reference
        if parts.host and parts.query is None and parts.fragment is None:
            return _joined(base, path)
    return path


def _joins_like_httpx() -> bool:
    # Checked once on import: the shortcut stands only while it builds what httpx's own join
    # (httpx.Client._merge_url on a base_url that ends in "/") builds.
    try:
        for base, path in (
            ("https://engine.invalid", "/v1/tailored-gen/models/42"),
            ("http://user:pw@[::1]:8080/api/", "/v2/x%2Fy/-._~!$&'()*+,;=:@%7E"),
        ):
            base_url = httpx.URL(base)
            expected = base_url.copy_with(
                raw_path=base_url.raw_path + httpx.URL(path).raw_path.lstrip(b"/")
            )
            joined = _joined(base_url, path)
            if (
                joined != expected
                or joined.raw_path != expected.raw_path
                or joined.netloc != expected.netloc
                or str(joined) != str(expected)
            ):
                return False
    except Exception:
        return False
    return True


_JOIN_IN_PLACE = _joins_like_httpx()


def carries_nothing(model: object) -> bool:
    """True for a parsed model with no field set and no additional property: the body was ``{}``.

    The same answer as ``not model.to_dict()``, without serializing the whole model on every
    successful call.
    """
    # Required fields come first, so a model that has one stops at the first field.
    for field in type(model).__attrs_attrs__:
        value = getattr(model, field.name)
        if field.name == "additional_properties":
            if value:
                return False
        elif value is not UNSET:
            return False
    return True


__all__ = [
    "carries_nothing",
    "json_body",
    "request_url",
    "status_from_code",
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
]
