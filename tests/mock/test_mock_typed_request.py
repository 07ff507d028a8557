"""The one reading of a validated request into a domain's typed request (``typed_request``)."""

from __future__ import annotations

import ast
import collections.abc
import dataclasses
import importlib
import inspect
import types
import typing
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from bria_mock import resources
from bria_mock.documents import Document, StructuredPrompt, VisualSchema, read_request
from bria_mock.domain.datasets import DatasetStatus, DatasetUpdate
from bria_mock.spec import compiled_spec
from bria_mock.typed_request import FREE, free, parse
from bria_mock.validation import Upload


@dataclass(frozen=True, kw_only=True)
class Example:
    count: int
    flag: bool = True
    note: str | None = None
    status: DatasetStatus | None = None
    raw: Any = "default"
    archive: Upload | None = field(default=None, metadata={"keys": ("file", "zip_file")})
    given: frozenset[str] = frozenset()


def test_fields_are_read_by_their_annotation() -> None:
    upload = Upload("a.zip", "application/zip", b"PK")
    got = parse(
        Example,
        {"count": 3, "flag": 0, "status": "completed", "raw": None},
        files={"zip_file": upload},
    )
    assert got == Example(
        count=3,
        flag=False,
        note=None,
        status=DatasetStatus.COMPLETED,
        raw=None,
        archive=upload,
        given=frozenset({"count", "flag", "status", "raw"}),
    )
    assert isinstance(got.status, DatasetStatus)


def test_absent_fields_take_their_defaults_and_null_stays_null() -> None:
    got = parse(Example, {"count": 1, "note": None})
    assert (got.flag, got.note, got.raw, got.archive) == (True, None, "default", None)
    assert got.given == frozenset({"count", "note"})


def test_documents_come_from_the_edge() -> None:
    body = {"visual_schema": '{"style": "flat"}', "status": "draft"}
    change = parse(DatasetUpdate, body, read_request(body))
    assert isinstance(change.visual_schema, VisualSchema)
    assert change.schema_given and change.schema_text == change.visual_schema.text
    assert change.status is DatasetStatus.DRAFT
    absent = parse(DatasetUpdate, {"name": "x"}, read_request({"name": "x"}))
    assert not absent.schema_given and absent.schema_text is None


def test_a_document_of_another_kind_is_a_bug_not_a_value() -> None:
    prompt = StructuredPrompt.parse('{"style": "flat"}')
    with pytest.raises(TypeError, match="not a VisualSchema"):
        parse(DatasetUpdate, {"visual_schema": "{}"}, {"visual_schema": prompt})


def test_only_frozen_dataclasses_are_requests() -> None:
    @dataclass
    class Mutable:
        name: str = ""

    with pytest.raises(TypeError, match="not a frozen dataclass"):
        parse(Mutable, {})


@dataclass(frozen=True, kw_only=True)
class Loose:
    maybe: bool | None = None
    ratio: float | None = None
    urls: list[str] | None = None
    anything: Any = field(default=None, metadata=free("the spec declares no type"))


def test_optional_booleans_keep_null_and_numbers_stay_as_sent() -> None:
    got = parse(Loose, {"maybe": None, "ratio": 1, "urls": ["a"], "anything": {"k": 1}})
    assert got == Loose(maybe=None, ratio=1, urls=["a"], anything={"k": 1})
    assert type(got.ratio) is int  # keeps what an output is drawn from as it was sent
    assert parse(Loose, {"maybe": 0}).maybe is False


def test_a_free_field_needs_its_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        free("  ")


def _parsed_classes() -> dict[str, type[Any]]:
    """Every class a handler parses a request, query or path into, by ``Module.Class``."""
    found: dict[str, type[Any]] = {}
    for path in sorted(Path(resources.__file__).parent.glob("*.py")):
        module = importlib.import_module(f"bria_mock.resources.{path.stem}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("parse", "parse_query", "parse_path")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "ctx"
                and node.args
                and isinstance(node.args[0], ast.Name)
            ):
                cls = getattr(module, node.args[0].id)
                found[f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}"] = cls
    return found


def _holds_any(hint: Any) -> bool:
    """``Any`` anywhere in the hint but as the values of an object (``Mapping[str, Any]``: a
    JSON object the spec types as one, whose members are its own)."""
    if typing.get_origin(hint) is collections.abc.Mapping:
        return False
    return hint is Any or any(_holds_any(arg) for arg in typing.get_args(hint))


