"""Fixtures for the upgrade tests: build trees to run ``bria-build --upstream`` against."""

from __future__ import annotations

from pathlib import Path

import pytest
from bria_build.layout import Layout
from upgrade_helpers import copy_build_tree


@pytest.fixture(scope="module")
def shared_copy(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """One build tree for the dry runs of a module (they must leave it byte-identical)."""
    return copy_build_tree(tmp_path_factory.mktemp("build-tree"))


@pytest.fixture
def fresh_copy(tmp_path: Path) -> Layout:
    """A build tree a test may write to."""
    return copy_build_tree(tmp_path / "tree")
