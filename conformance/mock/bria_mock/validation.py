"""Turn an HTTP request into validated parameters and body, or a 4xx that says what is wrong.

One generic layer for every operation: it reads the matched operation's parameters and request
bodies from the spec, coerces text (path, query, header, form fields) to the declared types and
validates everything with the precompiled schemas (a JSON body after reading the forms Bria's
clients send as their canonical values, request_forms.py). Rules that the spec cannot
express live in the resource modules; no handler repeats a type, required field, enum or bound
checked here.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
from python_multipart.multipart import parse_options_header
from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from . import bounded_json
from .errors import ApiError
from .request_forms import canonical_body
from .spec import Body, Operation, Param

INT64_MAX = 2**63 - 1
# One spelling of an integer in text (path ids, query, header, form fields), the one JSON and the
# API's own answers use: ASCII digits, no leading zero, an optional minus sign. int() would also
# read fullwidth or Arabic-Indic digits, a plus sign, leading zeros and surrounding whitespace
# ("1\u00a0", "1\n", " 1", "+1", "01"): none of those names a record (catalog shape.path-ids).
_INT = re.compile(r"0|-?[1-9][0-9]*")
_NUMBER = re.compile(r"-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_FILE_PLACEHOLDER = "<file>"


def ascii_int(text: str, max_digits: int = 19) -> int | None:
    """A non-negative integer in the one spelling of ``_INT``, or None (never raises)."""
    if len(text) > max_digits or not _INT.fullmatch(text) or text.startswith("-"):
        return None
    return int(text)


@dataclass
class Upload:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Parsed:
    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    media_type: str | None = None
    files: dict[str, Upload] = field(default_factory=dict)


def _coerce(text: str, type_name: str | None, where: str) -> Any:
    if type_name == "integer":
        if not _INT.fullmatch(text) or len(text) > bounded_json.MAX_NUMBER_CHARS:
            raise ValueError(
                f"{where} must be an integer in ASCII digits (no spaces, '+' or leading zeros), "
                f"got {text[:40]!r}"
            )
        value = int(text)
        if abs(value) > INT64_MAX:
            raise ValueError(f"{where} is out of range (at most {INT64_MAX})")
        return value
    if type_name == "number":
        number = float(text) if _NUMBER.fullmatch(text) else math.nan
        if not math.isfinite(number) or len(text) > bounded_json.MAX_NUMBER_CHARS:
            raise ValueError(f"{where} must be a number, got {text[:40]!r}")
        return number
    if type_name == "boolean":
        lowered = text.strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise ValueError(f"{where} must be true or false, got {text[:40]!r}")
    return text


def describe(error: jsonschema_rs.ValidationError, where: str) -> str:
    location = where
    if error.instance_path:
        location = f"{where} field '{'.'.join(str(p) for p in error.instance_path)}'"
    kind = error.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        return f"{location} is missing the required field '{kind.property}'"
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        return f"{location} has unexpected field(s) {', '.join(map(repr, kind.unexpected))}"
    return f"{location}: {_short(error.message)}"


def _short(message: str) -> str:
    return message if len(message) <= 300 else message[:297] + "..."


def field_error(error: jsonschema_rs.ValidationError) -> dict[str, Any]:
    """Pydantic-style entry for Bria's ``errors[]`` body (documented on start_training)."""
    kind = error.kind
    name = ".".join(str(p) for p in error.instance_path)
    value: Any = error.instance
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Maximum):
        msg = f"Input should be less than or equal to {kind.limit}"
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Minimum):
        msg = f"Input should be greater than or equal to {kind.limit}"
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.ExclusiveMaximum):
        msg = f"Input should be less than {kind.limit}"
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.ExclusiveMinimum):
        msg = f"Input should be greater than {kind.limit}"
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Enum):
        msg = "Input should be " + " or ".join(repr(o) for o in kind.options)
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Type):
        msg = "Input should be a valid " + " or ".join(kind.types)
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        name = ".".join([*(str(p) for p in error.instance_path), kind.property])
        msg, value = "Field required", None
    elif isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        name = ".".join([*(str(p) for p in error.instance_path), *kind.unexpected])
        msg = "Extra inputs are not permitted"
    else:
        msg = _short(error.message)
    return {"msg": msg, "field_name": name, "field_input": field_input_text(value)}


