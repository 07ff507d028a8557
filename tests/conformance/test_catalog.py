"""The catalog and the suite name each other: no entry without a test, no test without an entry."""

from __future__ import annotations

import pytest
from bria_conformance import catalog, checks, spec, tagging
from provenance import check_source, documented_operations
from schemathesis.checks import CHECKS, load_all_checks


def test_every_entry_is_well_formed() -> None:
    entries = catalog.load()
    assert len(entries) > 100
    for entry in entries.values():
        assert entry.statement.strip(), f"{entry.id} has no statement"
        assert entry.source, f"{entry.id} names no source"
        assert entry.tests, f"{entry.id} names no test"


def test_sources_resolve() -> None:
    documents = catalog.raw_document()["documents"]
    for entry in catalog.load().values():
        for source in entry.source:
            check_source(entry.id, source, documents)


def test_every_entry_names_existing_tests_that_carry_it(
    collected: list[tuple[str, str, tuple[str, ...]]],
) -> None:
    functions: dict[str, set[str]] = {}
    for _, function, ids in collected:
        functions.setdefault(function, set()).update(ids)
    problems = []
    for entry in catalog.load().values():
        for name in entry.test_functions:
            if name not in functions:
                problems.append(f"{entry.id}: lists {name}, which the suite does not collect")
            elif entry.id not in functions[name]:
                problems.append(
                    f"{entry.id}: lists {name}, but that test is not marked catalog({entry.id!r})"
                )
    assert not problems, "\n".join(problems)


def test_every_test_names_known_entries_that_list_it(
    collected: list[tuple[str, str, tuple[str, ...]]],
) -> None:
    entries = catalog.load()
    problems = []
    for nodeid, function, ids in collected:
        if not ids:
            problems.append(f"{nodeid} names no catalog entry")
        for entry_id in ids:
            if entry_id not in entries:
                problems.append(f"{nodeid} names unknown entry {entry_id!r}")
            elif function not in entries[entry_id].tests:
                problems.append(
                    f"{nodeid} verifies {entry_id} but the entry does not list {function}"
                )
    assert not problems, "\n".join(sorted(set(problems)))


def test_checks_named_by_entries_exist_and_map_back() -> None:
    load_all_checks()
    registered = set(CHECKS.get_all_names())
    entries = catalog.load()
    for entry in entries.values():
        for name in entry.checks:
            assert name in registered, (
                f"{entry.id} names check {name!r}, which Schemathesis does not know"
            )
    for name, entry_id in checks.CHECK_ENTRIES.items():
        assert f"check:{name}" in entries[entry_id].tests, f"{entry_id} must list check:{name}"


def test_every_operation_has_its_entries() -> None:
    entries = catalog.load()
    operations = spec.operations()
    assert len(operations) == documented_operations()
    for _, _, operation_id in operations:
        for entry_id in tagging.operation_entries(operation_id):
            assert entry_id in entries, f"operation {operation_id} has no entry {entry_id}"


@pytest.mark.parametrize("kind", catalog.KINDS)
def test_every_kind_is_present(kind: str) -> None:
    assert any(e.kind == kind for e in catalog.load().values())
