"""The audit (`bria_conformance/audit.yaml`) splits every checked entry into asserted parts."""

from __future__ import annotations

import pytest
from bria_conformance import audit, catalog
from conformance_broken_servers import VARIANTS


def test_every_checked_entry_is_split_into_parts() -> None:
    entries = catalog.suite_entries()
    unsplit = sorted(e for e in entries if not audit.audit().parts(e))
    assert not unsplit, (
        f"{len(unsplit)} entries checked against a target have no parts in audit.yaml; split "
        f"each statement into what a client can observe: {unsplit}"
    )


def test_audit_names_only_checked_entries() -> None:
    entries = catalog.suite_entries()
    unknown = sorted(k for k in audit.audit().rules if "*" not in k and k not in entries)
    assert not unknown, (
        f"audit.yaml splits entries the suite does not check against a target: {unknown}; "
        "the catalog says why those are not checked"
    )
    patterns = [k for k in audit.audit().rules if "*" in k]
    idle = [
        k
        for k in patterns
        if not any(audit.audit().parts(e) and audit.fnmatch.fnmatchcase(e, k) for e in entries)
    ]
    assert not idle, f"audit.yaml patterns matching no entry: {idle}"


def test_every_part_names_an_assertion_of_its_entry() -> None:
    entries = catalog.suite_entries()
    problems = [
        f"{part.entry} / {part.name}: {by} is not among the entry's tests"
        for part in audit.audit().all_parts()
        for by in part.by
        if by not in entries[part.entry].tests
    ]
    assert not problems, "\n".join(problems)


def test_a_part_without_assertion_or_reason_is_refused() -> None:
    with pytest.raises(audit.AuditError, match="neither the assertion"):
        audit.parse({"version": 1, "entries": {"x.y": {"status": {}}}})
    with pytest.raises(audit.AuditError, match="go together"):
        audit.parse(
            {"version": 1, "entries": {"x.y": {"status": {"unobservable": "no way to see"}}}}
        )
    with pytest.raises(audit.AuditError, match="every target"):
        audit.parse(
            {
                "version": 1,
                "entries": {
                    "x.y": {
                        "s": {"by": "t.py::t", "unobservable": "a b c", "targets": ["mock", "live"]}
                    }
                },
            }
        )


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
