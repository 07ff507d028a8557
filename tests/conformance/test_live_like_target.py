"""The whole suite against a target that behaves like Bria's live API, reached by URL.

`bria-mock --no-control --realtime --speed 600` on an account that already holds projects,
datasets and models (`tests/live_like_target.py`), with every permission, on both profiles (the
documented one takes bulk uploads only as JSON ``zip_url`` and answers in Bria's literal forms).
A correct server must pass: no entry may fail, at least 90 % of the entries a run reports must
pass with a real check, every other one must say why not, and the account's own data must be
as it was (nothing the suite made is left behind either).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import live_like_target
import pytest

P = "/v1/tailored-gen"
SUMMARY = re.compile(r"catalog entries: (.*) \(of (\d+)\)")


def _account(url: str, token: str) -> dict[str, list[tuple[int, str]]]:
    with httpx.Client(base_url=url, headers={"api_token": token}, timeout=30) as client:
        return {
            kind: sorted(
                (item["id"], item.get("project_name") or item.get("name") or "")
                for item in client.get(f"{P}/{kind}").json()
            )
            for kind in ("projects", "datasets", "models")
        }


@pytest.mark.matrix
@pytest.mark.long
@pytest.mark.parametrize("profile", ["canonical", "documented"])
def test_suite_passes_a_live_like_target(profile: str, tmp_path: Path) -> None:
    with live_like_target.running(profile) as target:
        before = {token: _account(target.url, token) for token in target.tokens}
        report = tmp_path / "report.md"
        command = [sys.executable, "-m", "bria_conformance.cli", *target.suite_args()]
        done = subprocess.run(
            [*command, "--seed", "1", "--report", str(report)],
            capture_output=True,
            text=True,
            timeout=900,
        )
        after = {token: _account(target.url, token) for token in target.tokens}
        trainings = target.trainings_started()
    output = done.stdout + done.stderr
    found = SUMMARY.search(output)
    assert found, f"no summary line in the output:\n{output[-3000:]}"
    # "218 passed, 0 failed, 6 skipped, 18 over budget (of 242)"
    counts = {what: int(n) for n, what in re.findall(r"(\d+) ([a-z ]+)", found.group(1))}
    total = int(found.group(2))
    passed, failed = counts.get("passed", 0), counts.get("failed", 0)
    assert done.returncode == 0 and failed == 0, f"a correct server failed:\n{output[-6000:]}"
    assert passed >= 0.9 * total, (
        f"only {passed} of {total} entries were checked on a live-like target ({counts}); "
        f"see {report.read_text()[-4000:]}"
    )
    # At most three trainings: the shared model's and the checks of training itself.
    assert trainings <= 3, f"the run started {trainings} trainings"
    text = report.read_text()
    assert "not selected" not in text, "an entry claims --only deselected it, but none was given"
    assert before == after, (
        "the run changed the account's own data or left its own behind:\n"
        f"before {before}\nafter  {after}"
    )
    print(f"{profile}: {passed}/{total} passed ({counts}), {trainings} trainings started")
