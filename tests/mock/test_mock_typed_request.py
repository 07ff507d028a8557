"""The one reading of a validated request into a domain's typed request (``typed_request``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from bria_mock.documents import StructuredPrompt, VisualSchema, read_request
from bria_mock.domain.datasets import DatasetStatus, DatasetUpdate
from bria_mock.typed_request import parse
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
