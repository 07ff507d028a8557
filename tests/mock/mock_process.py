"""``bria-mock`` as a real process on a loopback port chosen by the OS (``--port 0``).

The URL is read from the start-up line the process prints, so nothing guesses a free port.
Resident memory (current and peak) is read from ``/proc`` for the harness and the benchmarks.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STARTUP = re.compile(r"^bria-mock: listening on (http://\S+?)/? \((.*)\)$")


class StartupFailed(AssertionError):
    pass


@dataclass
class MockProcess:
    proc: subprocess.Popen[bytes]
    url: str
    startup_line: str
    log_path: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def memory_kib(self) -> tuple[int, int]:
        """(current RSS, peak RSS) in KiB."""
        fields: dict[str, int] = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0])
        return fields["VmRSS"], fields["VmHWM"]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill_hard(self) -> None:
        """``kill -9``: no shutdown code runs."""
        os.kill(self.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)


def start(*args: str, timeout: float = 30.0) -> MockProcess:
    log = Path(tempfile.mkstemp(prefix="bria-mock-", suffix=".log")[1])
    with log.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bria_mock.cli", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    buffer = b""
    while b"\n" not in buffer:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or proc.poll() is not None:
            stop(MockProcess(proc, "", "", log))
            raise StartupFailed(f"bria-mock did not start: {log.read_text()[-2000:]}")
        ready, _, _ = select.select([proc.stdout], [], [], min(remaining, 0.2))
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                continue
            buffer += chunk
    line = buffer.split(b"\n", 1)[0].decode()
    found = STARTUP.match(line)
    if not found:
        stop(MockProcess(proc, "", line, log))
        raise StartupFailed(f"unexpected start-up line {line!r}")
    return MockProcess(proc, found.group(1), line, log)


def stop(mock: MockProcess) -> None:
    if mock.proc.poll() is None:
        mock.proc.terminate()
        try:
            mock.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            mock.proc.kill()
            mock.proc.wait()
    if mock.proc.stdout is not None:
        mock.proc.stdout.close()


@contextmanager
def running(*args: str) -> Iterator[MockProcess]:
    mock = start(*args)
    try:
        yield mock
    finally:
        stop(mock)
        mock.log_path.unlink(missing_ok=True)
