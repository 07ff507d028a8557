"""The suite must catch servers that break a documented rule, and name the rule they break."""

from __future__ import annotations

import re

import pytest
from bria_conformance.embedded import embedded_target
from bria_conformance.runner import run_suite
from bria_conformance.target import random_token
from conformance_broken_servers import VARIANTS, Variant

FAST = [
    "--bria-max-examples",
    "6",
    "--bria-stateful-examples",
    "4",
    "--bria-seed",
    "20240611",
    "-q",
    "--no-header",
    "--tb=short",  # as bria-conformance runs it; long tracebacks cost a source parse each
]


def _first_of_each_kind() -> set[str]:
    first: dict[str, str] = {}
    for variant in VARIANTS:
        first.setdefault(variant.kind, variant.name)
    return set(first.values())


FIRST = _first_of_each_kind()


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(v, id=v.name, marks=() if v.name in FIRST else pytest.mark.matrix)
        for v in VARIANTS
    ],
)
def test_broken_variant_fails_its_catalog_entry(variant: Variant) -> None:
    tokens = (random_token("org-a"), random_token("org-b"))
    target = embedded_target(tokens=tokens, wrap=lambda app: variant.build(app, *tokens))
    outcome = run_suite(["--bria-only", variant.select, *FAST, *variant.args], target=target)
    assert outcome.run is not None, "the suite did not run"
    failed = outcome.failed_entries()
    assert outcome.exit_code == 1, f"a broken server must fail the run (exit {outcome.exit_code})"
    assert variant.entry in failed, (
        f"{variant.name} should fail {variant.entry}; failed entries: {sorted(failed)}"
    )
    missed = sorted({entry for entry, _ in variant.more} - set(failed))
    assert not missed, f"{variant.name} breaks these entries too, yet they passed: {missed}"
    if variant.because:
        broken = {variant.entry, *(entry for entry, _ in variant.more)}
        reasons = (
            variant.because
            if isinstance(variant.because, dict)
            else dict.fromkeys(broken, variant.because)
        )
        off = [
            f"{result.entry.id}: {record.message[:300]!r}"
            for result in outcome.run.results.by_entry()
            if result.entry.id in reasons
            for record in result.failures
            if not re.search(reasons[result.entry.id], record.message)
        ]
        assert not off, f"{variant.name} fails for another reason than its part's: {off}"
