"""``bria-build --upstream FILE``: adopt a new upstream spec as one transaction.

Everything is built in memory from the candidate files first: the normalized spec, the merge
report and the generated package. Then the change report is assembled from three layers (the
HTTP contract, the generated Python API, our own overlays/catalog plus a round trip through the
regenerated client and mock). Only a real run without blocking findings writes, and it writes
every output — the vendored upstream files included — or, if writing fails half-way, restores
what was there. A dry run writes nothing.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import BuildCache
from .changes import OURS, Change
from .errors import BuildError
from .fit import catalog_breaks, misfits
from .http_diff import diff_specs
from .layout import PACKAGE_NAME, Layout
from .normalize import normalize
from .outputs import GENERATED_PREFIX, SPEC_OUTPUTS, write_outputs
from .overlay import DeadAction
from .pipeline import BuildOutput, Upstream, generate_package, run_pipeline
from .python_diff import diff_packages
from .roundtrip import STEPS

ROUNDTRIP_TIMEOUT_SECONDS = 120


@dataclass
class RoundTrip:
    # step name -> (ok, detail); steps after the first failure are absent
    steps: dict[str, tuple[bool, str]] = field(default_factory=dict)
    skipped: str = ""
    # operations the regenerated mock serves from the spec only (no handler yet)
    unmodelled: list[str] = field(default_factory=list)

    @property
    def broken_step(self) -> str | None:
        return next((name for name, (ok, _) in self.steps.items() if not ok), None)

    @property
    def ok(self) -> bool:
        return not self.skipped and self.broken_step is None and len(self.steps) == len(STEPS)


@dataclass
class Upgrade:
    """The candidate build and everything found about it; nothing written yet."""

    bundle_file: Path
    status_file: Path | None
    output: BuildOutput
    changes: list[Change] = field(default_factory=list)
    dead: list[DeadAction] = field(default_factory=list)
    misfits: list[Change] = field(default_factory=list)
    generation_error: str = ""
    roundtrip: RoundTrip = field(default_factory=RoundTrip)
    seconds: dict[str, float] = field(default_factory=dict)
    # what the HTTP layer compared (the repaired specs, or Bria's when the overlays drifted)
    http_basis: str = "the committed normalized spec against the candidate one"

    @property
    def drift(self) -> bool:
        return bool(self.dead or self.misfits)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]


def _old_final_spec(layout: Layout, old: Upstream, cache: BuildCache | None) -> dict[str, Any]:
    """The normalized spec callers have today: the committed one (rebuilt if it is missing)."""
    if layout.normalized_spec.exists():
        loaded: dict[str, Any] = json.loads(layout.normalized_spec.read_text(encoding="utf-8"))
        return loaded
    return run_pipeline(layout, generate=False, upstream=old, cache=cache).spec


def _materialize(output: BuildOutput, layout: Layout, parent: Path) -> Path:
    """Write the candidate package (plus the hand-owned runtime) under ``parent``."""
    package = parent / PACKAGE_NAME
    for name, content in output.files.items():
        if name.startswith(GENERATED_PREFIX):
            target = package / name[len(GENERATED_PREFIX) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    if layout.runtime_dir.is_dir():
        shutil.copytree(
            layout.runtime_dir,
            package / layout.runtime_dir.name,
            ignore=shutil.ignore_patterns("__pycache__"),
            dirs_exist_ok=True,
        )
    return parent


def run_roundtrip(package_parent: Path) -> RoundTrip:
    """Run :mod:`bria_build.roundtrip` in a child whose ``bria_tailored`` is the candidate."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(package_parent), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    result = RoundTrip()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bria_build.roundtrip"],
            env=env,
            cwd=package_parent,
            capture_output=True,
            text=True,
            timeout=ROUNDTRIP_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        result.skipped = f"timed out after {ROUNDTRIP_TIMEOUT_SECONDS}s"
        return result
    for line in proc.stdout.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and isinstance(record.get("unmodelled"), list):
            result.unmodelled = [str(op) for op in record["unmodelled"]]
        if isinstance(record, dict) and "step" in record:
            result.steps[str(record["step"])] = (bool(record["ok"]), str(record["detail"]))
    if not result.steps:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        result.steps["start"] = (False, " / ".join(tail) or f"exit {proc.returncode}")
    return result


