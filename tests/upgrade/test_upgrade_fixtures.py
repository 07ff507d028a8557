"""Each patch fixture (an upstream change) is reported with the right verdicts and exit code, and
a dry run leaves the build tree byte-identical."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bria_build import cli
from bria_build.changes import LAYER_TITLES
from bria_build.layout import Layout
from upgrade_helpers import fixture_names, load_fixture, tree_digest, write_candidate

_CHANGE = re.compile(r"^  \[(BREAKING|compatible)\] (.*?): ([a-z0-9-]+): (.*)$")
_OVERLAY_AT = re.compile(r"overlays/([\w.-]+\.yaml):(\d+)")


def parse_report(text: str) -> list[tuple[str, str, bool, str]]:
    """(layer, kind, breaking, whole line) for every change line of the terminal report."""
    titles = {title: layer for layer, title in LAYER_TITLES.items()}
    layer = ""
    found = []
    for line in text.splitlines():
        if line.startswith("== "):
            layer = titles[line[3:].rsplit(":", 1)[0]]
        match = _CHANGE.match(line)
        if match:
            found.append((layer, match.group(3), match.group(1) == "BREAKING", line))
    return found


def test_there_is_a_fixture_for_each_kind_of_upstream_change() -> None:
    assert len(fixture_names()) >= 7


#: The upstream changes `bash tasks.sh test` replays; the others run with the matrix marker.
REPRESENTATIVE = {"rename", "new-operation"}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=() if n in REPRESENTATIVE else pytest.mark.matrix)
        for n in fixture_names()
    ],
)
def test_fixture_is_reported_with_its_verdicts(
    name: str, shared_copy: Layout, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = load_fixture(name)
    expect = fixture["expect"]
    candidate = write_candidate(shared_copy, name, tmp_path)
    before = tree_digest(shared_copy.root)
    markdown = tmp_path / "report.md"
    code = cli.main(
        [
            "--root",
            str(shared_copy.root),
            "--upstream",
            str(candidate),
            "--dry-run",
            "--report-md",
            str(markdown),
        ]
    )
    out = capsys.readouterr().out
    assert tree_digest(shared_copy.root) == before, "a dry run changed the build tree"
    assert code == expect["exit"], out
    changes = parse_report(out)
    for wanted in expect["changes"]:
        hits = [
            line
            for layer, kind, breaking, line in changes
            if layer == wanted["layer"] and kind == wanted["kind"] and wanted["text"] in line
        ]
        assert hits, f"{fixture['description']}: no {wanted} in\n{out}"
        verdicts = {line.startswith("  [BREAKING]") for line in hits}
        assert verdicts == {wanted["breaking"]}, f"wrong verdict for {wanted}: {hits}"
    md = markdown.read_text(encoding="utf-8")
    for wanted in expect["changes"]:
        assert f"| {wanted['kind']} |" in md
    trip = expect["roundtrip"]
    if trip == "ok":
        assert "status ok" in out and "BROKE" not in out
    elif trip:
        assert f"{trip} BROKE" in out
    # Every overlay action is named by file:line, and that line is the action.
    for file_name, line in _OVERLAY_AT.findall(out):
        text = (shared_copy.overlays_dir / file_name).read_text(encoding="utf-8").splitlines()
        assert text[int(line) - 1].lstrip().startswith("- "), f"{file_name}:{line}"
