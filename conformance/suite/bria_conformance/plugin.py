"""Pytest plugin of the conformance suite.

Registered through the ``pytest11`` entry point, so it is loaded by every pytest run in an
environment where the toolkit is installed. It stays inert there: until a run passes
``--bria-target`` it only declares its options and keeps the suite's own test modules out of
collection. Once activated it builds the target, provides the suite's fixtures, tags each
Schemathesis item with the catalog entries of its operation, and records per-entry outcomes
for the Markdown report.

An activated run adds the suite to what pytest collects and never removes anything: the user's
own tests (their ``testpaths`` or the paths they name) run alongside it, ``--bria-only`` filters
only the suite's items, and only the suite's items enter the conformance report.
"""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Generator, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

SUITE_DIR = Path(__file__).parent / "suite"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("bria-conformance", "Bria Tailored Generation conformance suite")
    group.addoption(
        "--bria-target",
        action="store",
        default=None,
        metavar="TARGET",
        help="Activate the conformance suite: 'mock' for the embedded mock, or a base URL.",
    )
    group.addoption("--bria-token", default=None, help="API token (default: $BRIA_API_TOKEN).")
    group.addoption(
        "--bria-other-token",
        default=None,
        help="A second organization's token for isolation rules (default: $BRIA_API_TOKEN_2).",
    )
    group.addoption(
        "--bria-allow-writes", action="store_true", help="Live API: allow creating data."
    )
    group.addoption(
        "--bria-allow-training", action="store_true", help="Live API: allow paid training."
    )
    group.addoption(
        "--bria-allow-generation", action="store_true", help="Live API: allow paid generation."
    )
    group.addoption("--bria-seed", type=int, default=None, help="Seed for generated cases.")
    group.addoption(
        "--bria-max-examples", type=int, default=None, help="Generated cases per operation."
    )
    group.addoption("--bria-stateful-examples", type=int, default=None, help="State machine runs.")
    group.addoption("--bria-report", default=None, metavar="PATH", help="Write a Markdown report.")
    group.addoption(
        "--bria-junit",
        default=None,
        metavar="PATH",
        help="Write JUnit XML with one test case per catalog entry.",
    )
    group.addoption(
        "--bria-only",
        default=None,
        metavar="IDS",
        help="Comma-separated catalog entry ids or globs (dataset.*): run only their tests.",
    )
    group.addoption(
        "--bria-live-wait",
        type=float,
        default=None,
        help="Live API: seconds to wait for asynchronous work before skipping a rule.",
    )
    group.addoption(
        "--bria-serve-files",
        default=None,
        metavar="URL",
        help="Serve files the target fetches by URL (bulk-upload archives) at this http:// URL "
        "(default: 127.0.0.1, any free port).",
    )
    group.addoption(
        "--bria-mock-profile",
        choices=["canonical", "documented"],
        default="canonical",
        help="Embedded mock: answer as the normalized spec (canonical) or in Bria's documented "
        "literal forms (documented).",
    )
    group.addoption(
        "--bria-webhook-url",
        default=None,
        metavar="URL",
        help="A URL the target can reach that arrives at this run's webhook listener (the "
        "embedded mock needs none: it delivers to the listener's loopback URL).",
    )
    group.addoption(
        "--bria-webhook-listen",
        default=None,
        metavar="HOST:PORT",
        help="Where the webhook listener binds (default 127.0.0.1 on a free port).",
    )
    group.addoption(
        "--bria-completion-min-images",
        type=int,
        default=None,
        help="Images needed to complete a dataset (default 5, the bundle; bria-guide-v1.md: 1).",
    )


def _is_active(config: pytest.Config) -> bool:
    return bool(config.getoption("--bria-target", default=None))


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # The suite's modules only make sense against a target; ordinary runs never collect them.
    if _is_active(config):
        return None
    try:
        collection_path.relative_to(SUITE_DIR)
    except ValueError:
        return None
    return True


