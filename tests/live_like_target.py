"""A target that behaves like Bria's live API, for whole-suite runs over HTTP.

``bria-mock --no-control --realtime`` as a process on a loopback port: no virtual clock to move,
no reset, time passing by itself (``--speed`` times faster than real time), two organizations,
and an account that already holds data the suite did not create (three projects, each with a
dataset and a model, for each token) — what a real account looks like when CI points the suite
at it. ``--log-level info`` keeps uvicorn's access log, so a run's requests can be counted.
The mock may reach two loopback addresses only (``--allow-url``): where the suite serves its
bulk-upload archives (``--serve-files``) and where its webhook listener binds (``--webhook-url``),
as a live API would reach a CI runner.

    python tests/live_like_target.py [--profile documented] [--speed 600]

starts one, seeds it and prints its URL, tokens and access-log path until interrupted.
"""

from __future__ import annotations

import argparse
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

TOKENS = ("live-like-org-a", "live-like-org-b")
STARTUP = re.compile(r"^bria-mock: listening on (http://\S+?)/? \(")
#: What each organization already holds before the suite runs.
PRESEEDED_PROJECTS = 3
P = "/v1/tailored-gen"


@dataclass
class LiveLikeTarget:
    url: str
    tokens: tuple[str, str]
    log_path: Path
    proc: subprocess.Popen[bytes]
    #: The URL the suite serves its files at (pass it as ``--serve-files``).
    files_url: str
    #: Where the suite's webhook listener binds, which the mock may deliver to.
    webhook_url: str
    #: Ids of what the account held before the run, per token: (project, dataset, model).
    preseeded: dict[str, list[tuple[int, int, int]]]

    def suite_args(self) -> list[str]:
        """``bria-conformance`` options that point a run at this target, every permission."""
        return [
            "--base-url", self.url, "--token", self.tokens[0], "--other-token", self.tokens[1],
            "--serve-files", self.files_url,
            "--webhook-url", self.webhook_url,
            "--webhook-listen", self.webhook_url.removeprefix("http://"),
            "--allow-writes", "--allow-training", "--allow-generation",
        ]  # fmt: skip

    def access_log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def trainings_started(self) -> int:
        """``POST …/start_training`` requests the target answered 200 (from its access log)."""
        return len(
            re.findall(
                r'"POST /v1/tailored-gen/models/\d+/start_training HTTP/1\.1" 200',
                self.access_log(),
            )
        )


def seed(url: str, tokens: tuple[str, ...]) -> dict[str, list[tuple[int, int, int]]]:
    """Give every organization projects with a dataset and an (untrained) model each."""
    held: dict[str, list[tuple[int, int, int]]] = {}
    for token in tokens:
        with httpx.Client(base_url=url, headers={"api_token": token}, timeout=30) as client:
            for n in range(PRESEEDED_PROJECTS):
                project = client.post(
                    f"{P}/projects",
                    json={
                        "project_name": f"existing project {n}",
                        "ip_name": "a red fox",
                        "ip_description": "a red fox",
                        "ip_medium": "photography",
                        "ip_type": "defined_character",
                    },
                )
                project.raise_for_status()
                dataset = client.post(
                    f"{P}/datasets",
                    json={"project_id": project.json()["id"], "name": f"existing dataset {n}"},
                )
                dataset.raise_for_status()
                model = client.post(
                    f"{P}/models",
                    json={
                        "name": f"existing model {n}",
                        "dataset_id": dataset.json()["id"],
                        "training_mode": "fully_automated",
                    },
                )
                model.raise_for_status()
                held.setdefault(token, []).append(
                    (project.json()["id"], dataset.json()["id"], model.json()["id"])
                )
    return held


def start(
    profile: str = "canonical", speed: float = 600.0, timeout: float = 30.0
) -> LiveLikeTarget:
    log = Path(tempfile.mkstemp(prefix="bria-live-like-", suffix=".log")[1])
    files_url = f"http://127.0.0.1:{_free_port()}"
    webhook_url = f"http://127.0.0.1:{_free_port()}"
    command = [
        sys.executable, "-m", "bria_mock.cli", "--port", "0", "--no-control", "--realtime",
        "--speed", str(speed), "--profile", profile, "--log-level", "info",
        "--allow-url", files_url, "--allow-url", webhook_url,
        *(arg for token in TOKENS for arg in ("--token", token)),
    ]  # fmt: skip
    # The access log goes to stdout: both streams go to the file (a pipe nobody drains would
    # stop the server once full), and the start-up line is read back from it.
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    found = None
    while found is None:
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError(f"bria-mock did not start: {log.read_text()[-2000:]}")
        time.sleep(0.1)
        found = next(
            (m for m in map(STARTUP.match, log.read_text(errors="replace").splitlines()) if m),
            None,
        )
    url = found.group(1)
    try:
        held = seed(url, TOKENS)
    except Exception:
        proc.kill()
        raise
    return LiveLikeTarget(url, TOKENS, log, proc, files_url, webhook_url, held)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(target: LiveLikeTarget) -> None:
    if target.proc.poll() is None:
        target.proc.terminate()
        try:
            target.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            target.proc.kill()
            target.proc.wait()


@contextmanager
def running(profile: str = "canonical", speed: float = 600.0) -> Iterator[LiveLikeTarget]:
    target = start(profile, speed)
    try:
        yield target
    finally:
        stop(target)
        target.log_path.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=["canonical", "documented"], default="canonical")
    parser.add_argument("--speed", type=float, default=600.0)
    args = parser.parse_args()
    target = start(args.profile, args.speed)
    print(f"bria-conformance {' '.join(target.suite_args())}")
    print(f"access log {target.log_path}", flush=True)
    try:
        target.proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(target)


if __name__ == "__main__":
    main()
