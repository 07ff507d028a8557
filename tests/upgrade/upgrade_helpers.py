"""Helpers of the upgrade tests: a copy of the build tree, candidate bundles from patches."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from bria_build.fit import CATALOG
from bria_build.layout import BUILD_TREE, Layout
from patching import apply_patch

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def copy_build_tree(target: Path) -> Layout:
    """Everything the build and the upgrade read or write, including the conformance catalog."""
    for rel in BUILD_TREE:
        source = ROOT / rel
        if source.exists():
            shutil.copytree(source, target / rel, ignore=shutil.ignore_patterns("__pycache__"))
    (target / CATALOG).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / CATALOG, target / CATALOG)
    return Layout(target)


def tree_digest(root: Path) -> dict[str, str]:
    """One hash per file under ``root``: equal digests mean a byte-identical tree."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def load_fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def fixture_names() -> list[str]:
    return sorted(p.stem for p in FIXTURES.glob("*.json"))


def write_candidate(layout: Layout, name: str, where: Path) -> Path:
    """The vendored bundle of ``layout`` with fixture ``name``'s patch applied, as a file."""
    bundle = json.loads(layout.upstream_bundle.read_text(encoding="utf-8"))
    candidate = where / f"{name}.openapi.json"
    candidate.write_text(
        json.dumps(apply_patch(bundle, load_fixture(name)["patch"]), indent=2), encoding="utf-8"
    )
    return candidate
