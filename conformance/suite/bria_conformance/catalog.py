"""The catalog (`bria_conformance/catalog.yaml`): the rules the suite checks and the mock enforces.

One entry per rule. An entry that names suite tests is checked against a target; an entry whose
rule is our choice (no Bria document states it) names none and is never sent to a live server; an
entry with only a `mock` block is held by the mock's tests alone. The schema is documented in the
header of catalog.yaml; `parse` refuses a malformed file with a message naming the entry and what
to change.

Two entries per operation (`op.<operationId>.responses`, `op.<operationId>.rejects-invalid`) are
not written in catalog.yaml: the normalized spec determines them, so they are derived from it
when the catalog loads (:func:`operation_entries`), citing the operation in the normalized spec
and where Bria's file holds it (the operation's `x-bria-upstream`, recorded by bria-build), or,
for an operation Bria documents only in prose, the evidence the spec records for it
(`x-bria-evidence`). A new operation in the spec has its entries without an edit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

KINDS = ("shape", "auth", "state", "limit", "async")
#: The schema the header of catalog.yaml documents (2: mock blocks, `choice`, contradictions).
VERSION = 2
#: The `doc` of a source that is our choice rather than a Bria document.
OURS = "ours"

# libyaml when PyYAML has it: every suite process reads the catalog, and the pure-Python loader
# takes about half a second on it.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ENTRY_KEYS = {"id", "kind", "choice", "statement", "source", "tests", "parts", "mock"}
_ENTRY_REQUIRED = ("id", "kind", "statement", "source", "tests")
_MOCK_KEYS = {"rule", "how", "source", "status", "option", "enforced_in", "tests"}
_MOCK_REQUIRED = ("rule", "enforced_in", "tests")
_CONTRADICTION_KEYS = {"id", "topic", "evidence", "resolution", "option"}
#: Ids of the entries derived from the spec start with it; catalog.yaml may not write one.
OPERATION_PREFIX = "op."
_METHODS = ("get", "put", "post", "delete", "patch")

Source = Mapping[str, str]
#: Kinds of target a part can be unobservable on: `mock` is a bria-mock with its control endpoints,
#: `live` any other server.
TARGETS = ("mock", "live")
_PART_KEYS = {"by", "unobservable", "targets"}


class CatalogError(ValueError):
    """catalog.yaml does not follow the schema in its header."""


@dataclass(frozen=True)
class MockRule:
    """How bria-mock enforces an entry: one rule of the mock, named by `rule` in its docstrings."""

    rule: str
    enforced_in: str
    tests: tuple[str, ...]
    how: str | None = None
    source: tuple[Source, ...] = ()
    status: int | None = None
    option: str | None = None


@dataclass(frozen=True)
class Part:
    """One thing an entry's statement promises that a client can observe (the audit)."""

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


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    statement: str
    source: tuple[Source, ...]
    tests: tuple[str, ...]
    mock: tuple[MockRule, ...] = ()
    #: No Bria document states the rule: it is ours, and never checked against a live server.
    ours: bool = False
    #: What the statement promises, part by part, and what asserts each (the audit).
    parts: tuple[Part, ...] = ()

    @property
    def checks(self) -> tuple[str, ...]:
        return tuple(t.split(":", 1)[1] for t in self.tests if t.startswith("check:"))

    @property
    def test_functions(self) -> tuple[str, ...]:
        return tuple(t for t in self.tests if not t.startswith("check:"))

    @property
    def checked_against_target(self) -> bool:
        """True when a suite run verifies the entry (it names suite tests)."""
        return bool(self.tests)

    @property
    def why_not_checked(self) -> str:
        """Why a suite run does not check the entry (empty when it does)."""
        if self.checked_against_target:
            return ""
        if self.ours:
            reasons = "; ".join(s.get("why", "") for s in self.source)
            return f"our choice, never checked against a live server ({reasons})"
        return "enforced by bria-mock only; the suite has no test for it"


@dataclass(frozen=True)
class Contradiction:
    """Where Bria's documents disagree, the evidence, and what the mock and suite follow."""

    id: str
    topic: str
    evidence: tuple[Source, ...]
    resolution: str
    option: str


@dataclass(frozen=True)
class Catalog:
    documents: Mapping[str, str]
    entries: Mapping[str, Entry]
    contradictions: tuple[Contradiction, ...]

    def by_mock_rule(self) -> dict[str, tuple[Entry, MockRule]]:
        """Each mock rule id with the entry that holds it."""
        return {rule.rule: (entry, rule) for entry in self.entries.values() for rule in entry.mock}


def _fail(owner: str, problem: str) -> CatalogError:
    return CatalogError(f"catalog.yaml {owner}: {problem} (the schema is in the file's header)")


