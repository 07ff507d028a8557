"""An activated conformance run adds the suite to a user's run and never drops the user's tests."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

USER_TEST = """
from bria_tailored.api.project import get_projects

def test_mine():
    assert 1 + 1 == 2

def test_mine_with_the_mock_fixture(bria_client):
    assert get_projects.sync(client=bria_client) == []
"""

# One cheap catalog entry keeps the run short; the state machine (tagged with every entry) is
# left out with -k, which does not match the user's test names.
SUITE_SLICE = ["--bria-only", "project.created-active", "-k", "not state_machine"]


def user_project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_my_integration.py").write_text(textwrap.dedent(USER_TEST))
    return tmp_path


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def passed(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {line.split()[1] for line in result.stdout.splitlines() if line.startswith("PASSED ")}


def test_testpaths_run_keeps_the_users_tests_and_adds_the_suite(tmp_path: Path) -> None:
    project = user_project(tmp_path)
    result = run(project, "--bria-target=mock", *SUITE_SLICE, "--bria-report", "report.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert passed(result) == {
        "tests/test_my_integration.py::test_mine",
        "tests/test_my_integration.py::test_mine_with_the_mock_fixture",
        "test_projects.py::test_created_project_is_active",
    }
    # The report is about the contract: the user's tests are not in it.
    report = (project / "report.md").read_text()
    assert "| `project.created-active` | state | passed |" in report
    assert "test_mine" not in report and "test_my_integration" not in report


def test_named_paths_plus_the_suite_by_package_name(tmp_path: Path) -> None:
    project = user_project(tmp_path)
    result = run(
        project, "--bria-target=mock", *SUITE_SLICE, "tests", "--pyargs", "bria_conformance.suite"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tests/test_my_integration.py::test_mine" in passed(result)
    assert "test_projects.py::test_created_project_is_active" in passed(result)


def test_a_failing_user_test_fails_the_run(tmp_path: Path) -> None:
    project = user_project(tmp_path)
    (project / "tests" / "test_broken.py").write_text("def test_broken():\n    assert False\n")
    result = run(project, "--bria-target=mock", *SUITE_SLICE)
    assert result.returncode == 1
    assert "FAILED tests/test_broken.py::test_broken" in result.stdout
