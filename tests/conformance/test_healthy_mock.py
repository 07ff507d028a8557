"""Zero false failures: the whole suite passes on the bundled mock, with two different seeds, and
on its profile answering in Bria's documented literal forms (docs/contract.md)."""

from __future__ import annotations

import pytest
from bria_conformance.runner import run_suite

# Each run is the whole suite (about 100 s); .ci/run makes the same check with bria-conformance.
pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("profile", "seed"),
    [("canonical", 101), ("canonical", 202), ("documented", 2)],
)
def test_suite_passes_on_the_mock(profile: str, seed: int) -> None:
    target = ["--bria-target", "mock", "--bria-mock-profile", profile]
    outcome = run_suite([*target, "--bria-seed", str(seed), "-q", "--no-header"])
    assert outcome.run is not None
    failed = outcome.failed_entries()
    assert not failed, f"{profile} seed {seed}: the mock fails {sorted(failed)}"
    assert outcome.exit_code == 0, f"seed {seed}: pytest exit code {outcome.exit_code}"
    counts = outcome.run.results.counts()
    assert counts["passed"] >= 150, f"too few entries verified: {counts}"
    assert outcome.run.generated_cases >= 1000, (
        f"only {outcome.run.generated_cases} generated cases"
    )