def _text(owner: str, item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(owner, f"`{key}` must be a non-empty string, not {value!r}")
    return value


def _optional_text(owner: str, item: Mapping[str, Any], key: str) -> str | None:
    return _text(owner, item, key) if key in item else None


def _keys(owner: str, item: Any, allowed: set[str], required: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(item, Mapping):
        raise _fail(owner, f"must be a mapping, not {type(item).__name__}")
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise _fail(owner, f"unknown key(s) {unknown}; allowed: {sorted(allowed)}")
    missing = [key for key in required if key not in item]
    if missing:
        raise _fail(owner, f"missing key(s) {missing}")
    return item


def _strings(owner: str, item: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = item.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(owner, f"`{key}` must be a list of non-empty strings, not {value!r}")
    return tuple(value)


def _sources(owner: str, value: Any, documents: Mapping[str, str]) -> tuple[Source, ...]:
    if not isinstance(value, list):
        raise _fail(owner, f"`source` must be a list, not {value!r}")
    out: list[Source] = []
    for index, raw in enumerate(value):
        where = f"{owner} source {index + 1}"
        source = _keys(where, raw, {"doc", "at", "quote", "why"}, ("doc",))
        doc = source["doc"]
        if doc == OURS:
            _text(where, source, "why")
            if "at" in source or "quote" in source:
                raise _fail(where, "`doc: ours` cites no document: give only `why`")
        elif doc in documents:
            _text(where, source, "at")
            if "why" in source:
                raise _fail(where, "`why` belongs to `doc: ours` only")
        else:
            known = sorted([*documents, OURS])
            raise _fail(where, f"unknown document {doc!r}; use one of {known}")
        out.append({key: str(val) for key, val in source.items()})
    return tuple(out)


def _mock_rule(owner: str, raw: Any, documents: Mapping[str, str]) -> MockRule:
    item = _keys(owner, raw, _MOCK_KEYS, _MOCK_REQUIRED)
    rule = _text(owner, item, "rule")
    owner = f"{owner} ({rule})"
    tests = _strings(owner, item, "tests")
    if not tests or not all(t.startswith("tests/mock/") and "::" in t for t in tests):
        raise _fail(owner, f"mock `tests` must name tests/mock/<module>::<function>, not {tests}")
    status = item.get("status")
    if status is not None and not (isinstance(status, int) and 400 <= status <= 599):
        raise _fail(owner, f"`status` must be an HTTP error status (400-599), not {status!r}")
    return MockRule(
        rule=rule,
        enforced_in=_text(owner, item, "enforced_in"),
        tests=tests,
        how=_optional_text(owner, item, "how"),
        source=_sources(owner, item.get("source", []), documents),
        status=status,
        option=_optional_text(owner, item, "option"),
    )


def _part(entry: str, name: Any, raw: Any, tests: tuple[str, ...]) -> Part:
    if isinstance(name, int) and not isinstance(name, bool):
        name = str(name)  # a part named by its status alone: `409: test_x.py::test_y`
    owner = f"entry {entry!r} part {name!r}"
    if not isinstance(name, str) or not name.strip():
        raise _fail(f"entry {entry!r}", f"a part needs a name, not {name!r}")
    if isinstance(raw, str | list):
        raw = {"by": raw}
    if not isinstance(raw, Mapping):
        raise _fail(owner, f"give a test, a list of tests, or a mapping; not {raw!r}")
    unknown = sorted(set(raw) - _PART_KEYS)
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
    stray = [b for b in by if b not in tests]
    if stray:
        raise _fail(owner, f"`by` {stray} is not among the entry's `tests`")
    return Part(entry, name.strip(), tuple(by), reason, tuple(on))


def _parts(entry: str, raw: Any, tests: tuple[str, ...]) -> tuple[Part, ...]:
    if raw is None:
        return ()
    if not tests:
        raise _fail(
            f"entry {entry!r}",
            "has `parts` but no suite test: only an entry checked against a target is split "
            "into parts (the catalog says why the others are not checked)",
        )
    if not isinstance(raw, Mapping) or not raw:
        raise _fail(f"entry {entry!r}", "`parts` must map each part's name to what asserts it")
    parts = tuple(_part(entry, name, value, tests) for name, value in raw.items())
    names = [p.name for p in parts]
    if len(names) != len(set(names)):
        raise _fail(f"entry {entry!r}", "two parts share a name")
    return parts


def _entry(raw: Any, documents: Mapping[str, str]) -> Entry:
    owner = f"entry {raw.get('id')!r}" if isinstance(raw, Mapping) else "entry"
    item = _keys(owner, raw, _ENTRY_KEYS, _ENTRY_REQUIRED)
    entry_id = _text(owner, item, "id")
    kind = item["kind"]
    if kind not in KINDS:
        raise _fail(owner, f"unknown kind {kind!r}, expected one of {KINDS}")
    source = _sources(owner, item["source"], documents)
    if not source:
        raise _fail(owner, "names no source: cite Bria's document, or `doc: ours` with `why`")
    choice = item.get("choice")
    if choice not in (None, OURS):
        raise _fail(owner, f"`choice` is `ours` or absent, not {choice!r}")
    only_ours = all(s["doc"] == OURS for s in source)
    if only_ours and choice != OURS:
        raise _fail(owner, "every source is `doc: ours`: mark the entry `choice: ours`")
    if choice == OURS and not only_ours:
        raise _fail(owner, "`choice: ours` but a Bria document is cited: drop one of them")
    tests = _strings(owner, item, "tests")
    if choice == OURS and tests:
        raise _fail(
            owner,
            "is our choice, so the suite never checks it against a live server: "
            f"move {list(tests)} to tests of the mock, or cite the Bria document that states it",
        )
    mock_raw = item.get("mock", [])
    if not isinstance(mock_raw, list):
        raise _fail(owner, f"`mock` must be a list of mock rules, not {mock_raw!r}")
    mock = tuple(_mock_rule(owner, rule, documents) for rule in mock_raw)
    if not tests and not mock:
        raise _fail(owner, "names no test: list suite `tests` or a `mock` rule with its tests")
    return Entry(
        id=entry_id,
        kind=kind,
        statement=_text(owner, item, "statement"),
        source=source,
        tests=tests,
        mock=mock,
        ours=choice == OURS,
        parts=_parts(entry_id, item.get("parts"), tests),
    )


def _contradiction(raw: Any, documents: Mapping[str, str]) -> Contradiction:
    owner = f"contradiction {raw.get('id')!r}" if isinstance(raw, Mapping) else "contradiction"
    item = _keys(owner, raw, _CONTRADICTION_KEYS, tuple(sorted(_CONTRADICTION_KEYS)))
    evidence = _sources(owner, item["evidence"], documents)
    if len(evidence) < 2:
        raise _fail(owner, "a contradiction needs at least two pieces of `evidence`")
    return Contradiction(
        id=_text(owner, item, "id"),
        topic=_text(owner, item, "topic"),
        evidence=evidence,
        resolution=_text(owner, item, "resolution"),
        option=_text(owner, item, "option"),
    )


def _pointer_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _upstream_source(operation: Mapping[str, Any], documents: Mapping[str, str]) -> Source | None:
    """Where Bria's vendored file holds ``operation`` (``x-bria-upstream: <file>#<pointer>``)."""
    located = operation.get("x-bria-upstream")
    if not isinstance(located, str) or "#" not in located:
        return None
    name, at = located.split("#", 1)
    for key, path in documents.items():
        if path.rsplit("/", 1)[-1] == name:
            return {"doc": key, "at": f"#{at}"}
    raise _fail("documents", f"no document is Bria's {name!r}, which the spec cites")


def operation_entries(spec: Mapping[str, Any], documents: Mapping[str, str]) -> list[Entry]:
    """The two entries of each operation of the normalized ``spec``, in document order.

    `op.<id>.responses`: documented statuses, content types and bodies, never a server error;
    `op.<id>.rejects-invalid`: a request breaking the documented request schema gets a 4xx. Both
    are checked by the Schemathesis items of the operation (`test_stateless.py::test_operation`).
    """
    normalized = next(
        (k for k, v in documents.items() if v.endswith("bria-tailored.openapi.json")), None
    )
    if normalized is None:
        raise _fail("documents", "the normalized spec (spec/bria-tailored.openapi.json) is missing")
    entries: list[Entry] = []
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method) if isinstance(item, Mapping) else None
            if not isinstance(operation, Mapping) or "operationId" not in operation:
                continue
            op_id = str(operation["operationId"])
            at = f"#/paths/{_pointer_token(path)}/{method}"
            upstream = _upstream_source(operation, documents)
            if upstream is not None:
                # Bria's file documents both rules at the operation's responses.
                evidence: Source = {"doc": upstream["doc"], "at": f"{upstream['at']}/responses"}
            elif "x-bria-evidence" in operation:
                # Documented in prose only: the evidence the spec records for the operation.
                evidence = {"doc": normalized, "at": f"{at}/x-bria-evidence"}
            else:
                raise _fail(
                    f"operation {op_id!r}",
                    "the spec records neither where Bria's file holds it (x-bria-upstream) nor "
                    "its evidence (x-bria-evidence); rebuild the spec with bria-build",
                )
            call = f"`{method.upper()} {path}`"
            entries.append(
                Entry(
                    id=f"{OPERATION_PREFIX}{op_id}.responses",
                    kind="shape",
                    statement=(
                        f"{call} answers only with documented status codes and content types, "
                        "never with a server error for a client's request, and every JSON body "
                        "matches the schema documented for its status."
                    ),
                    source=({"doc": normalized, "at": f"{at}/responses"}, evidence),
                    tests=_RESPONSE_TESTS,
                    parts=_operation_parts(f"{OPERATION_PREFIX}{op_id}.responses", _RESPONSE_PARTS),
                )
            )
            entries.append(
                Entry(
                    id=f"{OPERATION_PREFIX}{op_id}.rejects-invalid",
                    kind="limit",
                    statement=(
                        f"{call} refuses requests that violate its documented request schema "
                        "(types, enums, bounds, required fields) with a 4xx."
                    ),
                    source=({"doc": normalized, "at": at}, evidence),
                    tests=_REJECT_TESTS,
                    parts=_operation_parts(
                        f"{OPERATION_PREFIX}{op_id}.rejects-invalid", _REJECT_PARTS
                    ),
                )
            )
    return entries


_OPERATION_TEST = "test_stateless.py::test_operation"
_RESPONSE_TESTS = (
    _OPERATION_TEST,
    "check:status_code_conformance",
    "check:content_type_conformance",
    "check:response_schema_conformance",
    "check:not_a_server_error",
)
_REJECT_TESTS = (_OPERATION_TEST, "check:negative_data_rejection")
#: The parts of the two entries of every operation, each asserted by the operation's items.
_RESPONSE_PARTS = (
    "every declared status's body matches the operation's response schema",
    "no undeclared status is answered",
)
_REJECT_PARTS = ("a request the schema refuses is answered 4xx",)


def _operation_parts(entry: str, names: tuple[str, ...]) -> tuple[Part, ...]:
    return tuple(Part(entry, name, (_OPERATION_TEST,)) for name in names)


def parse(raw: Any, spec: Mapping[str, Any] | None = None) -> Catalog:
    """Check `raw` (catalog.yaml, parsed) against the schema and build the catalog, with the
    per-operation entries derived from ``spec`` (default: the normalized spec the client ships)."""
    top = _keys(
        "top level",
        raw,
        {"version", "documents", "entries", "contradictions"},
        ("version", "documents", "entries"),
    )
    if top["version"] != VERSION:
        raise _fail("top level", f"`version` is {top['version']!r}; this package reads {VERSION}")
    documents = top["documents"]
    if not isinstance(documents, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in documents.items()
    ):
        raise _fail("documents", "must map document keys to repository paths")
    if not isinstance(top["entries"], list):
        raise _fail("entries", "must be a list")
    entries: dict[str, Entry] = {}
    rules: dict[str, str] = {}
    for raw_entry in top["entries"]:
        entry = _entry(raw_entry, documents)
        if entry.id.startswith(OPERATION_PREFIX):
            raise _fail(
                f"entry {entry.id!r}",
                f"`{OPERATION_PREFIX}*` entries are derived from the normalized spec when the "
                "catalog loads: remove this one (change the spec, or give the rule its own id)",
            )
        if entry.id in entries:
            raise _fail(f"entry {entry.id!r}", "appears twice")
        entries[entry.id] = entry
        for rule in entry.mock:
            if rule.rule in rules:
                raise _fail(
                    f"entry {entry.id!r}",
                    f"mock rule {rule.rule} is already held by {rules[rule.rule]!r}",
                )
            rules[rule.rule] = entry.id
    if spec is None:
        from .spec import _load  # the suite's one copy of the normalized spec

        spec = _load()
    for entry in operation_entries(spec, documents):
        entries[entry.id] = entry
    contradictions = tuple(_contradiction(c, documents) for c in top.get("contradictions") or [])
    ids = [c.id for c in contradictions]
    if len(ids) != len(set(ids)):
        raise _fail("contradictions", "an id appears twice")
    return Catalog(documents=dict(documents), entries=entries, contradictions=contradictions)


def _read() -> str:
    return resources.files("bria_conformance").joinpath("catalog.yaml").read_text(encoding="utf-8")


@cache
def catalog() -> Catalog:
    return parse(yaml.load(_read(), Loader=_LOADER))


def load() -> dict[str, Entry]:
    """Every entry, by id (suite-checked, mock-only and our-choice ones)."""
    return dict(catalog().entries)


def suite_entries() -> dict[str, Entry]:
    """The entries a suite run checks against a target, by id."""
    return {k: e for k, e in catalog().entries.items() if e.checked_against_target}


def raw_document() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(_read(), Loader=_LOADER)
    return data
