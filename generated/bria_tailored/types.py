"""Contains some shared types for properties"""

import json
from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, TypeVar

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
    "status_from_code",
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
]
