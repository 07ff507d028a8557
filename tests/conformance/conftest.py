"""Fixtures for the conformance suite's own tests."""

from __future__ import annotations

from typing import Any

import pytest
from bria_conformance.runner import run_suite


@pytest.fixture(scope="session")
def collected() -> list[tuple[str, str, tuple[str, ...]]]:
    """Every test the suite collects against the embedded mock, with its catalog ids."""
    outcome = run_suite(["--collect-only", "-q", "--bria-target", "mock"])
    assert outcome.run is not None and outcome.run.collected, "the suite collected nothing"
    items: Any = outcome.run.collected
    return list(items)
