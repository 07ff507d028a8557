"""Peak resident memory of a ``bria-mock`` process under the archive and body-size attacks.

Each case runs against a fresh process (``--port 0``, the URL read from its start-up line), so the
peak (``VmHWM`` in ``/proc``) belongs to that case alone. Goal: no request takes the mock above
512 MB. Figures are printed, nothing is asserted.

    .venv/bin/python benchmarks/bench_mock_hostile.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

# The mock's test helpers, and the test helpers they import.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "mock"))

import mock_process
from hostile_inputs import MIB, shared_member_zip, zeros_zip
from mock_helpers import image_bytes, zip_bytes

P = "/v1/tailored-gen"
HEADERS = {"api_token": "bench-token"}
GOAL_MB = 512


def _advanced_dataset(c: httpx.Client) -> int:
    project = c.post(
        f"{P}/projects", json={"project_name": "p", "ip_medium": "illustration", "ip_type": "icons"}
    ).json()
    ds = c.post(
        f"{P}/datasets",
        json={"project_id": project["id"], "name": "d", "upload_type": "advanced"},
    ).json()
    return int(ds["id"])


def _bulk(archive: bytes) -> Callable[[httpx.Client], httpx.Response]:
    def run(c: httpx.Client) -> httpx.Response:
        ds = _advanced_dataset(c)
        return c.post(
            f"{P}/datasets/{ds}/images/bulk-upload",
            files={"file": ("a.zip", archive, "application/zip")},
        )

    return run


def _stream(path: str, total: int) -> Callable[[httpx.Client], httpx.Response]:
    def body() -> Iterator[bytes]:
        chunk = b"0" * MIB
        for _ in range(total // MIB):
            yield chunk

    def run(c: httpx.Client) -> httpx.Response:
        try:
            return c.post(path, content=body(), headers={"content-type": "application/json"})
        except httpx.HTTPError as exc:  # the mock may close the connection after refusing
            return httpx.Response(499, text=type(exc).__name__)

    return run


def _big_json_text(c: httpx.Client) -> httpx.Response:
    return c.post(
        f"{P}/projects",
        json={"project_name": "x" * (60 * MIB), "ip_medium": "illustration", "ip_type": "icons"},
    )


def cases() -> list[tuple[str, int, Callable[[httpx.Client], httpx.Response]]]:
    shared = shared_member_zip(40, 48 * MIB)
    zeros = zeros_zip(200, MIB)
    images = zip_bytes({f"i{i}.png": image_bytes(color=(i, 3, 9)) for i in range(50)})
    return [
        ("zip: 40 entries sharing one 48 MiB member", len(shared), _bulk(shared)),
        ("zip: 200 members of 1 MiB zeros", len(zeros), _bulk(zeros)),
        ("zip: 50 real 1024px PNGs (accepted)", len(images), _bulk(images)),
        ("body: 1 GiB streamed to /_mock/files", 1024 * MIB, _stream("/_mock/files", 1024 * MIB)),
        (
            "body: 1 GiB streamed to /_mock/clock/advance",
            1024 * MIB,
            _stream("/_mock/clock/advance", 1024 * MIB),
        ),
        (
            "body: 1 GiB streamed to POST /projects",
            1024 * MIB,
            _stream(f"{P}/projects", 1024 * MIB),
        ),
        ("body: 60 MiB JSON text field", 60 * MIB, _big_json_text),
    ]


def main() -> int:
    print(f"{'case':50} {'size':>10} {'status':>6} {'secs':>6} {'idle MB':>8} {'peak MB':>8}")
    worst = 0.0
    for label, size, run in cases():
        with (
            mock_process.running() as mock,
            httpx.Client(base_url=mock.url, headers=HEADERS, timeout=120) as c,
        ):
            idle = mock.memory_kib()[1] / 1024
            started = time.perf_counter()
            response = run(c)
            elapsed = time.perf_counter() - started
            peak = mock.memory_kib()[1] / 1024
        worst = max(worst, peak)
        print(
            f"{label:50} {size / MIB:9.1f}M {response.status_code:>6} {elapsed:6.2f} "
            f"{idle:8.0f} {peak:8.0f}"
        )
    print(f"worst peak: {worst:.0f} MB (goal: at most {GOAL_MB} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
