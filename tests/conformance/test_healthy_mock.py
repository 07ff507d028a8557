"""Zero false failures: the whole suite passes on the bundled mock, with two different seeds."""

from __future__ import annotations

import pytest
from bria_conformance.runner import run_suite


@pytest.mark.parametrize("seed", [101, 202])
def test_suite_passes_on_the_mock(seed: int) -> None:
    outcome = run_suite(["--bria-target", "mock", "--bria-seed", str(seed), "-q", "--no-header"])
    assert outcome.run is not None
    failed = outcome.failed_entries()
    assert not failed, f"seed {seed}: the mock fails {sorted(failed)}"
    assert outcome.exit_code == 0, f"seed {seed}: pytest exit code {outcome.exit_code}"
    counts = outcome.run.results.counts()
    assert counts["passed"] >= 150, f"too few entries verified: {counts}"
    assert outcome.run.generated_cases >= 1000, (
        f"only {outcome.run.generated_cases} generated cases"
    )
