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

import contextlib
import fnmatch
import time
from collections.abc import Generator, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

SUITE_DIR = Path(__file__).parent / "suite"


def pytest_addoption(parser: pytest.Parser) -> None:
    from .options import add_to_pytest

    add_to_pytest(parser.getgroup("bria-conformance", "Bria Tailored Generation conformance suite"))


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
    config.addinivalue_line(
        "markers",
        "spends(trainings=0, generations=0, shared_model=False): what a check spends (plan.py)",
    )
    provider = next(
        (p for p in config.pluginmanager.get_plugins() if hasattr(p, "bria_conformance_provider")),
        None,
    )
    from .shared import SharedModel

    run = build_run(config, provider)
    run.shared = SharedModel(run)
    if config.getoption("--bria-progress") or not run.target.controls:
        run.progress.write = _terminal_writer(config)
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


def _terminal_writer(config: pytest.Config) -> Any:
    def write(line: str) -> None:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None:
            return
        capture = config.pluginmanager.get_plugin("capturemanager")
        # Output capture would hold a line back until the check ends (and show it only when
        # the check fails): a person following the run sees it now.
        paused = capture.global_and_fixture_disabled() if capture else contextlib.nullcontext()
        with paused:
            reporter.ensure_newline()
            reporter.write_line(line)
            reporter.flush()

    return write


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
        self.spent_before: dict[str, int] = {}

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
        self._select_entries(config, items, checked)
        self._select_phase(config, items)
        self._plan(config, items)

    def _select_entries(
        self, config: pytest.Config, items: list[pytest.Item], checked: Mapping[str, Any]
    ) -> None:
        from . import catalog

        wanted = _selected_patterns(config)
        if wanted is None:
            return
        unknown = [w for w in wanted if not any(fnmatch.fnmatchcase(k, w) for k in checked)]
        if unknown:
            raise pytest.UsageError(_only_problem(unknown, catalog.load()))
        for entry_id in checked:
            if not any(fnmatch.fnmatchcase(entry_id, w) for w in wanted):
                self.results.left_out.setdefault(entry_id, "not selected (--only)")

        def selected(item: pytest.Item) -> bool:
            if not in_suite(item):
                return True  # --bria-only filters the suite, never the user's own tests
            return any(fnmatch.fnmatchcase(i, w) for w in wanted for i in _entry_ids(item))

        keep = [item for item in items if selected(item)]
        dropped = [item for item in items if not selected(item)]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = keep

    def _select_phase(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        from .plan import STATELESS_MODULE, is_get, short_name, spend_of

        phase = self.run.phase
        if phase == "all":
            return

        def why_not(item: pytest.Item) -> str | None:
            paid = spend_of(item).paid
            if phase == "training" and not paid:
                return "checked in the read and write phases (--phase read, --phase write)"
            if phase in ("read", "write") and paid:
                return "checked in the training phase (--phase training)"
            stateless = short_name(item.nodeid).startswith(STATELESS_MODULE)
            if phase == "write" and stateless and is_get(item) and self.run.target.is_live:
                return "checked in the read phase (--phase read)"
            return None

        keep, dropped = [], []
        for item in items:
            reason = why_not(item) if in_suite(item) else None
            if reason is None:
                keep.append(item)
            else:
                dropped.append(item)
                for entry_id in _entry_ids(item):
                    self.results.left_out.setdefault(entry_id, reason)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = keep

    def _plan(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        from .plan import make_plan, plan_lines

        plan = make_plan([item for item in items if in_suite(item)], self.run)
        self.run.plan = plan
        self.run.budget.reserved_trainings = int(plan.shared_training)
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        show = config.getoption("--bria-plan") or self.run.progress.enabled
        if reporter is not None and show:
            reporter.ensure_newline()
            for line in plan_lines(plan, self.run):
                reporter.write_line(line)
        if config.getoption("--bria-plan"):
            # Nothing is sent: every check is deselected once the plan is printed.
            config.hook.pytest_deselected(items=list(items))
            items[:] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        from .plan import spend_of
        from .results import function_id

        self.run.declared = {
            item.nodeid: spend_of(item) for item in session.items if in_suite(item)
        }
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
        if in_suite(item):
            from .plan import short_name

            name = short_name(item.nodeid)
            self.run.progress.check_started(self.run.phase, name, tuple(_entry_ids(item)))
            over = self.run.plan.over_ids.get(item.nodeid) if self.run.plan else None
            if over is not None:
                # The plan gave its spending to other checks: it is not started at all.
                pytest.skip(_over_budget_reason(over))

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self.spent_before = dict(self.run.budget.spent)

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        spent = self.run.budget.spent
        self.run.spent_by_test[nodeid] = {
            kind: spent[kind] - self.spent_before.get(kind, 0) for kind in spent
        }

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

        if terminalreporter.config.getoption("collectonly") or terminalreporter.config.getoption(
            "--bria-plan"
        ):
            return
        elapsed = time.monotonic() - self.started
        for line in summary_lines(self.results, self.run, elapsed):
            terminalreporter.write_line(line)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.run.shared is not None:
            self.run.shared.close()
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


def _over_budget_reason(why: str) -> str:
    from .budget import OVER_BUDGET

    kind = why.split(":", 1)[0]
    if kind in ("trainings", "generations"):
        return f"{OVER_BUDGET} ({why}; raise --max-{kind} to check it)"
    return (
        f"{OVER_BUDGET} ({why} cannot be trained: cap 0; raise --max-trainings or pass --model-id)"
    )


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
