"""Write the build's outputs, or compare them with what is committed (``--check``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from .layout import PACKAGE_NAME, Layout

GENERATED_PREFIX = f"generated/{PACKAGE_NAME}/"


def _committed_files(layout: Layout) -> dict[str, Path]:
    files = {}
    for path in sorted(layout.package_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files[path.relative_to(layout.root).as_posix()] = path
    for name in ("spec/bria-tailored.openapi.json", "spec/merge-report.json"):
        candidate = layout.root / name
        if candidate.exists():
            files[name] = candidate
    return files


def compare_outputs(layout: Layout, expected: dict[str, bytes]) -> list[str]:
    """One line per file that differs from a fresh build, naming the file and how."""
    committed = _committed_files(layout)
    problems = []
    for name, content in sorted(expected.items()):
        path = committed.get(name)
        if path is None:
            problems.append(f"{name}: missing (the build produces it)")
        elif path.read_bytes() != content:
            problems.append(f"{name}: stale or edited by hand (differs from a fresh build)")
    for name in sorted(set(committed) - set(expected)):
        problems.append(f"{name}: not produced by the build (extra file)")
    return problems


def write_outputs(layout: Layout, files: dict[str, bytes]) -> None:
    """Replace generated/bria_tailored wholesale so removed operations leave no stale modules."""
    staging = layout.root / "generated" / f".{PACKAGE_NAME}.new"
    if staging.exists():
        shutil.rmtree(staging)
    for name, content in files.items():
        if name.startswith(GENERATED_PREFIX):
            target = staging / name[len(GENERATED_PREFIX) :]
        else:
            target = layout.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    if layout.package_dir.exists():
        shutil.rmtree(layout.package_dir)
    staging.rename(layout.package_dir)