def test_no_request_field_is_any_unless_the_spec_leaves_it_free() -> None:
    """A request field is typed as the spec gives it; ``Any`` only where the spec declares no
    type, with the reason beside the field (``free``)."""
    classes = _parsed_classes()
    assert len(classes) >= 25, sorted(classes)
    loose = [
        f"{name}.{f.name}"
        for name, cls in classes.items()
        for f in dataclasses.fields(cls)
        if _holds_any(typing.get_type_hints(cls)[f.name]) and not f.metadata.get(FREE)
    ]
    assert not loose, "request fields typed Any without the reason the spec leaves them free: " + (
        ", ".join(loose)
    )


def test_each_path_class_names_parameters_of_its_operations() -> None:
    """A path field names one of its operation's path parameters (a misspelt one would read
    as None and name no record)."""
    spec = compiled_spec()
    wrong = []
    for operation_id, handler in resources.HANDLERS.items():
        module = importlib.import_module(handler.__module__)
        source = inspect.getsource(module)
        declared = {n for (where, n) in spec.operations[operation_id].params if where == "path"}
        tree = ast.parse(source)
        called = {
            node.id
            for fn in ast.walk(tree)
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
            and fn.name == handler.__name__
            for node in ast.walk(fn)
            if isinstance(node, ast.Name) and node.id.endswith("Path")
        }
        for name in called:
            names = {f.name for f in dataclasses.fields(getattr(module, name))}
            if not names <= declared:
                wrong.append(f"{operation_id}: {name} {sorted(names - declared)}")
    assert not wrong, wrong


def _properties(schema: Any, out: dict[str, Any]) -> dict[str, Any]:
    if isinstance(schema, dict):
        for key in ("allOf", "anyOf", "oneOf"):
            for part in schema.get(key, ()):
                _properties(part, out)
        for name, value in (schema.get("properties") or {}).items():
            out.setdefault(name, value)
    return out


def _json_type(schema: dict[str, Any]) -> tuple[str | None, str | None]:
    """A property's type (and its items' type), through the single ``allOf`` of a named enum."""
    while "type" not in schema and len(schema.get("allOf", ())) == 1:
        schema = schema["allOf"][0]
    items = schema.get("items")
    return schema.get("type"), _json_type(items)[0] if isinstance(items, dict) else None


def _reads_as(json_type: str | None, items: str | None, member: Any) -> bool:
    origin = typing.get_origin(member)
    if json_type == "string":
        return (
            member is str
            or member is Upload
            or (isinstance(member, type) and issubclass(member, StrEnum | Document))
        )
    if json_type in ("integer", "number"):
        # JSON Schema's integer admits 1.0, and a number may be sent as 1
        return member in (int, float)
    if json_type == "boolean":
        return member is bool
    if json_type == "array":
        return origin is list and _reads_as(items, None, typing.get_args(member)[0])
    if json_type == "object":
        return origin is collections.abc.Mapping
    return False


def test_request_fields_are_typed_as_the_spec_gives_them() -> None:
    """Each field an operation declares is annotated with the type its schema gives (``| None``
    aside): a spec change that retypes a field fails here until its request follows."""
    spec = compiled_spec()
    wrong = []
    for operation_id, handler in resources.HANDLERS.items():
        module = importlib.import_module(handler.__module__)
        declared: dict[str, Any] = {}
        for body in spec.operations[operation_id].bodies.values():
            _properties(body.schema, declared)
        tree = ast.parse(inspect.getsource(module))
        names = {
            node.args[0].id
            for fn in ast.walk(tree)
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
            and fn.name == handler.__name__
            for node in ast.walk(fn)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "parse"
            and node.args
            and isinstance(node.args[0], ast.Name)
        }
        for name in names:
            cls = getattr(module, name)
            hints = typing.get_type_hints(cls)
            for f in dataclasses.fields(cls):
                key = next((k for k in f.metadata.get("keys", (f.name,)) if k in declared), None)
                if key is None:
                    continue
                json_type, items = _json_type(declared[key])
                hint = hints[f.name]
                union = typing.get_origin(hint) in (typing.Union, types.UnionType)
                members = typing.get_args(hint) if union else (hint,)
                if not all(
                    _reads_as(json_type, items, m) for m in members if m is not types.NoneType
                ):
                    wrong.append(f"{operation_id}: {name}.{f.name} {hints[f.name]} ({json_type})")
    assert not wrong, "request fields typed unlike the spec:\n" + "\n".join(wrong)
