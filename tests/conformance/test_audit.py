"""The audit (each catalog entry's `parts`) splits every checked entry into asserted parts."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from bria_conformance import audit, catalog
from conformance_broken_servers import VARIANTS


def test_every_checked_entry_is_split_into_parts() -> None:
    entries = catalog.suite_entries()
    unsplit = sorted(e for e in entries if not audit.audit().parts(e))
    assert not unsplit, (
        f"{len(unsplit)} entries checked against a target have no `parts` in catalog.yaml; split "
        f"each statement into what a client can observe: {unsplit}"
    )


def _raw() -> dict[str, Any]:
    return copy.deepcopy(catalog.raw_document())


def _checked(raw: dict[str, Any]) -> dict[str, Any]:
    return next(e for e in raw["entries"] if e.get("parts") and e.get("tests"))


def _parts_of(raw: dict[str, Any], parts: Any) -> dict[str, Any]:
    _checked(raw)["parts"] = parts
    return raw


def test_parts_name_only_tests_of_their_entry() -> None:
    for part in audit.audit().all_parts():
        assert set(part.by) <= set(catalog.load()[part.entry].tests), part
    raw = _raw()
    entry = _checked(raw)
    entry["parts"] = {"status": "test_other.py::test_not_listed"}
    with pytest.raises(catalog.CatalogError, match="is not among the entry's `tests`"):
        catalog.parse(raw)


def test_only_checked_entries_are_split() -> None:
    raw = _raw()
    entry = next(e for e in raw["entries"] if not e.get("tests"))
    entry["parts"] = {"status": {"unobservable": "no way to see it", "targets": ["live"]}}
    with pytest.raises(catalog.CatalogError, match="has `parts` but no suite test"):
        catalog.parse(raw)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"status": {}}, "neither the assertion"),
        ({"status": {"unobservable": "no way to see"}}, "go together"),
        (
            {"s": {"by": "test_x.py::t", "unobservable": "a b c", "targets": ["mock", "live"]}},
            "every target",
        ),
        ({"s": {"unobservable": "a b c", "targets": ["staging"]}}, "lists kinds of target"),
        ({"s": {"bye": "test_x.py::t"}}, r"unknown key\(s\) \['bye'\]"),
        ({}, "must map each part's name"),
    ],
)
def test_a_malformed_part_is_refused(parts: Any, message: str) -> None:
    raw = _raw()
    catalog.parse(raw)  # the file as it stands is well formed
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.parse(_parts_of(raw, parts))


def test_every_operation_entry_has_its_parts() -> None:
    operations = [e for e in catalog.suite_entries() if e.startswith(catalog.OPERATION_PREFIX)]
    assert operations
    assert all(audit.audit().parts(e) for e in operations)


def test_broken_variants_name_a_part_of_their_entry() -> None:
    wrong = [
        f"{v.name}: {v.entry} has no part {v.part!r}"
        for v in VARIANTS
        if v.part is not None and audit.audit().part(v.entry, v.part) is None
    ] + [
        f"{v.name}: {entry} has no part {part!r}"
        for v in VARIANTS
        for entry, part in v.more
        if audit.audit().part(entry, part) is None
    ]
    assert not wrong, "\n".join(wrong)
