"""normalize → overlays → validate → generate → format, as a pure function of the inputs.

The pipeline renders every output into memory (relative path → bytes). Writing and checking are
then the same comparison, which is what makes ``--check`` trustworthy: it runs the very build.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from .componentize import componentize, demote_request_defaults
from .errors import BuildError
from .inputs import read_bundle, read_status
from .layout import PACKAGE_NAME, Layout
from .merge import HTTP_METHODS, MergeReport
from .normalize import normalize
from .overlay import ActionTrace, DeadAction, OverlayResult, apply_overlays


@dataclass
class BuildOutput:
    files: dict[str, bytes] = field(default_factory=dict)
    dead_actions: list[DeadAction] = field(default_factory=list)
    merge_report: MergeReport | None = None
    operations: int = 0
    models: int = 0
    spec: dict[str, Any] = field(default_factory=dict)
    # what each overlay action matched, for the upgrade's fit checks
    traces: list[ActionTrace] = field(default_factory=list)


def dump_json(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Upstream:
    """Bria's two documents, parsed: read from ``spec/upstream`` or a candidate upgrade."""

    bundle: dict[str, Any]
    status: dict[str, Any]

    @classmethod
    def vendored(cls, layout: Layout) -> Upstream:
        return cls(read_bundle(layout.upstream_bundle), read_status(layout.upstream_status))


def build_spec(
    layout: Layout, upstream: Upstream | None = None
) -> tuple[dict[str, Any], MergeReport, OverlayResult]:
    source = upstream or Upstream.vendored(layout)
    doc, report = normalize(source.bundle, source.status)
    result = apply_overlays(doc, layout.overlay_files())
    report.demoted_defaults = demote_request_defaults(result.document)
    result.document = componentize(result.document, report)
    try:
        validate(result.document)
    except OpenAPIValidationError as exc:
        where = "/".join(str(p) for p in exc.path) or "(document)"
        raise BuildError(
            f"normalized spec is not valid OpenAPI at {where}: {exc.message}"
        ) from None
    return result.document, report, result


def _run(cmd: list[str], cwd: Path, what: str) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BuildError(f"{what} failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")


def _tool(name: str) -> str:
    """Prefer the tool installed beside this interpreter so the pinned version is used."""
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def generate_package(layout: Layout, spec_bytes: bytes) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory(prefix="bria-build-") as tmp:
        work = Path(tmp)
        spec_path = work / "openapi.json"
        spec_path.write_bytes(spec_bytes)
        out = work / PACKAGE_NAME
        _run(
            [
                _tool("openapi-python-client"),
                "generate",
                "--path",
                str(spec_path),
                "--output-path",
                str(out),
                "--meta",
                "none",
                "--config",
                str(layout.generator_config),
                "--custom-template-path",
                str(layout.templates_dir),
                "--fail-on-warning",
                "--overwrite",
            ],
            work,
            "openapi-python-client",
        )
        (out / "openapi.json").write_bytes(spec_bytes)
        version = json.loads(spec_bytes)["info"]["version"]
        if not version:
            raise BuildError("the normalized spec has no info.version; the client's version is it")
        (out / "_version.py").write_text(
            '"""The client\'s version: the normalized spec\'s ``info.version``."""\n\n'
            f"__version__ = {version!r}\n",
            encoding="utf-8",
        )
        (out / "py.typed").write_bytes(b"# Marker file for PEP 561\n")
        ruff = _tool("ruff")
        _run(
            [
                ruff,
                "check",
                "--fix",
                "--quiet",
                "--no-cache",
                "--isolated",
                "--select",
                "F401,I",
                "--line-length",
                "100",
                ".",
            ],
            out,
            "ruff check --fix",
        )
        _run(
            [
                ruff,
                "format",
                "--quiet",
                "--no-cache",
                "--isolated",
                "--line-length",
                "100",
                ".",
            ],
            out,
            "ruff format",
        )
        files: dict[str, bytes] = {}
        for path in sorted(out.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                rel = path.relative_to(out).as_posix()
                files[f"generated/{PACKAGE_NAME}/{rel}"] = path.read_bytes()
        return files


def run_pipeline(
    layout: Layout, *, generate: bool = True, upstream: Upstream | None = None
) -> BuildOutput:
    """Build every output in memory; ``upstream`` replaces the vendored files (nothing is read
    from or written to ``spec/upstream`` then)."""
    layout.require_inputs()
    doc, report, overlays = build_spec(layout, upstream)
    output = BuildOutput(
        dead_actions=overlays.dead, merge_report=report, spec=doc, traces=overlays.traces
    )
    if overlays.dead:
        return output
    spec_bytes = dump_json(doc)
    output.files["spec/bria-tailored.openapi.json"] = spec_bytes
    output.files["spec/merge-report.json"] = dump_json(report.as_dict())
    output.operations = sum(1 for item in doc["paths"].values() for m in item if m in HTTP_METHODS)
    if generate:
        output.files.update(generate_package(layout, spec_bytes))
        output.models = sum(
            1
            for name in output.files
            if name.startswith(f"generated/{PACKAGE_NAME}/models/")
            and not name.endswith("__init__.py")
        )
    return output