def pytest_configure(config: pytest.Config) -> None:
    if not _is_active(config):
        return
    from . import runtime
    from .settings import build_run

    config.addinivalue_line(
        "markers", "catalog(*ids): the catalog entries (conformance/catalog.yaml) a test verifies"
    )
    provider = next(
        (p for p in config.pluginmanager.get_plugins() if hasattr(p, "bria_conformance_provider")),
        None,
    )
    run = build_run(config, provider)
    runtime.activate(run)
    config.pluginmanager.register(
        SuiteHooks(run, provider, _modules_of_selected_entries(config)), "bria-conformance-suite"
    )
    # Add the suite to the run unless the user named what to collect (then they add it with
    # ``--pyargs bria_conformance.suite``); the user's own tests stay collected either way.
    if config.args_source != pytest.Config.ArgsSource.ARGS and not any(
        _contains(Path(arg), SUITE_DIR) for arg in config.args
    ):
        config.args.append(str(SUITE_DIR))


def pytest_unconfigure(config: pytest.Config) -> None:
    if not _is_active(config):
        return
    from . import runtime

    runtime.deactivate()


class SuiteHooks:
    """Fixtures and reporting of an active run (registered only when the suite is active)."""

    def __init__(self, run: Any, provider: Any, modules: set[str] | None) -> None:
        from .results import Results

        self.run = run
        self.provider = provider
        #: The suite modules ``--bria-only`` needs (None: every module).
        self.modules = modules
        self.results = Results()
        #: Setup time of the running test, added to its call time when it is recorded.
        self.setup_seconds: dict[str, float] = {}
        self.started = time.monotonic()

    # -- fixtures ---------------------------------------------------------------------------
    @pytest.fixture(scope="session")
    def bria_run(self) -> Any:
        return self.run

    @pytest.fixture(scope="session")
    def target(self) -> Any:
        return self.run.target

    @pytest.fixture(scope="session")
    def http(self) -> Iterator[Any]:
        client = self.run.target.http_client()
        with client:
            yield client

    @pytest.fixture(scope="session")
    def world(self, http: Any) -> Iterator[Any]:
        from .world import World

        world = World(self.run.target, http)
        yield world
        world.cleanup()

    @pytest.fixture(scope="session")
    def webhook_listener(self, request: pytest.FixtureRequest) -> Iterator[Any]:
        """A receiver of webhook deliveries the target can reach, or None (then the webhook
        rules are skipped): the embedded mock delivers to it on loopback; another target needs
        --bria-webhook-url (and --bria-webhook-listen for where that URL arrives)."""
        from .webhooks import listener

        with listener(
            self.run.target,
            request.config.getoption("--bria-webhook-url"),
            request.config.getoption("--bria-webhook-listen"),
        ) as found:
            yield found

    @pytest.fixture
    def scenario(self, http: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
        from .scenario import Scenario

        tag = f"{self.run.seed % 100000}-{request.node.name[:24]}"
        sc = Scenario(self.run.target, http, self.run.journal, tag)
        sc.reset()
        try:
            yield sc
        finally:
            sc.cleanup()

    # -- collection -------------------------------------------------------------------------
    def pytest_ignore_collect(self, collection_path: Path, config: pytest.Config) -> bool | None:
        # With --bria-only, a suite module no selected entry names is not even imported:
        # collecting the Schemathesis module alone builds a test for every operation.
        modules = self.modules
        if modules is None or collection_path.suffix != ".py":
            return None
        if collection_path.parent != SUITE_DIR or not collection_path.name.startswith("test_"):
            return None
        return collection_path.name not in modules or None

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        from . import catalog
        from .tagging import tag_operation_items

        tag_operation_items([item for item in items if in_suite(item)])
        checked = catalog.suite_entries()
        _refuse_unchecked_entries([item for item in items if in_suite(item)], checked)
        wanted = _selected_patterns(config)
        if wanted is None:
            return
        unknown = [w for w in wanted if not any(fnmatch.fnmatchcase(k, w) for k in checked)]
        if unknown:
            raise pytest.UsageError(_only_problem(unknown, catalog.load()))

        def selected(item: pytest.Item) -> bool:
            if not in_suite(item):
                return True  # --bria-only filters the suite, never the user's own tests
            return any(fnmatch.fnmatchcase(i, w) for w in wanted for i in _entry_ids(item))

        keep = [item for item in items if selected(item)]
        dropped = [item for item in items if not selected(item)]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = keep

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        from .results import function_id

        self.run.collected = [
            (item.nodeid, function_id(item.nodeid), tuple(_entry_ids(item)))
            for item in session.items
            if in_suite(item)
        ]
        self.results.selected = {e for item in session.items for e in _entry_ids(item)}

    # -- execution --------------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        from .journal import Journal

        self.run.current_nodeid = item.nodeid
        self.run.journal = Journal()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Any, None]:
        outcome = yield
        report: pytest.TestReport = outcome.get_result()
        if not in_suite(item):
            return
        if report.when == "setup" and report.passed:
            self.setup_seconds[item.nodeid] = report.duration
        elif report.when == "call" or report.when == "setup":
            seconds = self.setup_seconds.pop(item.nodeid, 0.0) + report.duration
            self.results.record(item, report, self.run, seconds)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        from .results import summary_lines

        if terminalreporter.config.getoption("collectonly"):
            return
        elapsed = time.monotonic() - self.started
        for line in summary_lines(self.results, self.run, elapsed):
            terminalreporter.write_line(line)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        path = session.config.getoption("--bria-report")
        junit = session.config.getoption("--bria-junit")
        self.run.elapsed = time.monotonic() - self.started
        self.run.results = self.results
        if self.provider is not None:
            self.provider.run = self.run
        if not (path or junit):
            return
        from .junit import write_junit
        from .report import write_markdown
        from .reproduction import export_all

        rows = self.results.by_entry()
        beside = Path(path or junit)
        self.run.reproductions = export_all(
            beside.parent / f"{beside.stem}-reproductions", rows, self.run.target
        )
        if path:
            write_markdown(Path(path), self.results, self.run)
        if junit:
            write_junit(Path(junit), rows, self.run, self.run.reproductions)


