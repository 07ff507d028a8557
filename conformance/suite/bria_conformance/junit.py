"""JUnit XML with one test case per catalog entry, so CI dashboards show contract rules.

A case is named by the entry id (class name `bria_conformance.<kind>`); a failure carries the
failing assertion of each failing test, its curl reproduction and the exported script. Entries
no selected test covers (`--only`) are not run, so they are not cases at all; their number is a
property of the suite. Catalog entries the suite never checks against a target (our choice, or
enforced by the mock alone) are no cases either; `not_checked_against_target` counts them.
Nothing else goes in: no pytest output, no Hypothesis statistics.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from .journal import mask
from .results import EntryResult, not_checked


def _failure_text(result: EntryResult, script: str | None, secrets: list[str]) -> str:
    parts = []
    for record in result.failures[:5]:
        parts.append(f"Test {record.nodeid}\n{record.message.strip()[:6000]}")
        if record.reproduction:
            parts.append(f"Reproduce:\n{record.reproduction}")
    if script:
        parts.append(f"Whole scenario as a Python script: {script}")
    return mask("\n\n".join(parts), secrets)


def render(rows: list[EntryResult], run: Any, scripts: dict[str, str]) -> bytes:
    secrets = [run.target.token, run.target.other_token or ""]
    cases = [r for r in rows if r.status != "not run"]
    suite = ET.Element(
        "testsuite",
        name="bria-conformance",
        tests=str(len(cases)),
        failures=str(sum(r.status == "failed" for r in cases)),
        errors="0",
        skipped=str(sum(r.status in ("skipped", "over budget") for r in cases)),
        time=f"{run.elapsed:.3f}",
    )
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("target", run.target.label),
        ("seed", str(run.seed)),
        ("generated_cases", str(run.generated_cases)),
        ("not_run", str(sum(r.status == "not run" for r in rows))),
        ("not_checked_against_target", str(len(not_checked()))),
    ):
        ET.SubElement(props, "property", name=name, value=value)
    for result in cases:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"bria_conformance.{result.entry.kind}",
            name=result.entry.id,
            time=f"{result.seconds:.3f}",
        )
        if result.status == "failed":
            text = _failure_text(result, scripts.get(result.entry.id), secrets)
            first = mask(result.detail or text.splitlines()[0], secrets)[:500]
            failure = ET.SubElement(case, "failure", message=first, type="ContractViolation")
            failure.text = text
        elif result.status in ("skipped", "over budget"):
            ET.SubElement(case, "skipped", message=mask(result.detail, secrets)[:1000])
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def write_junit(path: Path, rows: list[EntryResult], run: Any, scripts: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(rows, run, scripts))
