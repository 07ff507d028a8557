"""Every option of a suite run, declared once for the `bria-conformance` CLI and the pytest plugin.

The CLI spells an option ``--NAME``; the plugin spells it ``--bria-NAME`` (``--base-url`` is the
plugin's ``--bria-target``, which also takes ``mock``). The CLI hands each option it was given to
pytest under the plugin's spelling, so both parse the same value with the same checks.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


def at_least(minimum: float, kind: Callable[[str], Any] = int) -> Callable[[str], Any]:
    """An argparse type: a number no smaller than ``minimum``, or a clear usage error."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum:g}, got {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its "invalid ... value" errors
    return parse


def prefix_text(text: str) -> str:
    """An argparse type for a run prefix: what every created resource's name starts with."""
    if len(text) < 3 or not text.replace("-", "").replace("_", "").isalnum():
        raise argparse.ArgumentTypeError(
            f"a prefix is at least 3 letters, digits, '-' or '_' (it selects what cleanup "
            f"deletes), got {text!r}"
        )
    return text


PHASES = ("all", "read", "write", "training")


@dataclass(frozen=True)
class Option:
    #: The CLI flag without its dashes; the plugin's is ``--bria-`` + ``plugin_name or name``.
    name: str
    help: str
    #: "value" (takes an argument) or "flag" (on when given).
    form: str = "value"
    type: Callable[[str], Any] | None = None
    choices: Sequence[str] | None = None
    metavar: str | None = None
    #: The plugin's own default, where the option has one (the CLI leaves it to the plugin).
    default: Any = None
    cli: bool = True
    plugin: bool = True
    plugin_name: str | None = None
    group: str = "run"

    @property
    def cli_flag(self) -> str:
        return f"--{self.name}"

    @property
    def plugin_flag(self) -> str:
        return f"--bria-{self.plugin_name or self.name}"

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")


OPTIONS: tuple[Option, ...] = (
    # -- target and credentials ---------------------------------------------------------------
    Option(
        "base-url",
        "Server to check, e.g. https://engine.prod.bria-api.com (default: the embedded mock, "
        "started in this process; the plugin also takes 'mock')",
        metavar="URL",
        plugin_name="target",
        group="target",
    ),
    Option("token", "API token (default: $BRIA_API_TOKEN)", group="target"),
    Option(
        "other-token",
        "A second organization's token for isolation rules (default: $BRIA_API_TOKEN_2)",
        group="target",
    ),
    Option(
        "mock-profile",
        "Embedded mock only: answer as the normalized spec declares (canonical, default) or in "
        "the literal forms Bria's documents show (documented; see docs/contract.md)",
        choices=("canonical", "documented"),
        default="canonical",
        group="target",
    ),
    Option(
        "completion-min-images",
        "Images needed to complete a dataset (default 5, the bundle; bria-guide-v1.md: 1)",
        type=at_least(1),
        group="target",
    ),
    # -- what the run may do and spend --------------------------------------------------------
    Option("allow-writes", "Live API: create (and delete) data", form="flag", group="spend"),
    Option("allow-training", "Live API: start paid trainings", form="flag", group="spend"),
    Option("allow-generation", "Live API: run paid generations", form="flag", group="spend"),
    Option(
        "model-id",
        "An existing Completed model of the token's organization: every check that needs a "
        "trained model uses it, and the run starts no training unless --max-trainings allows",
        type=at_least(1),
        metavar="ID",
        group="spend",
    ),
    Option(
        "max-trainings",
        "Start at most N trainings; checks needing more are 'not checked: over budget' "
        "(default: 3 on a target without the mock's controls, 0 there with --model-id; no cap "
        "on a mock)",
        type=at_least(0),
        metavar="N",
        group="spend",
    ),
    Option(
        "max-generations",
        "Send at most N paid generation requests; the excess is 'not checked: over budget'",
        type=at_least(0),
        metavar="N",
        group="spend",
    ),
    Option(
        "max-requests",
        "Send at most N requests in all (paid ones included); the excess is 'not checked: "
        "over budget'",
        type=at_least(0),
        metavar="N",
        group="spend",
    ),
    Option(
        "plan",
        "Print what the run would spend (trainings, generations, requests) and exit",
        form="flag",
        group="spend",
    ),
    # -- phases and leftovers -----------------------------------------------------------------
    Option(
        "phase",
        "Run one phase: read (no write at all), write (data, no training nor generation), "
        "training (what trains or generates); default all",
        choices=PHASES,
        default="all",
        group="phases",
    ),
    Option(
        "state-file",
        "JSON file keeping the shared trained model between runs: a training started in one run "
        "is verified and used by the next",
        metavar="PATH",
        group="phases",
    ),
    Option(
        "prefix",
        "What every resource the run creates is named with; cleanup deletes only resources "
        "named so (default bria-conformance-)",
        type=prefix_text,
        default="bria-conformance-",
        group="phases",
    ),
    Option(
        "cleanup",
        "Delete what earlier runs left on the target (projects, datasets and models named with "
        "--prefix, nothing else) and exit",
        form="flag",
        plugin=False,
        group="phases",
    ),
    Option(
        "serve-files",
        "Serve the files a target fetches by URL (bulk-upload archives, when multipart is "
        "refused) at this http://HOST:PORT the target can reach (default: 127.0.0.1, any port)",
        metavar="URL",
        group="target",
    ),
    Option(
        "webhook-url",
        "A URL the target can reach that arrives at this run's webhook listener (needed for the "
        "webhook rule on any target but the embedded mock, which delivers on loopback)",
        metavar="URL",
        group="target",
    ),
    Option(
        "webhook-listen",
        "Where the webhook listener binds (default 127.0.0.1 on a free port)",
        metavar="HOST:PORT",
        group="target",
    ),
    # -- generated cases and selection --------------------------------------------------------
    Option("seed", "Seed for generated cases (printed at the end)", type=int),
    Option(
        "max-examples",
        "Fuzzed cases per operation, beyond the coverage phase (default 10)",
        type=at_least(1),
    ),
    Option("stateful-examples", "Lifecycle state machine runs (default 12)", type=at_least(1)),
    Option(
        "only",
        "Only the tests of these catalog entries (comma-separated ids or glob patterns such as "
        "'dataset.*')",
        metavar="IDS",
    ),
    Option(
        "live-wait",
        "Live API: seconds to wait for asynchronous work (default 60)",
        type=at_least(0, float),
    ),
    Option(
        "progress",
        "Print each entry as it starts and what it waits for (default: on for a target "
        "without the mock's controls)",
        form="flag",
    ),
    # -- output -------------------------------------------------------------------------------
    Option("report", "Write a Markdown report per catalog entry", metavar="PATH", group="output"),
    Option(
        "junit", "Write JUnit XML, one test case per catalog entry", metavar="PATH", group="output"
    ),
)