def _selected_patterns(config: pytest.Config) -> list[str] | None:
    only = config.getoption("--bria-only", default=None)
    if not only:
        return None
    return [w.strip() for w in str(only).split(",") if w.strip()]


def _modules_of_selected_entries(config: pytest.Config) -> set[str] | None:
    """Suite modules holding a test of an entry ``--bria-only`` selects (None: all modules)."""
    wanted = _selected_patterns(config)
    if wanted is None:
        return None
    from . import catalog
    from .tagging import STATELESS_MODULE

    modules: set[str] = set()
    for entry in catalog.load().values():
        if any(fnmatch.fnmatchcase(entry.id, w) for w in wanted):
            modules.update(t.split("::", 1)[0] for t in entry.test_functions)
            if entry.checks:
                modules.add(STATELESS_MODULE)
    return modules


def _contains(parent: Path, child: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except (ValueError, OSError):
        return False
    return True


def in_suite(item: pytest.Item) -> bool:
    """Whether ``item`` is one of the suite's tests (not a user's own)."""
    return _contains(SUITE_DIR, Path(str(item.path)))


def _entry_ids(item: pytest.Item) -> list[str]:
    return [str(arg) for mark in item.iter_markers("catalog") for arg in mark.args]


def _refuse_unchecked_entries(items: list[pytest.Item], checked: Mapping[str, Any]) -> None:
    """No suite test may verify an entry the catalog keeps away from targets.

    Our-choice entries state no Bria rule: sending them to a live server would report Bria as
    failing a rule Bria never made. Mock-only entries name no suite test, so a test carrying one
    would run unaccounted for.
    """
    from . import catalog

    entries = catalog.load()
    problems = sorted(
        {
            f"{item.nodeid} verifies {entry_id}, which the catalog keeps away from targets: "
            f"{entries[entry_id].why_not_checked}"
            for item in items
            for entry_id in _entry_ids(item)
            if entry_id in entries and entry_id not in checked
        }
    )
    if problems:
        raise pytest.UsageError("\n".join(problems))


def _only_problem(unknown: list[str], entries: Mapping[str, Any]) -> str:
    """Say why --bria-only patterns select nothing: unknown, or entries no suite run checks."""
    lines = []
    for pattern in unknown:
        held = [e for k, e in entries.items() if fnmatch.fnmatchcase(k, pattern)]
        if not held:
            lines.append(f"--bria-only {pattern}: matches no catalog entry")
        else:
            names = ", ".join(e.id for e in held[:5]) + (" ..." if len(held) > 5 else "")
            lines.append(
                f"--bria-only {pattern}: matches only {names}, which the suite never checks "
                "against a target (our choice, or enforced by bria-mock alone; see catalog.yaml)"
            )
    return "\n".join(lines)
