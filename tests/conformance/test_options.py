"""Every suite option is declared once (options.py) and means the same in the CLI and the plugin."""

from __future__ import annotations

import argparse
from typing import Any

import pytest
from bria_conformance import cli, options

SAMPLES = {"mock-profile": "documented", "phase": "write", "prefix": "nightly-"}


class _Group:
    """Stands in for pytest's option group: the plugin's options on a plain argparse parser."""

    def __init__(self) -> None:
        self.parser = argparse.ArgumentParser()

    def addoption(self, *names: str, **kwargs: Any) -> None:
        self.parser.add_argument(*names, **kwargs)


def _sample(option: options.Option) -> list[str]:
    if option.form == "flag":
        return [option.cli_flag]
    value = SAMPLES.get(option.name, "abc-1" if option.type is None else "7")
    return [option.cli_flag, value]


def test_every_cli_option_reaches_the_plugin_with_its_value() -> None:
    group = _Group()
    options.add_to_pytest(group)
    for option in options.OPTIONS:
        if not (option.cli and option.plugin) or option.name in options.RESOLVED_BY_CLI:
            continue
        given = cli.parser().parse_args(_sample(option))
        seen = group.parser.parse_args(options.plugin_args(given))
        plugin_dest = option.plugin_flag.removeprefix("--").replace("-", "_")
        assert getattr(seen, plugin_dest) == getattr(given, option.dest), option.name


def test_options_not_given_keep_the_plugins_defaults() -> None:
    group = _Group()
    options.add_to_pytest(group)
    assert options.plugin_args(cli.parser().parse_args([])) == []
    defaults = group.parser.parse_args([])
    assert defaults.bria_phase == "all" and defaults.bria_prefix == "bria-conformance-"


@pytest.mark.parametrize(
    "argv",
    [
        ["--max-examples", "0"],
        ["--max-trainings", "-1"],
        ["--live-wait", "soon"],
        ["--prefix", "x"],
        ["--phase", "nightly"],
    ],
)
def test_bad_values_are_usage_errors_in_both(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.parser().parse_args(argv)
    assert info.value.code == 2
    group = _Group()
    options.add_to_pytest(group)
    plugin_argv = ["--bria-" + argv[0].removeprefix("--"), argv[1]]
    with pytest.raises(SystemExit):
        group.parser.parse_args(plugin_argv)
    assert argv[0] in capsys.readouterr().err