GROUPS = {
    "target": "target",
    "spend": "permissions and budget",
    "phases": "phases, state and cleanup",
    "run": "generated cases and selection",
    "output": "output",
}


def _kwargs(option: Option, *, plugin: bool) -> dict[str, Any]:
    if option.form == "flag":
        return {"action": "store_true", "help": option.help}
    kwargs: dict[str, Any] = {"help": option.help}
    if option.type is not None:
        kwargs["type"] = option.type
    if option.choices is not None:
        kwargs["choices"] = list(option.choices)
    if option.metavar is not None:
        kwargs["metavar"] = option.metavar
    if plugin:
        kwargs["default"] = option.default
    return kwargs


def add_to_argparse(parser: argparse.ArgumentParser) -> None:
    """The CLI's options (no defaults: an option not given is not passed on)."""
    groups = {key: parser.add_argument_group(title) for key, title in GROUPS.items()}
    for option in OPTIONS:
        if option.cli:
            groups[option.group].add_argument(option.cli_flag, **_kwargs(option, plugin=False))


def add_to_pytest(group: Any) -> None:
    """The plugin's options, in pytest's ``--bria-`` spelling."""
    for option in OPTIONS:
        if option.plugin:
            group.addoption(option.plugin_flag, **_kwargs(option, plugin=True))


#: Options the CLI resolves itself before it hands the rest to the plugin.
RESOLVED_BY_CLI = frozenset({"base-url", "token"})


def plugin_args(namespace: argparse.Namespace) -> list[str]:
    """The plugin's arguments for every option the CLI was given (but `RESOLVED_BY_CLI`)."""
    out: list[str] = []
    for option in OPTIONS:
        if not (option.cli and option.plugin) or option.name in RESOLVED_BY_CLI:
            continue
        value = getattr(namespace, option.dest, None)
        if option.form == "flag":
            if value:
                out.append(option.plugin_flag)
        elif value is not None:
            out += [option.plugin_flag, str(value)]
    return out
