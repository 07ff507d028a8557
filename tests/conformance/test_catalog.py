"""The one catalog stays true: sources resolve, every test it names exists, and names point back.

catalog.yaml holds every rule once: the suite's tests and Schemathesis checks, and how bria-mock
enforces it (`mock` blocks, with tests in tests/mock). These tests fail when a pointer does not
resolve, a quote is not in its document, a named test is missing, a test or module names a rule
the catalog does not hold, or an our-choice rule could reach a live server.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bria_build.inputs import load_yaml
from bria_conformance import catalog, checks, spec, tagging
from bria_conformance.plugin import _refuse_unchecked_entries
from provenance import ROOT, check_source, documented_operations, load_document, quoted_at
from schemathesis.checks import CHECKS, load_all_checks

MOCK_TESTS = ROOT / "tests" / "mock"
MOCK_PACKAGE = ROOT / "conformance" / "mock" / "bria_mock"
CATALOG_FILE = ROOT / "conformance" / "suite" / "bria_conformance" / "catalog.yaml"
#: How a bria_mock module lists the rules it enforces.


def test_every_entry_is_well_formed() -> None:
    entries = catalog.load()
    assert len(catalog.suite_entries()) > 100
    for entry in entries.values():
        assert entry.statement.strip(), f"{entry.id} has no statement"
        assert entry.source, f"{entry.id} names no source"
        assert entry.tests or entry.mock, f"{entry.id} names no test"


def _all_sources() -> list[tuple[str, catalog.Source]]:
    loaded = catalog.catalog()
    out = [(e.id, s) for e in loaded.entries.values() for s in e.source]
    out += [
        (f"{e.id} ({r.rule})", s) for e in loaded.entries.values() for r in e.mock for s in r.source
    ]
    out += [(c.id, s) for c in loaded.contradictions for s in c.evidence]
    return out


def test_sources_resolve() -> None:
    documents = catalog.catalog().documents
    sources = _all_sources()
    assert len(sources) > 500
    for owner, source in sources:
        if source["doc"] != catalog.OURS:
            check_source(owner, dict(source), dict(documents))


def test_an_entry_quoting_a_description_quotes_its_words() -> None:
    """A `quote` beside a JSON pointer stands in the text it points at (the ledger reads it)."""
    documents = catalog.catalog().documents
    problems = [
        f"{entry.id}: {source['quote']!r} is not in {source['doc']} {source['at']}"
        for entry in catalog.load().values()
        for source in entry.source
        if "quote" in source and source["at"].startswith("#")
        if not quoted_at(load_document(documents[source["doc"]]), source["at"], source["quote"])
    ]
    assert not problems, "\n".join(problems)


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
    entries = catalog.suite_entries()
    operations = spec.operations()
    assert len(operations) == documented_operations()
    for _, _, operation_id in operations:
        for entry_id in tagging.operation_entries(operation_id):
            assert entry_id in entries, f"operation {operation_id} has no entry {entry_id}"


def test_operation_entries_follow_the_spec() -> None:
    """The `op.*` entries are the spec's: an operation the spec gains has them, one it loses has
    none, and each cites where Bria's file (or the spec's recorded evidence) documents it."""
    doc = spec.document()
    raw = _raw()
    item = doc["paths"]["/v1/tailored-gen/models/{model_id}"]
    item["patch"] = {**item["get"], "operationId": "patch-model"}
    del doc["paths"]["/v1/tailored-gen/projects"]["post"]
    entries = catalog.parse(raw, doc).entries
    added = entries["op.patch-model.rejects-invalid"]
    assert added.statement.startswith("`PATCH /v1/tailored-gen/models/{model_id}` refuses")
    assert added.tests == ("test_stateless.py::test_operation", "check:negative_data_rejection")
    assert dict(added.source[0]) == {
        "doc": "normalized",
        "at": "#/paths/~1v1~1tailored-gen~1models~1{model_id}/patch",
    }
    assert dict(added.source[1]) == {
        "doc": "002",
        "at": "#/paths/~1tailored-gen~1models~1{model_id}/get/responses",
    }
    assert "op.create-project.responses" not in entries
    assert "op.get-projects.responses" in entries
    del item["get"]["x-bria-upstream"]
    with pytest.raises(catalog.CatalogError, match="rebuild the spec with bria-build"):
        catalog.parse(raw, doc)


def test_operation_entries_cite_upstream_and_prose_evidence() -> None:
    entries = catalog.load()
    assert sum(e.startswith(catalog.OPERATION_PREFIX) for e in entries) == 2 * len(
        spec.operations()
    )
    stray = entries["op.upload-model.responses"].source[1]
    assert dict(stray) == {
        "doc": "002",
        "at": "#/~1tailored-gen~1models~1upload_model/post/responses",
    }
    status = entries["op.get_status.rejects-invalid"].source[1]
    assert dict(status) == {"doc": "status", "at": "#/paths/~1status~1{request_id}/get/responses"}
    prose = entries["op.generate-prefix.responses"].source[1]
    assert dict(prose) == {
        "doc": "normalized",
        "at": "#/paths/~1v1~1tailored-gen~1generate_prefix/post/x-bria-evidence",
    }


@pytest.mark.parametrize("kind", catalog.KINDS)
def test_every_kind_is_present(kind: str) -> None:
    assert any(e.kind == kind for e in catalog.suite_entries().values())


# -- how the mock enforces each rule ---------------------------------------------------------------


def _mock_test_functions() -> set[str]:
    defined: set[str] = set()
    for path in MOCK_TESTS.glob("test_*.py"):
        for name in re.findall(r"^(?:async )?def (test_\w+)", path.read_text(), flags=re.M):
            defined.add(f"tests/mock/{path.name}::{name}")
    return defined


def test_every_mock_test_named_exists() -> None:
    defined = _mock_test_functions()
    rules = catalog.catalog().by_mock_rule()
    assert len(rules) > 100
    missing = [
        f"{entry.id} ({rule.rule}): {test}"
        for entry, rule in rules.values()
        for test in rule.tests
        if test not in defined
    ]
    assert not missing, "tests/mock has no such test:\n" + "\n".join(missing)


def test_every_mock_rule_names_an_existing_module() -> None:
    missing = [
        f"{entry.id} ({rule.rule}): {rule.enforced_in}"
        for entry, rule in catalog.catalog().by_mock_rule().values()
        if not (ROOT / rule.enforced_in).is_file()
    ]
    assert not missing, "enforced_in names no file:\n" + "\n".join(missing)


def _named_rules(text: str) -> set[str]:
    """Rule ids (and `area.*` wildcards) a text names after "catalog entry" / "catalog entries"."""
    lists = re.findall(r"catalog entr(?:y|ies) ((?:`?[\w.*-]+`?(?:, | and )?)+)", text)
    return {
        name.rstrip(".")
        for found in lists
        for name in re.findall(r"[a-z0-9-]+\.(?:\*|[a-z0-9-]+)", found)
    }


def _unknown_rules(text: str, rules: set[str]) -> set[str]:
    unknown = set()
    for name in _named_rules(text):
        if name.endswith(".*"):
            if not any(rule.startswith(name[:-1]) for rule in rules):
                unknown.add(name)
        elif name not in rules:
            unknown.add(name)
    return unknown


def test_every_mock_rule_is_its_entrys_id() -> None:
    """One id scheme: the mock names a rule by the id of the catalog entry it enforces."""
    differ = [
        f"{entry.id}: {rule.rule}"
        for entry, rule in catalog.catalog().by_mock_rule().values()
        if rule.rule != entry.id
    ]
    assert not differ, "mock rules named other than their entry:\n" + "\n".join(differ)


def test_modules_and_mock_tests_name_existing_rules() -> None:
    rules = set(catalog.catalog().by_mock_rule())
    files = [*MOCK_PACKAGE.rglob("*.py"), *MOCK_TESTS.glob("*.py")]
    named = [path for path in files if _named_rules(path.read_text(encoding="utf-8"))]
    assert len(named) >= 15
    problems = {
        f"{path.relative_to(ROOT)}: {sorted(unknown)}"
        for path in named
        if (unknown := _unknown_rules(path.read_text(encoding="utf-8"), rules))
    }
    assert not problems, "these name mock rules the catalog does not hold:\n" + "\n".join(
        sorted(problems)
    )


def test_rule_check_catches_unknown_names() -> None:
    rules = {"training.defaults", "training.bounds", "control.virtual-clock"}
    assert _unknown_rules("(catalog entries training.*, training.defaults)", rules) == set()
    listed = "(catalog entries training.default, trained.*) and state.py"
    assert _unknown_rules(listed, rules) == {"training.default", "trained.*"}
    assert _unknown_rules("model.status and state.py", rules) == set(), "prose is not a list"


# -- our-choice and mock-only entries never reach a target -----------------------------------------


def test_our_choice_entries_are_never_checked_against_a_target() -> None:
    entries = catalog.load()
    ours = [e for e in entries.values() if e.ours]
    assert len(ours) >= 10
    suite = catalog.suite_entries()
    for entry in ours:
        assert all(s["doc"] == catalog.OURS for s in entry.source), entry.id
        assert not entry.tests and entry.id not in suite, entry.id
        assert "our choice" in entry.why_not_checked
    mock_only = [e for e in entries.values() if not e.ours and not e.tests]
    assert mock_only and all("bria-mock only" in e.why_not_checked for e in mock_only)


class _Item:
    """The two attributes of a pytest item the collection check reads."""

    def __init__(self, nodeid: str, entry_ids: tuple[str, ...]) -> None:
        self.nodeid = nodeid
        self._mark = pytest.mark.catalog(*entry_ids).mark

    def iter_markers(self, name: str) -> list[Any]:
        return [self._mark] if name == "catalog" else []


def test_a_suite_test_marked_with_an_our_choice_entry_stops_the_run() -> None:
    ours = next(e for e in catalog.load().values() if e.ours)
    checked = catalog.suite_entries()
    item: Any = _Item("suite/test_x.py::test_y", ("auth.token-required", ours.id))
    with pytest.raises(
        pytest.UsageError, match=f"test_y verifies {re.escape(ours.id)}.*our choice"
    ):
        _refuse_unchecked_entries([item], checked)
    fine: Any = _Item("suite/test_x.py::test_z", ("auth.token-required",))
    _refuse_unchecked_entries([fine], checked)


# -- the loader refuses malformed entries ---------------------------------------------------------


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(CATALOG_FILE.read_text(encoding="utf-8"))
    return data


def _first(raw: dict[str, Any], ours: bool = False, with_mock: bool = True) -> dict[str, Any]:
    return next(
        e
        for e in raw["entries"]
        if (e.get("choice") == "ours") == ours and bool(e.get("mock")) == with_mock
    )


def _ours_with_a_suite_test(raw: dict[str, Any]) -> None:
    _first(raw, ours=True)["tests"] = ["test_auth.py::test_missing_token_is_refused"]


def _ours_unmarked(raw: dict[str, Any]) -> None:
    del _first(raw, ours=True)["choice"]


def _ours_citing_bria(raw: dict[str, Any]) -> None:
    _first(raw)["choice"] = "ours"
    _first(raw)["tests"] = []


def _no_test(raw: dict[str, Any]) -> None:
    entry = _first(raw, with_mock=False)
    entry["tests"] = []


def _unknown_key(raw: dict[str, Any]) -> None:
    _first(raw)["status"] = 400


def _unknown_doc(raw: dict[str, Any]) -> None:
    _first(raw)["source"][0]["doc"] = "mock"


def _ours_without_why(raw: dict[str, Any]) -> None:
    del _first(raw, ours=True)["source"][0]["why"]


def _rule_twice(raw: dict[str, Any]) -> None:
    first, second = [e for e in raw["entries"] if e.get("mock")][:2]
    second["mock"][0]["rule"] = first["mock"][0]["rule"]


def _mock_test_outside_tests_mock(raw: dict[str, Any]) -> None:
    _first(raw)["mock"][0]["tests"] = ["test_mock_tenancy.py::test_missing_token_is_401"]


def _operation_entry_by_hand(raw: dict[str, Any]) -> None:
    raw["entries"].append({**_first(raw, with_mock=False), "id": "op.get-model.responses"})


def _bad_kind(raw: dict[str, Any]) -> None:
    _first(raw)["kind"] = "behaviour"


def _old_version(raw: dict[str, Any]) -> None:
    raw["version"] = 1


def _contradiction_without_evidence(raw: dict[str, Any]) -> None:
    raw["contradictions"][0]["evidence"] = raw["contradictions"][0]["evidence"][:1]


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        (_ours_with_a_suite_test, "never checks it against a live server"),
        (_ours_unmarked, "mark the entry `choice: ours`"),
        (_ours_citing_bria, "a Bria document is cited"),
        (_no_test, "names no test"),
        (_unknown_key, r"unknown key\(s\) \['status'\]"),
        (_unknown_doc, "unknown document 'mock'"),
        (_ours_without_why, "`why` must be a non-empty string"),
        (_rule_twice, "is already held by"),
        (_mock_test_outside_tests_mock, "must name tests/mock/"),
        (_bad_kind, "unknown kind 'behaviour'"),
        (_operation_entry_by_hand, "derived from the normalized spec"),
        (_contradiction_without_evidence, "at least two pieces of `evidence`"),
        (_old_version, "`version` is 1; this package reads 2"),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else "message",
)
def test_the_loader_refuses_malformed_entries(breaks: Any, message: str) -> None:
    raw = _raw()
    catalog.parse(raw)  # the file as it stands is well formed
    breaks(raw)
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.parse(raw)


def test_catalog_file_is_the_packaged_one() -> None:
    assert catalog.raw_document() == _raw()
    assert Path(catalog.__file__).with_name("catalog.yaml") == CATALOG_FILE