def field_input_text(value: Any) -> str:
    """Bria echoes the offending input as text (e.g. "1000000")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _check(validator: jsonschema_rs.Validator, value: Any, where: str) -> None:
    if validator.is_valid(value):
        return
    errors = list(validator.iter_errors(value))[:5]
    raise ApiError(
        400,
        "; ".join(describe(e, where) for e in errors),
        field_errors=[field_error(e) for e in errors],
    )


def parse_params(op: Operation, raw_path: dict[str, str], request: Request) -> Parsed:
    parsed = Parsed()
    for (location, key), param in op.params.items():
        if location == "path":
            raw, target = raw_path.get(param.name), parsed.path
        elif location == "query":
            raw, target = request.query_params.get(param.name), parsed.query
        elif location == "header":
            raw, target = request.headers.get(key), parsed.headers
        else:
            continue
        if raw is None:
            if param.required:
                raise ApiError(400, f"the required {location} parameter '{param.name}' is missing")
            continue
        _one_param(param, raw, target)
    return parsed


def _one_param(param: Param, raw: str, target: dict[str, Any]) -> None:
    where = f"{param.location} parameter '{param.name}'"
    # A malformed id in the path names no resource: 404 where 400 is not declared.
    status = (400, 404) if param.location == "path" else (400,)
    try:
        value = _coerce(raw, param.type, where)
    except ValueError as exc:
        raise ApiError(status, str(exc)) from None
    if not param.only_typed and not param.validator.is_valid(value):
        errors = list(param.validator.iter_errors(value))[:3]
        raise ApiError(status, "; ".join(describe(e, where) for e in errors))
    target[param.name] = value


async def parse_body(op: Operation, content_type: str | None, body: bytes, parsed: Parsed) -> None:
    if not op.bodies:
        return
    media = (content_type or "").split(";")[0].strip().lower()
    if not body and not media:
        if op.body_required:
            accepted = " or ".join(op.bodies)
            raise ApiError(400, f"a request body is required ({accepted})")
        return
    if not media:
        # Clients that forget the header almost always mean JSON.
        media = "application/json" if "application/json" in op.bodies else next(iter(op.bodies))
    spec_body = op.bodies.get(media)
    if spec_body is None:
        raise ApiError(
            (415, 400),
            f"Content-Type {media!r} is not accepted here; send {' or '.join(op.bodies)}",
        )
    parsed.media_type = media
    if media == "application/json" or media.endswith("+json"):
        if not body.strip():
            if op.body_required:
                raise ApiError(400, "the request body is empty; send a JSON object")
            return
        parsed.body = canonical_body(op.client_forms, _parse_json(body))
    elif media == "multipart/form-data":
        parsed.body, parsed.files = await _parse_multipart(spec_body, content_type or "", body)
    elif media == "application/x-www-form-urlencoded":
        from urllib.parse import parse_qsl

        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise ApiError(400, _NOT_UTF8.format(what="the form body")) from None
        types = spec_body.property_types()
        form: dict[str, Any] = {}
        for key, value in pairs:
            form[key] = _coerce_field(key, value, types.get(key))
        _check_fields(form)
        parsed.body = form
    else:
        parsed.body = body
        return
    _check(spec_body.validator, _with_placeholders(parsed.body, parsed.files), "request body")


def _parse_json(body: bytes) -> Any:
    try:
        return bounded_json.loads(body)
    except bounded_json.JsonRejected as exc:
        raise ApiError(400, exc.message) from None


def _coerce_field(name: str, value: str, type_name: str | None) -> Any:
    try:
        return _coerce(value, type_name, f"form field '{name}'")
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None


_NOT_UTF8 = "{what} is not UTF-8 text; send text fields UTF-8 encoded, as in a JSON body"


class _NotUtf8(MultiPartException):
    pass


def _utf8(data: bytes | bytearray, what: str) -> str:
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        raise _NotUtf8(_NOT_UTF8.format(what=what)) from None


class _Utf8MultiPartParser(MultiPartParser):
    """Text in a multipart body is read as UTF-8, as in a JSON body, whatever charset it claims.

    Starlette decodes text that is not valid in the declared charset as Latin-1, which would store
    mojibake for the same bytes a JSON body refuses; these two callbacks (Starlette's own, run
    during ``parse``) decode field values, field names and filenames strictly instead.
    """

    def on_headers_finished(self) -> None:
        super().on_headers_finished()
        _, options = parse_options_header(self._current_part.content_disposition)
        name = _utf8(options.get(b"name", b""), "a form field name")
        self._current_part.field_name = name
        upload = self._current_part.file
        if upload is not None and b"filename" in options:
            upload.filename = _utf8(options[b"filename"], f"the filename of form field {name!r}")

    def on_part_end(self) -> None:
        part = self._current_part
        if part.file is None:
            self.items.append(
                (part.field_name, _utf8(part.data, f"form field {part.field_name!r}"))
            )
        else:
            super().on_part_end()


async def _parse_multipart(
    spec_body: Body, content_type: str, body: bytes
) -> tuple[dict[str, Any], dict[str, Upload]]:
    async def stream() -> Any:
        yield body

    headers = Headers({"content-type": content_type})
    parser = _Utf8MultiPartParser(
        headers, stream(), max_files=16, max_fields=64, max_part_size=1024 * 1024
    )
    try:
        form = await parser.parse()
    except _NotUtf8 as exc:
        raise ApiError(400, exc.message) from None
    except MultiPartException as exc:
        raise ApiError(400, f"the multipart body is malformed: {exc.message}") from None
    types = spec_body.property_types()
    fields: dict[str, Any] = {}
    files: dict[str, Upload] = {}
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read()
                files[key] = Upload(value.filename or key, value.content_type or "", data)
            else:
                fields[key] = _coerce_field(key, value, types.get(key))
    finally:
        await form.close()
    _check_fields(fields)
    return fields, files


def _check_fields(fields: dict[str, Any]) -> None:
    try:
        bounded_json.check_fields(fields.items(), "the form")
    except bounded_json.JsonRejected as exc:
        raise ApiError(400, exc.message) from None


def _with_placeholders(body: Any, files: dict[str, Upload]) -> Any:
    if not files or not isinstance(body, dict):
        return body
    merged = dict(body)
    for key in files:
        merged[key] = _FILE_PLACEHOLDER
    return merged
