"""Conformance suite figures: whole-run time and generated cases, and the cost of a generated case
against a bare request to the same in-process mock (the baseline, measured in the same run).

Goal: the whole suite against the embedded mock in at most 60 s on a 2-core machine with at least
2,000 generated cases.
"""

from __future__ import annotations

import time

from bria_conformance.embedded import embedded_target
from bria_conformance.runner import run_suite
from starlette.testclient import TestClient

BASELINE_REQUESTS = 2000


def baseline_requests_per_second() -> float:
    target = embedded_target()
    with TestClient(target.app, base_url=target.base_url) as client:
        headers = {"api_token": target.token}
        client.get("/v1/tailored-gen/projects", headers=headers)
        started = time.perf_counter()
        for _ in range(BASELINE_REQUESTS):
            client.get("/v1/tailored-gen/projects", headers=headers)
        return BASELINE_REQUESTS / (time.perf_counter() - started)


def main() -> None:
    rps = baseline_requests_per_second()
    started = time.perf_counter()
    outcome = run_suite(["--bria-target", "mock", "--bria-seed", "1", "-q", "--no-header"])
    wall = time.perf_counter() - started
    run = outcome.run
    counts = run.results.counts()
    stateless = sum(
        1 for r in run.results.records if "test_stateless" in r.nodeid and r.outcome != "failed"
    )
    cases_per_second = run.generated_cases / wall
    print(f"baseline: {rps:,.0f} bare GET requests/s to the in-process mock")
    print(
        f"suite: {wall:.1f} s wall (goal <= 60 s), {run.generated_cases} generated cases "
        f"(goal >= 2000; Schemathesis {run.schemathesis_cases}, state-machine steps "
        f"{run.stateful_steps}), {stateless} operations fuzzed"
    )
    print(
        f"catalog entries: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped"
    )
    print(
        f"throughput: {cases_per_second:,.0f} generated cases/s = "
        f"{cases_per_second / rps:.3f} x the baseline"
    )


if __name__ == "__main__":
    main()