def plan_upgrade(
    layout: Layout,
    bundle_file: Path,
    status_file: Path | None,
    *,
    roundtrip: bool = True,
    cache: BuildCache | None = None,
) -> Upgrade:
    """Build the candidate in memory and find every change; writes nothing (but to ``cache``)."""
    started = time.perf_counter()
    layout.require_inputs()
    old = Upstream.vendored(layout)
    new = Upstream.read(bundle_file, status_file or layout.upstream_status)
    output = run_pipeline(layout, generate=False, upstream=new, cache=cache)
    upgrade = Upgrade(bundle_file, status_file, output, dead=list(output.dead_actions))
    old_norm, _ = normalize(old.bundle, old.status)
    new_norm, _ = normalize(new.bundle, new.status)
    old_final = _old_final_spec(layout, old, cache)
    if upgrade.dead:
        # Without a repaired spec, compare what Bria publishes (normalized, before overlays).
        upgrade.http_basis = "Bria's specs before the overlays (the repaired spec cannot be built)"
        upgrade.changes += diff_specs(old_norm, new_norm)
        upgrade.changes += [
            Change(OURS, d.where, "overlay-action-matches-nothing", str(d).split(": ", 1)[1], True)
            for d in upgrade.dead
        ]
        upgrade.seconds["total"] = time.perf_counter() - started
        return upgrade
    upgrade.changes += diff_specs(old_final, output.spec)
    upgrade.misfits = misfits(old_norm, new_norm, output.spec, output.traces)
    upgrade.changes += upgrade.misfits
    upgrade.changes += catalog_breaks(
        layout.root,
        {"002": old.bundle, "status": old.status, "normalized": old_final},
        {"002": new.bundle, "status": new.status, "normalized": output.spec},
    )
    upgrade.seconds["spec"] = time.perf_counter() - started
    try:
        output.files.update(
            generate_package(layout, output.files["spec/bria-tailored.openapi.json"], cache)
        )
    except BuildError as exc:
        upgrade.generation_error = str(exc)
        upgrade.seconds["total"] = time.perf_counter() - started
        return upgrade
    output.models = sum(
        1
        for name in output.files
        if name.startswith(f"{GENERATED_PREFIX}models/") and not name.endswith("__init__.py")
    )
    upgrade.seconds["generate"] = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="bria-upgrade-") as tmp:
        parent = _materialize(output, layout, Path(tmp))
        if layout.package_dir.is_dir():
            upgrade.changes += diff_packages(layout.package_dir.parent, parent)
        upgrade.seconds["python-diff"] = time.perf_counter() - started
        if roundtrip:
            upgrade.roundtrip = run_roundtrip(parent)
            upgrade.seconds["round-trip"] = time.perf_counter() - started
        else:
            upgrade.roundtrip.skipped = "not run (--no-roundtrip)"
    for op_id in upgrade.roundtrip.unmodelled:
        upgrade.changes.append(
            Change(
                OURS,
                f"mock operation {op_id}",
                "mock-operation-unmodelled",
                "no handler yet: the mock serves it from the spec (x-bria-mock: unimplemented) "
                "and the mock's tests fail until a handler is written",
                False,
            )
        )
    broken = upgrade.roundtrip.broken_step
    if broken is not None:
        upgrade.changes.append(
            Change(
                OURS,
                f"round trip step {broken}",
                "roundtrip-broke",
                upgrade.roundtrip.steps[broken][1],
                True,
            )
        )
    upgrade.seconds["total"] = time.perf_counter() - started
    return upgrade


def _snapshot(layout: Layout, names: list[str]) -> dict[str, bytes | None]:
    return {
        name: (layout.root / name).read_bytes() if (layout.root / name).is_file() else None
        for name in names
    }


def _changelog(layout: Layout, upgrade: Upgrade) -> bytes:
    """generated/CHANGELOG.md with the upgrade's summary as its newest entry."""
    from .report import add_changelog_entry, changelog_entry

    path = layout.changelog
    current = (
        path.read_text(encoding="utf-8")
        if path.is_file()
        else "# Changelog: bria-tailored\n\nChanges of the typed client, newest first.\n"
    )
    version = str(upgrade.output.spec.get("info", {}).get("version") or "unversioned")
    day = datetime.datetime.now(datetime.UTC).date().isoformat()
    entry = changelog_entry(upgrade, version=version, day=day)
    return add_changelog_entry(current, entry).encode("utf-8")


def commit_upgrade(layout: Layout, upgrade: Upgrade) -> None:
    """Write the vendored upstream files, every output and the client's changelog entry, or
    leave everything as it was."""
    upstream_files = {
        layout.upstream_bundle.relative_to(layout.root).as_posix(): upgrade.bundle_file.read_bytes()
    }
    if upgrade.status_file:
        upstream_files[layout.upstream_status.relative_to(layout.root).as_posix()] = (
            upgrade.status_file.read_bytes()
        )
    # Written with the vendored files: beside the outputs, in the same transaction.
    upstream_files[layout.changelog.relative_to(layout.root).as_posix()] = _changelog(
        layout, upgrade
    )
    generated = (
        sorted(
            p.relative_to(layout.root).as_posix()
            for p in layout.package_dir.rglob("*")
            if p.is_file()
            and "__pycache__" not in p.parts
            and not p.is_relative_to(layout.runtime_dir)
        )
        if layout.package_dir.is_dir()
        else []
    )
    touched = sorted({*upstream_files, *SPEC_OUTPUTS, *generated, *upgrade.output.files})
    before = _snapshot(layout, touched)
    try:
        write_outputs(layout, upgrade.output.files)
        for name, content in upstream_files.items():
            (layout.root / name).write_bytes(content)
    except OSError as exc:
        for name, old_content in before.items():
            path = layout.root / name
            if old_content is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(old_content)
        raise BuildError(f"writing the upgrade failed ({exc}); every file was restored") from None
