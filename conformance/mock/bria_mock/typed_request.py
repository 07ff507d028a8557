"""One reading of a validated request into the typed request its domain declares.

Each domain module declares what its operations ask for as frozen, keyword-only dataclasses
whose fields are named as the request's keys (``domain.datasets.DatasetUpdate``…). ``parse``
fills one from the body (or the query) the spec validation has already checked, so handlers
never read a ``dict`` and the domain's rules read attributes. How a field is read follows from
its annotation, decided once per class:

- ``bool``: the value's truth (the field's default when the key is absent); ``bool | None``
  the same, null staying None;
- ``int`` / ``int | None``: the value as an integer (null stays None);
- ``float`` / ``float | None``: the number as sent: JSON Schema's ``number`` admits ``1`` and
  Python's numeric tower an ``int`` where a ``float`` is declared, and keeping ``1`` as sent
  keeps what an output is drawn from unchanged;
- a ``StrEnum`` (``| None``): the enum member of that value;
- a ``Document`` (``| None``): the document the edge parsed from that string field
  (``documents.read_request``), None when the field is absent or null;
- ``Upload | None``: the multipart file of that name;
- ``frozenset[str]`` named ``given``: the keys the body holds, which tells null from absent;
- anything else (``str | None``, ``list[str] | None``, ``Mapping[str, Any] | None``, a union
  such as ``int | float | None``): the value as sent, or the default;
- ``Any``: the value as sent, allowed only on a field whose metadata is ``free(reason)``, whose
  reason names why the spec does not fix its type (the typed-request test holds every request
  class to this).

A field whose ``metadata`` holds ``keys`` is read from the first of those keys present. Values
are taken as they are: types, enums and bounds were checked against the spec before (fields the
spec leaves free are ``free`` and the domain's rules check them). Path parameters are read the
same way (``Ctx.parse_path``): the edge has already turned each into its declared type, answering
a malformed id with 404 or 400 (catalog shape.path-ids).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from .documents import Document
from .validation import Upload

R = TypeVar("R")

# (documents, files) of the request a field may read besides its mapping
_Sides = tuple[Mapping[str, Document], Mapping[str, Upload]]
_Reader = Callable[[Mapping[str, Any], _Sides], Any]

_PLANS: dict[type[Any], tuple[tuple[str, _Reader], ...]] = {}
FREE = "free"


def free(reason: str) -> dict[str, str]:
    """The metadata of a field the spec leaves free (annotated ``Any``): the reason why.
    ``field(default=None, metadata=free("..."))``; such a field is read as sent."""
    if not reason.strip():
        raise ValueError("a free field needs its reason")
    return {FREE: reason}


def parse(
    cls: type[R],
    values: Mapping[str, Any],
    documents: Mapping[str, Document] | None = None,
    files: Mapping[str, Upload] | None = None,
) -> R:
    """``cls`` filled from ``values`` (a validated body or query)."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _plan(cls)
    sides = (documents or {}, files or {})
    return cls(**{name: read(values, sides) for name, read in plan})


def _plan(cls: type[Any]) -> tuple[tuple[str, _Reader], ...]:
    if not (dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen):  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__} is not a frozen dataclass")
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _reader(f, hints[f.name])) for f in dataclasses.fields(cls))


def _default(f: dataclasses.Field[Any]) -> Callable[[], Any]:
    if f.default is not dataclasses.MISSING:
        value = f.default
        return lambda: value
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory
    return lambda: None


def _reader(f: dataclasses.Field[Any], hint: Any) -> _Reader:
    keys: tuple[str, ...] = tuple(f.metadata.get("keys", (f.name,)))
    default = _default(f)
    if f.name == "given":
        return lambda values, sides: frozenset(values)
    inner = _without_none(hint)
    if isinstance(inner, type) and issubclass(inner, Document):
        return _document(keys[0], inner)
    if inner is Upload:
        return lambda values, sides: next((sides[1][k] for k in keys if k in sides[1]), default())

    def raw(values: Mapping[str, Any], sides: _Sides) -> Any:
        for key in keys:
            if key in values:
                return values[key]
        return default()

    convert: Callable[[Any], Any] | None = None
    if inner is bool:
        convert = bool
    elif inner is int:
        convert = int
    elif isinstance(inner, type) and issubclass(inner, StrEnum):
        convert = inner
    if convert is None:
        return raw
    if hint is bool:
        return lambda values, sides: bool(raw(values, sides))
    to = convert

    def converted(values: Mapping[str, Any], sides: _Sides) -> Any:
        value = raw(values, sides)
        return None if value is None else to(value)

    return converted


def _document(key: str, kind: type[Document]) -> _Reader:
    def read(values: Mapping[str, Any], sides: _Sides) -> Any:
        found = sides[0].get(key)
        if found is not None and not isinstance(found, kind):
            raise TypeError(f"{key} holds a {type(found).__name__}, not a {kind.__name__}")
        return found

    return read


def _without_none(hint: Any) -> Any:
    """``X`` of ``X | None``; the hint itself otherwise."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return hint
