"""Attach each Schemathesis item to the catalog entries of the operation it exercises."""

from __future__ import annotations

import re

import pytest

from . import spec

_LABEL = re.compile(r"\[(GET|POST|PUT|DELETE|PATCH) ([^\]]+)\]$")
OPERATION_TEST = "test_operation"
#: The suite module whose Schemathesis items run the response checks (``check:<name>``).
STATELESS_MODULE = "test_stateless.py"


def operation_entries(operation_id: str) -> tuple[str, str]:
    return (f"op.{operation_id}.responses", f"op.{operation_id}.rejects-invalid")


def tag_operation_items(items: list[pytest.Item]) -> None:
    for item in items:
        if getattr(item, "originalname", item.name).split("[")[0] != OPERATION_TEST:
            continue
        found = _LABEL.search(item.name)
        if not found:
            continue
        operation_id = spec.operation_id(found.group(1), found.group(2))
        if operation_id is not None:
            item.add_marker(pytest.mark.catalog(*operation_entries(operation_id)))
