"""Shared by every test folder: ``tests/`` is on sys.path, so ``import provenance`` works."""

from __future__ import annotations

import gc

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # pytest-xdist hands tests out in collection order: a test that runs for minutes, started
    # last, leaves every other worker idle until it ends. Started first, the others fill in.
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


def pytest_collection_finish(session: pytest.Session) -> None:
    # What collection imported (the products, the specs, Hypothesis, Schemathesis) lives until
    # the process ends; frozen, it is skipped by every later collection, above all the one each
    # in-process suite run makes when it ends (pytest's unraisable-exception check), which
    # walked all of it: about a quarter of the time of a broken-server variant.
    gc.collect()
    gc.freeze()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    # A test process ends holding a large heap (compiled specs, Hypothesis and Schemathesis
    # caches); the garbage collection the interpreter runs while exiting walks all of it, about a
    # second per pytest-xdist worker, for objects the exiting process never needs again.
    gc.freeze()
