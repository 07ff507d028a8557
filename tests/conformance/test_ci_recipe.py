"""docs/ci/conformance.yml: its steps, run here as the runner would, against the embedded mock."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bria_build.inputs import load_yaml
from bria_mock.config import MockConfig
from bria_mock.testing import LoopbackMock

WORKFLOW = Path(__file__).resolve().parents[2] / "docs" / "ci" / "conformance.yml"
FAST = "--max-examples 3 --stateful-examples 2 --seed 5"


def workflow() -> dict[Any, Any]:
    data = load_yaml(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def step(job: str, step_id: str) -> dict[str, Any]:
    for item in workflow()["jobs"][job]["steps"]:
        if item.get("id") == step_id:
            return dict(item)
    raise AssertionError(f"no step {step_id!r} in job {job!r}")


def run_step(
    job: str, step_id: str, cwd: Path, extra_args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a `run:` step with bash -e, as GitHub's runner does, with this toolkit on PATH."""
    env = {
        **os.environ,
        **{k: str(v) for k, v in workflow()["env"].items()},
        # A secret is not there locally: as on a fork, the step sees it empty.
        **{
            k: "" if "${{" in str(v) else str(v)
            for k, v in workflow()["jobs"][job].get("env", {}).items()
        },
        **(extra_env or {}),
        "BRIA_CONFORMANCE_ARGS": extra_args,
        "GITHUB_STEP_SUMMARY": str(cwd / "summary.md"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return subprocess.run(
        ["bash", "-e", "-c", step(job, step_id)["run"]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_workflow_uploads_both_reports_even_on_failure() -> None:
    steps = workflow()["jobs"]["contract"]["steps"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    assert upload["if"] == "always()"
    assert "reports/conformance.md" in upload["with"]["path"]
    assert "reports/conformance.xml" in upload["with"]["path"]
    assert step("contract", "summary")["if"] == "always()"
    assert "if" not in step("contract", "conformance")  # its exit code decides the job
    assert workflow()[True]["schedule"]  # YAML reads the key `on` as True


def test_a_passing_run_writes_the_report_junit_and_summary(tmp_path: Path) -> None:
    result = run_step("contract", "conformance", tmp_path, f"{FAST} --only project.created-active")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "reports" / "conformance.xml").read_text().startswith("<?xml")
    summary = run_step("contract", "summary", tmp_path, "")
    assert summary.returncode == 0, summary.stderr
    text = (tmp_path / "summary.md").read_text()
    assert "| `project.created-active` | state | passed |" in text


def test_a_violated_rule_fails_the_step(tmp_path: Path) -> None:
    # A server needing 5 images to complete a dataset, checked by a suite told the documents say
    # 2: the suite sees the rule violated, as it would a non-conforming server.
    with LoopbackMock() as server:
        args = (
            f"{FAST} --base-url {server.base_url} --token tok-a-123456 --other-token tok-b-654321"
            " --only dataset.completion-min-images --completion-min-images 2"
        )
        result = run_step("contract", "conformance", tmp_path, args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "failed" in (tmp_path / "reports" / "conformance.md").read_text()
    summary = run_step("contract", "summary", tmp_path, "")
    assert summary.returncode == 0
    assert (
        "| `dataset.completion-min-images` | state | failed |"
        in (tmp_path / "summary.md").read_text()
    )


LIVE_STEPS = ("live-cleanup", "live", "live-write", "live-training")


@pytest.mark.parametrize("step_id", LIVE_STEPS)
def test_the_live_steps_skip_cleanly_without_a_token(step_id: str, tmp_path: Path) -> None:
    env_token = os.environ.pop("BRIA_API_TOKEN", None)
    try:
        result = run_step("live", step_id, tmp_path, "")
    finally:
        if env_token is not None:
            os.environ["BRIA_API_TOKEN"] = env_token
    assert result.returncode == 0, result.stderr
    assert "skipping the live run" in result.stdout


def test_two_nights_against_a_live_like_server(tmp_path: Path) -> None:
    """The nightly phases against a mock without controls: the first night starts the shared
    training, the second verifies and uses it; each phase sends only what it may."""
    config = MockConfig(enable_control=False, realtime=True, speed=20000.0)
    only = "--only generate.sync-result,image.manual-caption"
    with LoopbackMock(config) as server:
        env = {
            "BRIA_BASE_URL": server.base_url,
            "BRIA_API_TOKEN": "tok-a-123456",
            "BRIA_LIVE_ARGS": f"{FAST} {only} --live-wait 0",
        }
        # The write phase runs as the read phase does (tests/conformance/test_budget.py checks
        # what each phase sends); left out here to keep this test short.
        for step_id in ("live-cleanup", "live", "live-training"):
            result = run_step("live", step_id, tmp_path, "", env)
            assert result.returncode == 0, result.stdout + result.stderr
        first = (tmp_path / "reports" / "live-training.md").read_text()
        assert re.search(r"\| `generate.sync-result` \| \w+ \| skipped \| not finished", first)
        state = tmp_path / ".bria-state" / "state.json"
        model = json.loads(state.read_text())["model"]
        read = (tmp_path / "reports" / "live-read.md").read_text()
        assert re.search(
            r"\| `image.manual-caption` \| \w+ \| skipped \| checked in the write", read
        )
        # The next night: the cleanup keeps the state file's model, the training phase uses it.
        for step_id in ("live-cleanup", "live-training"):
            result = run_step("live", step_id, tmp_path, "", env)
            assert result.returncode == 0, result.stdout + result.stderr
        second = (tmp_path / "reports" / "live-training.md").read_text()
        assert re.search(r"\| `generate.sync-result` \| \w+ \| passed \|", second), second
        assert json.loads(state.read_text())["model"]["id"] == model["id"]
        started = [line for line in result.stdout.splitlines() if "started the shared" in line]
        assert not started, "the second night trained again"


@pytest.mark.parametrize("job", ["contract", "live"])
def test_every_step_is_named_or_an_action(job: str) -> None:
    for item in workflow()["jobs"][job]["steps"]:
        assert "uses" in item or "name" in item
