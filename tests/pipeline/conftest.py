"""Fixtures for the build pipeline tests: throwaway copies of the project's build inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from bria_build.cache import BuildCache
from bria_build.layout import BUILD_TREE, Layout
from bria_build.pipeline import BuildOutput, run_pipeline

ROOT = Path(__file__).resolve().parents[2]
TRANSIENT = shutil.ignore_patterns("__pycache__", "build", "dist", "*.egg-info")


@pytest.fixture
def project_copy(tmp_path: Path) -> Layout:
    """A copy of everything the build reads and writes, safe to edit."""
    for rel in BUILD_TREE:
        source = ROOT / rel
        if source.exists():
            # The packaging tests build wheels in place; their transient folders are not inputs.
            shutil.copytree(source, tmp_path / rel, ignore=TRANSIENT)
    return Layout(tmp_path)


@pytest.fixture(scope="session")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildOutput]:
    """A fresh build of the project's inputs, and a build cache that holds nothing but it (built
    once: the modules using it share the xdist group ``fresh-build``)."""
    directory = tmp_path_factory.mktemp("warm-cache")
    fresh = run_pipeline(Layout(ROOT), cache=BuildCache(directory))
    assert not fresh.cached
    assert len(list(directory.glob("*.entry"))) == 2  # the spec step and the package step
    return directory, fresh


@pytest.fixture(scope="session")
def normalized_spec() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((ROOT / "spec" / "bria-tailored.openapi.json").read_text())
    return loaded


@pytest.fixture(scope="session")
def upstream_bundle() -> dict[str, Any]:
    path = ROOT / "spec" / "upstream" / "tailored-generation.openapi.json"
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded
