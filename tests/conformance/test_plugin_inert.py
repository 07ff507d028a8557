"""The pytest11 plugin does nothing in ordinary pytest runs until --bria-target activates it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bria_conformance.plugin import SUITE_DIR


def _pytest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ordinary_run_is_untouched(tmp_path: Path) -> None:
    (tmp_path / "test_plain.py").write_text("def test_ok():\n    assert 1 + 1 == 2\n")
    result = _pytest("-q", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert "Bria conformance" not in result.stdout
    fixtures = _pytest("--fixtures", str(tmp_path), cwd=tmp_path).stdout
    assert "scenario" not in fixtures and "bria_run" not in fixtures


def test_suite_is_not_collected_without_a_target(tmp_path: Path) -> None:
    result = _pytest("--collect-only", "-q", str(SUITE_DIR), cwd=tmp_path)
    assert "test_operation" not in result.stdout and "test_lifecycle" not in result.stdout, (
        result.stdout
    )


def test_options_are_declared(tmp_path: Path) -> None:
    result = _pytest("--help", cwd=tmp_path)
    assert "--bria-target" in result.stdout
