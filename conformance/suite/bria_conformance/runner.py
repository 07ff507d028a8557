"""Run the suite in this process against a given target and return its per-entry results.

Used by the CLI and by the project's own tests (which run it against deliberately broken
servers). Each run re-imports the suite modules, so module-level state such as the Schemathesis
schema is built for the run's target.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import pytest

from .plugin import SUITE_DIR
from .target import Target

SUITE_PACKAGE = "bria_conformance.suite"


class Provider:
    """Hands a ready target to the plugin and receives the finished run."""

    bria_conformance_provider = True

    def __init__(self, target: Target | None) -> None:
        self.bria_conformance_target = target
        self.run: Any = None


@dataclass
class Outcome:
    exit_code: int
    run: Any

    def status(self, entry_id: str) -> str:
        for res in self.run.results.by_entry():
            if res.entry.id == entry_id:
                return str(res.status)
        raise KeyError(entry_id)

    def failed_entries(self) -> set[str]:
        return {r.entry.id for r in self.run.results.by_entry() if r.status == "failed"}


def _forget_suite_modules() -> None:
    for name in [m for m in sys.modules if m == SUITE_PACKAGE or m.startswith(SUITE_PACKAGE + ".")]:
        del sys.modules[name]


def run_suite(args: list[str], target: Target | None = None) -> Outcome:
    """`pytest.main` on the suite; `target` replaces --bria-target's own (e.g. a wrapped mock)."""
    provider = Provider(target)
    full = [str(SUITE_DIR), "-p", "no:cacheprovider", *args]
    if target is not None and not any(a.startswith("--bria-target") for a in args):
        full += ["--bria-target", "provided"]
    _forget_suite_modules()
    try:
        code = pytest.main(full, plugins=[provider])
    finally:
        _forget_suite_modules()
    return Outcome(int(code), provider.run)
