"""One change found by an upgrade, whatever layer found it, and its verdict for callers."""

from __future__ import annotations

from dataclasses import dataclass

# The layers of the change report, in the order a reviewer reads them.
HTTP = "http"
PYTHON = "python"
OURS = "ours"
LAYER_TITLES = {
    HTTP: "HTTP contract (normalized spec, old → new)",
    PYTHON: "Generated Python API (bria_tailored, griffe)",
    OURS: "Our layers (overlays, catalog, round trip)",
}


@dataclass(frozen=True)
class Change:
    layer: str
    # What changed, e.g. "CreateProject POST /v1/tailored-gen/projects request body".
    where: str
    # A short kind in oasdiff's spirit, e.g. "request-property-removed".
    kind: str
    detail: str
    breaking: bool

    @property
    def verdict(self) -> str:
        return "BREAKING" if self.breaking else "compatible"

    def line(self) -> str:
        return f"[{self.verdict}] {self.where}: {self.kind}: {self.detail}"
