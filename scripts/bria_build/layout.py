"""Where the build reads its inputs and writes its outputs, relative to the project root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError

PACKAGE_NAME = "bria_tailored"
RUNTIME_NAME = "runtime"
# Everything the build reads or writes, relative to the root: a copy of these can be built.
BUILD_TREE = ("spec", "overlays", "scripts/generator", "generated")


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def upstream_bundle(self) -> Path:
        return self.root / "spec" / "upstream" / "tailored-generation.openapi.json"

    @property
    def upstream_status(self) -> Path:
        return self.root / "spec" / "upstream" / "status.openapi.yaml"

    @property
    def client_facts(self) -> Path:
        """Ours: the request forms Bria's published clients send, with their evidence."""
        return self.root / "spec" / "clients" / "bria-clients.yaml"

    @property
    def normalized_spec(self) -> Path:
        return self.root / "spec" / "bria-tailored.openapi.json"

    @property
    def merge_report(self) -> Path:
        return self.root / "spec" / "merge-report.json"

    @property
    def overlays_dir(self) -> Path:
        return self.root / "overlays"

    @property
    def generator_config(self) -> Path:
        return self.root / "scripts" / "generator" / "config.yaml"

    @property
    def templates_dir(self) -> Path:
        return self.root / "scripts" / "generator" / "templates"

    @property
    def runtime_dir(self) -> Path:
        """``bria_tailored.runtime``: hand-owned; the build never writes, deletes or compares it."""
        return self.package_dir / RUNTIME_NAME

    @property
    def package_dir(self) -> Path:
        return self.root / "generated" / PACKAGE_NAME

    @property
    def changelog(self) -> Path:
        """The client's CHANGELOG.md: an adopted upgrade adds its summary there."""
        return self.root / "generated" / "CHANGELOG.md"

    def overlay_files(self) -> list[Path]:
        return sorted(self.overlays_dir.glob("*.yaml"))

    def require_inputs(self) -> None:
        missing = [
            p
            for p in (
                self.upstream_bundle,
                self.upstream_status,
                self.client_facts,
                self.overlays_dir,
                self.generator_config,
            )
            if not p.exists()
        ]
        if missing:
            names = ", ".join(str(p.relative_to(self.root)) for p in missing)
            raise BuildError(
                f"{self.root} does not look like the project root (missing {names}); "
                "run from the project folder or pass --root."
            )


def find_root(start: Path | None = None) -> Path:
    """The nearest folder holding ``spec/upstream`` and ``overlays``, else the source checkout."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "spec" / "upstream").is_dir() and (candidate / "overlays").is_dir():
            return candidate
    return Path(__file__).resolve().parents[2]
