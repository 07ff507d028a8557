"""The `bria-conformance` command: exit codes, reports, token masking, remote targets."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bria_conformance import catalog
from bria_conformance.cli import EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE, main

FAST = ["--max-examples", "3", "--stateful-examples", "2", "--seed", "5"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_target_has_its_own_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--base-url", f"http://127.0.0.1:{_free_port()}", "--token", "secret-token-123"])
    assert code == EXIT_UNREACHABLE
    err = capsys.readouterr().err
    assert "unreachable" in err and "secret-token-123" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--base-url", "http://127.0.0.1:9"],
        ["--only", "no.such-entry"],
        ["--only", "state.*"],
    ],
    ids=["url-without-token", "unknown-entry", "only-entries-never-sent-to-a-target"],
)
def test_usage_errors_exit_2(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIA_API_TOKEN", raising=False)
    assert main(argv) == EXIT_USAGE


def test_unknown_option_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["--no-such-option"])
    assert info.value.code == EXIT_USAGE


def test_embedded_run_writes_reports(tmp_path: Path) -> None:
    report, junit = tmp_path / "report.md", tmp_path / "junit.xml"
    code = main(
        [
            *FAST,
            "--only",
            "project.*,dataset.created-draft",
            "--report",
            str(report),
            "--junit",
            str(junit),
        ]
    )
    assert code == EXIT_OK
    text = report.read_text()
    assert "| `project.required-fields` | limit | passed |" in text
    assert "| `image.basic-cap-200` | limit | not run | not selected (--only) |" in text
    cases = ET.parse(junit).getroot().findall("./testsuite/testcase")
    names = [case.get("name") for case in cases]
    assert "project.required-fields" in names and "dataset.created-draft" in names
    assert len(names) == len(set(names)), "one test case per catalog entry"
    assert "image.basic-cap-200" not in names, "entries not run are not test cases"
    assert all(n in catalog.load() for n in names), "every case is named by its entry id"
    times = [float(case.get("time", "0")) for case in cases]
    assert all(t > 0 for t in times), f"every case carries the time its tests took: {times}"
    total = float(ET.parse(junit).getroot().find("./testsuite").get("time", "0"))
    assert max(times) <= total, "no entry took longer than the whole run"
    assert "Hypothesis" not in junit.read_text() and "hypothesis" not in junit.read_text()
    # Our-choice and mock-only entries are listed as such, never as results of the run.
    assert "## Not checked against a target" in text
    assert "| `state.one-writer` | state | our choice, never checked against a live server" in text
    assert "| `project.ip-text-words` | shape | enforced by bria-mock only" in text
    assert "state.one-writer" not in names and "project.ip-text-words" not in names
    unchecked = {e.id for e in catalog.load().values() if not e.checked_against_target}
    props = {p.get("name"): p.get("value") for p in ET.parse(junit).getroot().iter("property")}
    assert props["not_checked_against_target"] == str(len(unchecked))


@pytest.fixture
def mock_server() -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bria_mock.cli",
            "--port",
            str(port),
            "--token",
            "tok-a-123456",
            "--token",
            "tok-b-654321",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/_mock/clock", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_remote_mock_failure_report_masks_the_token(mock_server: str, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    # With the second organization missing, the unknown-token rule still runs; a wrong
    # --completion-min-images makes a rule fail so the report carries a reproduction.
    code = main(
        [
            *FAST,
            "--base-url",
            mock_server,
            "--token",
            "tok-a-123456",
            "--other-token",
            "tok-b-654321",
            "--only",
            "dataset.completion-min-images,auth.token-invalid",
            "--completion-min-images",
            "2",
            "--report",
            str(report),
        ]
    )
    text = report.read_text()
    assert code == 1, text[:2000]
    assert "| `dataset.completion-min-images` | state | failed |" in text
    assert "| `auth.token-invalid` | auth | passed |" in text
    assert "curl -X PUT" in text and "api_token: ***" in text
    assert "tok-a-123456" not in text and "tok-b-654321" not in text
    # The exported script replays the scenario from the reset to the failing call.
    scripts = sorted((tmp_path / "report-reproductions").glob("*.py"))
    assert [p.name for p in scripts] == ["dataset.completion-min-images.py"]
    source = scripts[0].read_text()
    assert (
        "tok-a-123456" not in source and "from bria_tailored.runtime import make_client" in source
    )
    assert source.count("send('POST', '/_mock/reset'") == 1
    seen = re.findall(r"# the suite saw (\d+)", source)
    replay = subprocess.run(
        [sys.executable, str(scripts[0]), mock_server],
        env={**os.environ, "BRIA_API_TOKEN": "tok-a-123456", "BRIA_API_TOKEN_2": "tok-b-654321"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    statuses = re.findall(r" -> (\d+) ", replay.stdout)
    assert statuses == seen, (seen, replay.stdout[-2000:])
