"""The audit (`bria_conformance/audit.yaml`): each catalog entry split into its observable parts.

An entry's statement promises several things at once: a status, the body fields it names, the
state it implies as every route that shows the resource reads it back, and what it implies for
other organizations and other parents. The audit lists those parts per entry and, for each, the
suite tests or Schemathesis checks that assert it (`by`), or why it cannot be observed and on
which targets (`unobservable`, `targets`). A part may be asserted on one kind of target and not
observable on another (a mock's virtual clock shows what a live API hides).

`tests/conformance/test_audit.py` fails when an entry checked against a target has no parts, when
a part has neither an assertion nor a reason, or when a part names a test its entry does not
list; broken variants of the mock (`tests/conformance`) each break one part and must fail its
entry. Entries the suite does not check against a target (our choices, mock-only rules) are not
split here: the catalog says why they are not checked.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from . import catalog

VERSION = 1
#: Kinds of target a part can be unobservable on.
TARGETS = ("mock", "live")
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class AuditError(ValueError):
    """audit.yaml does not follow the schema in its header."""


@dataclass(frozen=True)
class Part:
    entry: str
    name: str
    #: Suite tests (`test_x.py::test_y`) and checks (`check:name`) that assert the part.
    by: tuple[str, ...] = ()
    #: Why the part cannot be observed on the kinds of target in `on`.
    unobservable: str | None = None
    on: tuple[str, ...] = ()

    @property
    def asserted(self) -> bool:
        """Asserted on at least one kind of target."""
        return bool(self.by)

    @property
    def asserted_on(self) -> tuple[str, ...]:
        return tuple(t for t in TARGETS if self.by and t not in self.on)


def _fail(owner: str, problem: str) -> AuditError:
    return AuditError(f"audit.yaml {owner}: {problem} (the schema is in the file's header)")


def _part(entry: str, name: Any, raw: Any) -> Part:
    if isinstance(name, int) and not isinstance(name, bool):
        name = str(name)  # a part named by its status alone: `409: test_x.py::test_y`
    owner = f"{entry} / {name!r}"
    if not isinstance(name, str) or not name.strip():
        raise _fail(entry, f"a part needs a name, not {name!r}")
    if isinstance(raw, str | list):
        raw = {"by": raw}
    if not isinstance(raw, Mapping):
        raise _fail(owner, f"give a test, a list of tests, or a mapping; not {raw!r}")
    unknown = sorted(set(raw) - {"by", "unobservable", "targets"})
    if unknown:
        raise _fail(owner, f"unknown key(s) {unknown}; allowed: by, unobservable, targets")
    by = raw.get("by", [])
    by = [by] if isinstance(by, str) else by
    if not isinstance(by, list) or not all(isinstance(b, str) and b for b in by):
        raise _fail(owner, f"`by` names tests or checks, not {by!r}")
    reason = raw.get("unobservable")
    on = raw.get("targets", [])
    on = [on] if isinstance(on, str) else on
    if reason is not None and (not isinstance(reason, str) or len(reason.split()) < 3):
        raise _fail(owner, f"`unobservable` needs a reason of a few words, not {reason!r}")
    if (reason is None) != (not on):
        raise _fail(owner, "`unobservable` and `targets` go together")
    if not isinstance(on, list) or not set(on) <= set(TARGETS):
        raise _fail(owner, f"`targets` lists kinds of target among {TARGETS}, not {on!r}")
    if not by and reason is None:
        raise _fail(owner, "names neither the assertion (`by`) nor why it cannot be observed")
    if by and set(on) == set(TARGETS):
        raise _fail(owner, "is asserted (`by`) yet unobservable on every target")
    return Part(entry, name.strip(), tuple(by), reason, tuple(on))


@dataclass(frozen=True)
class Audit:
    #: entry id (or an fnmatch pattern such as `op.*.responses`) -> its parts.
    rules: Mapping[str, tuple[Part, ...]]

    def parts(self, entry_id: str) -> tuple[Part, ...]:
        """The parts of one entry: its own block, else the first pattern that matches it."""
        if entry_id in self.rules:
            return self.rules[entry_id]
        for key, parts in self.rules.items():
            if any(c in key for c in "*?[") and fnmatch.fnmatchcase(entry_id, key):
                return tuple(Part(entry_id, p.name, p.by, p.unobservable, p.on) for p in parts)
        return ()

    def all_parts(self) -> list[Part]:
        """Every part of every entry the suite checks against a target."""
        return [p for e in catalog.suite_entries() for p in self.parts(e)]

    def part(self, entry_id: str, name: str) -> Part | None:
        return next((p for p in self.parts(entry_id) if p.name == name), None)


def parse(raw: Any) -> Audit:
    if not isinstance(raw, Mapping) or raw.get("version") != VERSION:
        raise _fail("top level", f"expected a mapping with `version: {VERSION}`")
    entries = raw.get("entries")
    if not isinstance(entries, Mapping):
        raise _fail("entries", "must map entry ids to their parts")
    rules: dict[str, tuple[Part, ...]] = {}
    for entry, parts in entries.items():
        if not isinstance(parts, Mapping) or not parts:
            raise _fail(str(entry), "must map each part's name to what asserts it")
        rules[str(entry)] = tuple(_part(str(entry), name, value) for name, value in parts.items())
    return Audit(rules)


def _read() -> str:
    return resources.files("bria_conformance").joinpath("audit.yaml").read_text(encoding="utf-8")


@cache
def audit() -> Audit:
    return parse(yaml.load(_read(), Loader=_LOADER))


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
