"""Shared by every test folder: ``tests/`` is on sys.path, so ``import provenance`` works."""

from __future__ import annotations

import gc

import pytest


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    # A test process ends holding a large heap (compiled specs, Hypothesis and Schemathesis
    # caches); the garbage collection the interpreter runs while exiting walks all of it, about a
    # second per pytest-xdist worker, for objects the exiting process never needs again.
    gc.freeze()
