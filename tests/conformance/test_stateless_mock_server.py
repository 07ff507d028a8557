"""A stateless mock server (Prism 5 serving the normalized spec) must not pass a state or async
rule: it answers every request with the documented example, so any such rule it passes is a rule
the suite checks by status or shape alone.

Needs Prism (`npm install @stoplight/prism-cli@5`); the binary is found as `$BRIA_PRISM` or
`prism` on PATH, and the test is skipped without it. The same run by hand:

    prism mock -p 4010 spec/bria-tailored.openapi.json &
    bria-conformance --base-url http://127.0.0.1:4010 --token A --other-token B \\
        --allow-writes --allow-training --allow-generation --live-wait 3 --report prism.md
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bria_conformance import catalog
from bria_conformance.cli import main

ROOT = Path(__file__).resolve().parents[2]
PRISM = os.environ.get("BRIA_PRISM") or shutil.which("prism")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def prism() -> Iterator[str]:
    if not PRISM:
        pytest.skip(
            "Prism is not installed (npm install @stoplight/prism-cli@5; or set BRIA_PRISM)"
        )
    port = _free_port()
    proc = subprocess.Popen(
        [PRISM, "mock", "-p", str(port), str(ROOT / "spec" / "bria-tailored.openapi.json")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(base + "/v1/tailored-gen/projects", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_prism_passes_no_state_or_async_rule(prism: str, tmp_path: Path) -> None:
    entries = [e for e in catalog.suite_entries().values() if e.kind in ("state", "async")]
    report = tmp_path / "prism.md"
    code = main(
        [
            "--base-url",
            prism,
            "--token",
            "prism-token-a",
            "--other-token",
            "prism-token-b",
            "--allow-writes",
            "--allow-training",
            "--allow-generation",
            "--live-wait",
            "3",
            "--max-examples",
            "1",
            "--stateful-examples",
            "1",
            "--only",
            ",".join(e.id for e in entries),
            "--report",
            str(report),
        ]
    )
    text = report.read_text()
    assert code == 1, "a stateless server must fail the run"
    passed = [e.id for e in entries if f"| `{e.id}` | {e.kind} | passed |" in text]
    assert passed == [], f"a stateless mock passes these state/async rules: {passed}"
