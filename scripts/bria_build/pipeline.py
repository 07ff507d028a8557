"""normalize → overlays → validate → generate → format, as a pure function of the inputs.

The pipeline renders every output into memory (relative path → bytes). Writing and checking are
then the same comparison, which is what makes ``--check`` trustworthy: it runs the very build.

Given a :class:`~bria_build.cache.BuildCache`, each of the two steps (the spec; the package
generated from it) is looked up by a key over every input that step reads, and stored after a
fresh run (a spec step whose overlays drifted too, so its report comes back as it was); without
one, everything is built afresh.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .cache import PACKAGE_DIR, BuildCache, Entry, Key, files_digest
from .client_forms import EXTENSION, request_forms
from .componentize import componentize, demote_request_defaults
from .errors import BuildError
from .inputs import read_bundle, read_status
from .layout import PACKAGE_NAME, Layout
from .merge import HTTP_METHODS, MergeReport
from .normalize import normalize
from .overlay import ActionTrace, DeadAction, OverlayResult, apply_overlays

SPEC_FILE = "spec/bria-tailored.openapi.json"
REPORT_FILE = "spec/merge-report.json"
# Libraries whose version can change a step's output (beside the bria_build sources and Python).
SPEC_TOOLS = ("python-jsonpath", "openapi-spec-validator", "jsonschema", "pyyaml")
GENERATOR_TOOLS = ("openapi-python-client", "ruff", "jinja2")


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
    # every step came from the build cache (not part of the result: a hit equals a fresh build)
    cached: bool = field(default=False, compare=False)


def dump_json(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Upstream:
    """Bria's two documents, parsed: read from ``spec/upstream`` or a candidate upgrade."""

    bundle: dict[str, Any]
    status: dict[str, Any]
    # sha256 of the files they were read from ("" when built from dicts), for the cache key
    source_digest: str = field(default="", compare=False)

    @classmethod
    def read(cls, bundle_file: Path, status_file: Path) -> Upstream:
        bundle, status = read_bundle(bundle_file), read_status(status_file)
        try:
            digest = files_digest(bundle_file, status_file)
        except OSError:
            digest = ""
        return cls(bundle, status, digest)

    @classmethod
    def vendored(cls, layout: Layout) -> Upstream:
        return cls.read(layout.upstream_bundle, layout.upstream_status)


def build_spec(
    layout: Layout,
    upstream: Upstream | None = None,
    before_validation: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[dict[str, Any], MergeReport, OverlayResult]:
    """The normalized spec, its merge report and what the overlays did. ``before_validation``
    receives the finished document of a build without drift before it is validated (the
    pipeline starts generating the client from it meanwhile)."""
    source = upstream or Upstream.vendored(layout)
    doc, report = normalize(source.bundle, source.status)
    result = apply_overlays(doc, layout.overlay_files())
    report.demoted_defaults = demote_request_defaults(result.document)
    result.document = componentize(result.document, report)
    result.document[EXTENSION] = request_forms(layout.client_facts, result.document)
    if before_validation is not None and not result.dead:
        before_validation(result.document)
    # Imported here: it takes longer to import than a cached build takes to run.
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

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


class GeneratorProcess:
    """openapi-python-client in a child process (:mod:`.generator_child`), started before the
    spec exists so that importing the generator overlaps building the spec."""

    def __init__(self, layout: Layout) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="bria-build-")
        self.work = Path(self._tmp.name)
        self._proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bria_build.generator_child",
                str(self.work),
                str(layout.generator_config.resolve()),
                str(layout.templates_dir.resolve()),
            ],
            cwd=self.work,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._fed = False

    def generate(self, spec_bytes: bytes) -> Path:
        """The package generated from ``spec_bytes`` (a folder inside :attr:`work`)."""
        self._fed = True
        out, err = self._proc.communicate(spec_bytes)
        if self._proc.returncode != 0:
            raise BuildError(
                f"openapi-python-client failed (exit {self._proc.returncode}):\n"
                f"{out.decode(errors='replace')}{err.decode(errors='replace')}"
            )
        return self.work / PACKAGE_NAME

    @property
    def returncode(self) -> int | None:
        return self._proc.returncode

    def close(self) -> None:
        """Stop the process if it was never given a spec, and remove its folder."""
        if not self._fed:
            self._proc.kill()
            self._proc.communicate()
        self._tmp.cleanup()


def _generate(
    layout: Layout, spec_bytes: bytes, process: GeneratorProcess | None = None
) -> dict[str, bytes]:
    own = process is None
    generator = GeneratorProcess(layout) if process is None else process
    try:
        out = generator.generate(spec_bytes)
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
    finally:
        if own:
            generator.close()


def _package_key(layout: Layout, spec_bytes: bytes) -> str | None:
    """Everything the generate and format step reads; None when an input cannot be read."""
    key = Key("package")
    try:
        key.add_tree("bria_build", PACKAGE_DIR)
        key.add("spec", spec_bytes)
        key.add_file("generator config", layout.generator_config)
        key.add_tree("templates", layout.templates_dir)
    except OSError:
        return None
    key.add_versions(*GENERATOR_TOOLS)
    return key.hexdigest()


def _package_files(
    layout: Layout,
    spec_bytes: bytes,
    cache: BuildCache | None,
    process: GeneratorProcess | None = None,
) -> tuple[dict[str, bytes], bool]:
    """The generated package's files, and whether they came from ``cache``; ``process``, when
    given, is the generator already started."""
    key = _package_key(layout, spec_bytes) if cache else None
    if cache and key:
        entry = cache.load(key)
        if entry is not None:
            return entry.blobs, True
    files = _generate(layout, spec_bytes, process)
    if cache and key:
        cache.store(key, Entry(blobs=files))
    return files, False


