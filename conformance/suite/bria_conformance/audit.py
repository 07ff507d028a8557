"""The audit: each catalog entry the suite checks, split into its observable parts.

An entry's statement promises several things at once: a status, the body fields it names, the
state it implies as every route that shows the resource reads it back, and what it implies for
other organizations and other parents. Each entry of `catalog.yaml` lists those parts (`parts`)
and, for each, the suite tests or Schemathesis checks that assert it (`by`), or why it cannot be
observed and on which targets (`unobservable`, `targets`); the per-operation entries derived from
the spec carry theirs from `catalog.py`. A part may be asserted on one kind of target and not
observable on another (a mock's virtual clock shows what a live API hides). The catalog loader
refuses a malformed part; this module reads them across the catalog.

`tests/conformance/test_audit.py` fails when an entry checked against a target has no parts;
broken variants of the mock (`tests/conformance`) each break one part and must fail its entry.
Entries the suite does not check against a target (our choices, mock-only rules) are not split:
the catalog says why they are not checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import catalog
from .catalog import TARGETS, Part

__all__ = ["TARGETS", "Audit", "Part", "audit", "summary"]


@dataclass(frozen=True)
class Audit:
    #: entry id -> its parts, for every entry that has some.
    rules: Mapping[str, tuple[Part, ...]]

    def parts(self, entry_id: str) -> tuple[Part, ...]:
        """The parts of one entry (none for an entry the suite does not check)."""
        return self.rules.get(entry_id, ())

    def all_parts(self) -> list[Part]:
        """Every part of every entry the suite checks against a target."""
        return [p for e in catalog.suite_entries() for p in self.parts(e)]

    def part(self, entry_id: str, name: str) -> Part | None:
        return next((p for p in self.parts(entry_id) if p.name == name), None)


@cache
def audit() -> Audit:
    return Audit({k: e.parts for k, e in catalog.catalog().entries.items() if e.parts})


def summary() -> dict[str, Any]:
    """The audit's figures: entries, parts, asserted, and unobservable ones by reason."""
    parts = audit().all_parts()
    entries = catalog.suite_entries()
    unobservable = Counter(p.unobservable for p in parts if p.unobservable and not p.by)
    partly = Counter(
        f"{p.unobservable} (on {', '.join(p.on)})" for p in parts if p.unobservable and p.by
    )
    return {
        "entries": len(entries),
        "entries_split": sum(1 for e in entries if audit().parts(e)),
        "parts": len(parts),
        "asserted": sum(1 for p in parts if p.by),
        "asserted_on_every_target": sum(1 for p in parts if p.by and not p.on),
        "unobservable": dict(unobservable),
        "unobservable_on_some_targets": dict(partly),
    }


if __name__ == "__main__":
    figures = summary()
    print(f"entries checked against a target: {figures['entries']}")
    print(
        f"parts: {figures['parts']}, asserted: {figures['asserted']} "
        f"(on every target: {figures['asserted_on_every_target']})"
    )
    print("not observable on any target:")
    for reason, count in sorted(figures["unobservable"].items(), key=lambda i: -i[1]):
        print(f"  {count:4d}  {reason}")
    print("asserted, but not observable on some targets:")
    for reason, count in sorted(
        figures["unobservable_on_some_targets"].items(), key=lambda i: -i[1]
    ):
        print(f"  {count:4d}  {reason}")
