"""Write the build's outputs, or compare them with what is committed (``--check``).

The build owns every file of ``generated/bria_tailored`` except ``runtime/``, which is written by
hand: it is never compared, written or deleted here, so a runtime edit is live at once and a
rebuild cannot lose it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .layout import PACKAGE_NAME, Layout

GENERATED_PREFIX = f"generated/{PACKAGE_NAME}/"
SPEC_OUTPUTS = ("spec/bria-tailored.openapi.json", "spec/merge-report.json")


def _is_hand_owned(layout: Layout, path: Path) -> bool:
    return path.is_relative_to(layout.runtime_dir)


def _generated_files(layout: Layout) -> dict[str, Path]:
    files = {}
    for path in sorted(layout.package_dir.rglob("*")):
        if (
            path.is_file()
            and "__pycache__" not in path.parts
            and path.suffix != ".pyc"
            and not _is_hand_owned(layout, path)
        ):
            files[path.relative_to(layout.root).as_posix()] = path
    return files


def _committed_files(layout: Layout) -> dict[str, Path]:
    files = _generated_files(layout)
    for name in SPEC_OUTPUTS:
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
    """Replace every generated file, so removed operations leave no stale modules.

    The new files are staged beside the package first; only then are the old generated files
    removed and the staged ones moved in. ``runtime/`` is left exactly as it is.
    """
    staging = layout.root / "generated" / f".{PACKAGE_NAME}.new"
    if staging.exists():
        shutil.rmtree(staging)
    for name, content in files.items():
        if name.startswith(GENERATED_PREFIX):
            target = staging / name[len(GENERATED_PREFIX) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    for stale in _generated_files(layout).values():
        stale.unlink()
    for child in sorted(layout.package_dir.rglob("*"), reverse=True):
        if (
            child.is_dir()
            and not _is_hand_owned(layout, child)
            and (child.name == "__pycache__" or not any(child.iterdir()))
        ):
            shutil.rmtree(child)
    layout.package_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            target = layout.package_dir / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.replace(target)
    shutil.rmtree(staging)
    for name, content in files.items():
        if not name.startswith(GENERATED_PREFIX):
            (layout.root / name).write_bytes(content)
