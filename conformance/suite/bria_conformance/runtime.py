"""State of the active conformance run, shared by the plugin, the suite and the checks.

The pytest plugin fills it in when a run is activated and clears it afterwards; nothing here is
set in an ordinary pytest run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .budget import Budget
from .file_server import FileServer
from .journal import Journal
from .progress import Progress
from .target import Target
from .throttle import Throttle


@dataclass
class Run:
    target: Target
    seed: int
    max_examples: int
    stateful_examples: int
    journal: Journal = field(default_factory=Journal)
    schemathesis_cases: int = 0
    stateful_steps: int = 0
    #: Catalog entries a test blamed for its failure, keyed by pytest node id.
    blamed: dict[str, set[str]] = field(default_factory=dict)
    current_nodeid: str = ""
    #: (node id, module::function, catalog ids) of every collected test.
    collected: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    #: A readable failure message per node id, when the test has a better one than the traceback.
    messages: dict[str, str] = field(default_factory=dict)
    #: Ids of generated cases whose path names only resources known to exist.
    seeded_cases: set[str] = field(default_factory=set)
    #: Generated cases per operationId that were offered the world's ids (stateless.py).
    offered_world: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    #: Filled in at the end of the session (a `results.Results`).
    results: Any = None
    #: What the run spends and the caps it keeps (see `budget.py`).
    budget: Budget = field(default_factory=Budget)
    #: all | read | write | training (see `options.PHASES`).
    phase: str = "all"
    #: An existing Completed model named with --model-id.
    model_id: int | None = None
    #: The JSON file keeping the shared trained model between runs (--state-file).
    state_file: str | None = None
    progress: Progress = field(default_factory=Progress)
    #: The run's shared trained model (a `shared.SharedModel`), set when the run starts.
    shared: Any = None
    #: What each test spent: node id -> {kind: count}, and whether it asked for the shared model.
    spent_by_test: dict[str, dict[str, int]] = field(default_factory=dict)
    #: What each collected check declares it spends (node id -> `plan.Spend`).
    declared: dict[str, Any] = field(default_factory=dict)
    #: Catalog entries a test did not exercise on this target, by node id (see results.py).
    not_exercised: dict[str, set[str]] = field(default_factory=dict)
    #: What the run planned to spend (a `plan.Plan`), worked out after collection.
    plan: Any = None
    #: Exported reproduction scripts of failed entries: entry id -> path.
    reproductions: dict[str, str] = field(default_factory=dict)
    #: Waits out every 429 the target answers (one policy and one count for the whole run).
    throttle: Throttle = field(init=False)

    #: The run's file server (started on first use; see `files`).
    _files: FileServer | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.throttle = Throttle(self.target.rate_limit_backoff)

    @property
    def files(self) -> FileServer:
        """Serves what the target must fetch by URL (a bulk upload's archive)."""
        if self._files is None:
            self._files = FileServer(self.target.serve_files_url)
        return self._files

    def close(self) -> None:
        if self._files is not None:
            self._files.close()
            self._files = None

    @property
    def shared_active(self) -> bool:
        """Whether checks share one trained model on this target."""
        return self.shared is not None and bool(self.shared.active)

    @property
    def shared_needs_training(self) -> bool:
        """Whether the shared model has to be trained by this run."""
        return self.shared is not None and bool(self.shared.needs_training())

    @property
    def generated_cases(self) -> int:
        return self.schemathesis_cases + self.stateful_steps

    def blame(self, entry_id: str) -> None:
        self.blamed.setdefault(self.current_nodeid, set()).add(entry_id)


_current: Run | None = None


def activate(run: Run) -> None:
    global _current
    _current = run


def deactivate() -> None:
    global _current
    if _current is not None:
        _current.close()
    _current = None


def current() -> Run:
    if _current is None:
        raise RuntimeError(
            "the Bria conformance suite is not active; run it with `bria-conformance` or "
            "`pytest --bria-target=mock`"
        )
    return _current


def active() -> Run | None:
    return _current
