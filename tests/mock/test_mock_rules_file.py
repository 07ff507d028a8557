"""conformance/mock_rules.yaml stays true: sources resolve, named tests exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from provenance import check_source

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "conformance" / "mock_rules.yaml"
HERE = Path(__file__).resolve().parent


def _load() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return data


def _sources(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = [(rule["id"], src) for rule in data["rules"] for src in rule["source"]]
    out += [(c["id"], src) for c in data["contradictions"] for src in c["evidence"]]
    return out


def test_rules_are_well_formed() -> None:
    data = _load()
    ids = [r["id"] for r in data["rules"]] + [c["id"] for c in data["contradictions"]]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for rule in data["rules"]:
        assert rule["statement"] and rule["source"] and rule["tests"], rule["id"]
        assert (ROOT / rule["enforced_in"]).is_file(), rule["id"]
        for src in rule["source"]:
            assert src["doc"] in (*data["documents"], "mock"), rule["id"]
            if src["doc"] == "mock":
                assert src.get("why"), rule["id"]
    for contradiction in data["contradictions"]:
        assert contradiction["choice"] and len(contradiction["evidence"]) >= 2, contradiction["id"]


def test_sources_resolve() -> None:
    data = _load()
    documents = {key: value for key, value in data["documents"].items() if key != "mock"}
    for owner, source in _sources(data):
        if source["doc"] != "mock":
            check_source(owner, source, documents)


def test_named_tests_exist() -> None:
    defined: set[str] = set()
    for path in HERE.glob("test_*.py"):
        for name in re.findall(r"^(?:async )?def (test_\w+)", path.read_text(), flags=re.M):
            defined.add(f"{path.name}::{name}")
    missing = [
        f"{rule['id']}: {test}"
        for rule in _load()["rules"]
        for test in rule["tests"]
        if test not in defined
    ]
    assert not missing, missing


def test_modules_name_existing_rules() -> None:
    ids = {rule["id"] for rule in _load()["rules"]}
    for path in (ROOT / "conformance" / "mock" / "bria_mock").rglob("*.py"):
        match = re.search(
            r"Rules enforced here \(ids in conformance/mock_rules.yaml\):(.*?)\"\"\"",
            path.read_text(),
            re.S,
        )
        if match:
            named = set(re.findall(r"[A-Z]{2,4}-[A-Z0-9-]*[A-Z0-9]", match.group(1)))
            assert named <= ids, (path.name, named - ids)