def generate_package(
    layout: Layout, spec_bytes: bytes, cache: BuildCache | None = None
) -> dict[str, bytes]:
    return _package_files(layout, spec_bytes, cache)[0]


def _spec_key(layout: Layout, upstream: Upstream | None) -> str | None:
    """Everything the spec step reads; None when an input cannot be read."""
    key = Key("spec")
    try:
        key.add_tree("bria_build", PACKAGE_DIR)
        if upstream is None:
            key.add("upstream", files_digest(layout.upstream_bundle, layout.upstream_status))
        elif upstream.source_digest:
            key.add("upstream", upstream.source_digest)
        else:
            # Key order shapes the output, so the dump keeps it.
            parsed = json.dumps([upstream.bundle, upstream.status], default=repr)
            key.add("upstream documents", parsed)
        for path in layout.overlay_files():
            key.add_file(f"overlay {path.name}", path)
        key.add_file("client facts", layout.client_facts)
    except OSError:
        return None
    key.add_versions(*SPEC_TOOLS)
    return key.hexdigest()


def _spec_output(
    layout: Layout,
    upstream: Upstream | None,
    before_validation: Callable[[dict[str, Any]], None] | None = None,
) -> BuildOutput:
    doc, report, overlays = build_spec(layout, upstream, before_validation)
    output = BuildOutput(
        dead_actions=overlays.dead, merge_report=report, spec=doc, traces=overlays.traces
    )
    if overlays.dead:
        return output
    output.files[SPEC_FILE] = dump_json(doc)
    output.files[REPORT_FILE] = dump_json(report.as_dict())
    output.operations = sum(1 for item in doc["paths"].values() for m in item if m in HTTP_METHODS)
    return output


def _spec_entry(output: BuildOutput) -> Entry:
    meta = {
        "operations": output.operations,
        "traces": [trace.as_dict() for trace in output.traces],
        "dead": [asdict(action) for action in output.dead_actions],
    }
    # A build with drift writes no files, but what it reports needs the spec and the merge report.
    blobs = dict(output.files) or {
        SPEC_FILE: dump_json(output.spec),
        REPORT_FILE: dump_json(output.merge_report.as_dict() if output.merge_report else {}),
    }
    return Entry(meta, blobs)


def _spec_from_entry(entry: Entry) -> BuildOutput | None:
    """The spec step's output back from its entry (the spec and report re-parsed from their
    files); None when the entry does not hold one."""
    try:
        dead = [DeadAction(**action) for action in entry.meta["dead"]]
        return BuildOutput(
            files={} if dead else dict(entry.blobs),
            dead_actions=dead,
            merge_report=MergeReport.from_dict(json.loads(entry.blobs[REPORT_FILE])),
            operations=int(entry.meta["operations"]),
            spec=json.loads(entry.blobs[SPEC_FILE]),
            traces=[ActionTrace.from_dict(trace) for trace in entry.meta["traces"]],
            cached=True,
        )
    except (KeyError, TypeError, ValueError):
        return None


def _spec_step(
    layout: Layout,
    upstream: Upstream | None,
    cache: BuildCache | None,
    before_validation: Callable[[dict[str, Any]], None] | None = None,
    before_building: Callable[[], None] | None = None,
) -> BuildOutput:
    key = _spec_key(layout, upstream) if cache else None
    if cache and key:
        entry = cache.load(key)
        restored = _spec_from_entry(entry) if entry is not None else None
        if restored is not None:
            return restored
    if before_building is not None:
        before_building()
    output = _spec_output(layout, upstream, before_validation)
    if cache and key:
        entry = _spec_entry(output)
        # Stored only if reading it back gives this very output: a value JSON cannot carry (a
        # non-string key from an overlay's YAML, say) means rebuilding, never a different result.
        if _spec_from_entry(entry) == output:
            cache.store(key, entry)
    return output


def run_pipeline(
    layout: Layout,
    *,
    generate: bool = True,
    upstream: Upstream | None = None,
    cache: BuildCache | None = None,
) -> BuildOutput:
    """Build every output in memory; ``upstream`` replaces the vendored files (nothing is read
    from or written to ``spec/upstream`` then). With ``cache``, unchanged inputs are not rebuilt."""
    layout.require_inputs()
    if not generate:
        return _spec_step(layout, upstream, cache)
    # The generator's process starts as soon as the spec is known to need building (importing
    # the generator takes longer than building the spec), and generates the client (a child
    # process, mostly waited on) while the spec is validated (CPU in this one): a fresh build
    # takes the longer of the two instead of their sum. A spec that fails validation discards
    # what was generated from it.
    process: list[GeneratorProcess] = []
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bria-generate") as pool:
            early: dict[bytes, Future[tuple[dict[str, bytes], bool]]] = {}

            def start_generator() -> None:
                process.append(GeneratorProcess(layout))

            def start_generating(doc: dict[str, Any]) -> None:
                spec_bytes = dump_json(doc)
                started = process[0] if process else None
                early[spec_bytes] = pool.submit(_package_files, layout, spec_bytes, cache, started)

            output = _spec_step(layout, upstream, cache, start_generating, start_generator)
            if output.dead_actions:
                return output
            spec_bytes = output.files[SPEC_FILE]
            started = early.get(spec_bytes)
            files, cached = (
                started.result()
                if started is not None
                else _package_files(layout, spec_bytes, cache)
            )
    finally:
        # After the pool: a generation still running has finished before its folder goes.
        for generator in process:
            generator.close()
    output.files.update(files)
    output.cached = output.cached and cached
    output.models = sum(
        1
        for name in output.files
        if name.startswith(f"generated/{PACKAGE_NAME}/models/") and not name.endswith("__init__.py")
    )
    return output
