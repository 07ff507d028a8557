"""Benchmark of the mock: HTTP throughput of a simple GET, and memory after 1,000 stored images.

Throughput: `bria-mock` and a bare Starlette app (one JSON route) are each served by uvicorn with
one worker in their own process and driven, one after the other, by the same keep-alive HTTP/1.1
load generator for the same time. Figures: requests/s for both and their ratio (goal: >= 1,500
req/s and ratio >= 0.8), the ratio taken per round (the two runs of a round are seconds apart, so
a slow spell of the machine hits both) and as the median of those; and each server's CPU time
per request, read from /proc, which the load generator's own share of the machine does not
blur. Memory: 1,000 images uploaded in-process; RSS and tracemalloc peak. Nothing is asserted;
the figures are printed.

    python benchmarks/bench_mock.py [--seconds 3] [--rounds 5] [--connections 32] [--images 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import io
import os
import resource
import socket
import statistics
import subprocess
import sys
import textwrap
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

TOKEN = "bench-token"

BARE_APP = textwrap.dedent(
    """
    import sys, uvicorn
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    BODY = {"id": 1, "project_name": "Brand", "project_description": "", "ip_name": "",
            "ip_description": "", "ip_medium": "illustration", "ip_type": "icons",
            "training_version": None, "status": "active",
            "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}

    async def project(request):
        return JSONResponse(BODY)

    app = Starlette(routes=[Route("/v1/tailored-gen/projects/{project_id}", project)])
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="error", access_log=False)
    """
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), None where /proc is not available."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def _server(argv: list[str], port: int) -> Iterator[tuple[str, int]]:
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    raise RuntimeError(f"server did not start: {err}") from None
                time.sleep(0.1)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


async def _connection(port: int, request: bytes, stop_at: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            if not head.startswith(b"HTTP/1.1 200"):
                counts[1] += 1
            counts[0] += 1
    finally:
        writer.close()


async def _load(
    port: int, path: str, seconds: float, connections: int, pid: int
) -> tuple[float, int, float | None]:
    """requests/s, non-200 answers, and the server's CPU microseconds per request."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\napi_token: {TOKEN}\r\n\r\n"
    ).encode()
    warm = [0, 0]
    await asyncio.gather(
        *(_connection(port, request, time.perf_counter() + 0.5, warm) for _ in range(4))
    )
    counts = [0, 0]
    cpu_before = _cpu_seconds(pid)
    start = time.perf_counter()
    stop_at = start + seconds
    await asyncio.gather(*(_connection(port, request, stop_at, counts) for _ in range(connections)))
    elapsed = time.perf_counter() - start
    cpu_after = _cpu_seconds(pid)
    cpu = None
    if cpu_before is not None and cpu_after is not None and counts[0]:
        cpu = (cpu_after - cpu_before) / counts[0] * 1e6
    return counts[0] / elapsed, counts[1], cpu


def throughput(seconds: float, connections: int, rounds: int) -> None:
    """Both servers run side by side; rounds alternate so machine noise hits both alike."""
    mock_port, bare_port = _free_port(), _free_port()
    mock_cmd = [
        sys.executable,
        "-m",
        "bria_mock.cli",
        "--port",
        str(mock_port),
        "--log-level",
        "error",
    ]
    bare_cmd = [sys.executable, "-c", BARE_APP, str(bare_port)]
    mock_rates: list[float] = []
    bare_rates: list[float] = []
    mock_cpu: list[float] = []
    bare_cpu: list[float] = []
    errors = 0
    with _server(mock_cmd, mock_port) as (base, mock_pid), _server(bare_cmd, bare_port) as bare:
        bare_pid = bare[1]
        created = httpx.post(
            f"{base}/v1/tailored-gen/projects",
            headers={"api_token": TOKEN},
            json={"project_name": "Brand", "ip_medium": "illustration", "ip_type": "icons"},
        ).json()
        path = f"/v1/tailored-gen/projects/{created['id']}"
        for _ in range(rounds):
            for pid, port, rates, cpus in (
                (mock_pid, mock_port, mock_rates, mock_cpu),
                (bare_pid, bare_port, bare_rates, bare_cpu),
            ):
                rate, bad, cpu = asyncio.run(_load(port, path, seconds, connections, pid))
                rates.append(rate)
                errors += bad
                if cpu is not None:
                    cpus.append(cpu)
    mock_rps, bare_rps = statistics.median(mock_rates), statistics.median(bare_rates)
    paired = [m / b for m, b in zip(mock_rates, bare_rates, strict=True)]
    print(
        f"GET {path} via uvicorn (1 worker each), {connections} keep-alive connections, "
        f"{rounds} alternating rounds of {seconds:g} s; medians"
    )
    mock_rounds = ", ".join(f"{r:.0f}" for r in mock_rates)
    bare_rounds = ", ".join(f"{r:.0f}" for r in bare_rates)
    print(f"  bria-mock:       {mock_rps:9.0f} req/s   rounds: {mock_rounds}")
    print(f"  bare Starlette:  {bare_rps:9.0f} req/s   rounds: {bare_rounds}")
    print(
        f"  ratio mock/bare: {statistics.median(paired):9.2f}         per round: "
        + ", ".join(f"{r:.2f}" for r in paired)
        + "  (goals: >= 1500 req/s, ratio >= 0.8)"
    )
    if mock_cpu and bare_cpu:
        mock_us, bare_us = statistics.median(mock_cpu), statistics.median(bare_cpu)
        print(
            f"  server CPU per request: bria-mock {mock_us:.1f} us, bare Starlette {bare_us:.1f} us"
            f"; ratio bare/mock {bare_us / mock_us:.2f}"
        )
    print(f"  non-200 answers: {errors}")


def _rss_mib() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _image(index: int) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.linear_gradient("L").resize((1024, 1024)).convert("RGB")
    draw = ImageDraw.Draw(img)
    for k in range(6):
        x = (index * 37 + k * 151) % 900
        y = (index * 91 + k * 67) % 900
        draw.ellipse(
            (x, y, x + 120, y + 90),
            fill=((index * 7 + k * 40) % 256, (index * 3) % 256, (k * 50) % 256),
        )
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


async def _store_images(count: int) -> tuple[float, int, object]:
    from bria_mock import MockConfig, create_app

    app = create_app(MockConfig())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://mock", headers={"api_token": TOKEN}
    ) as c:
        project = (
            await c.post(
                "/v1/tailored-gen/projects",
                json={"project_name": "Bench", "ip_medium": "illustration", "ip_type": "icons"},
            )
        ).json()
        # basic datasets hold 200 images each
        datasets = [
            (
                await c.post(
                    "/v1/tailored-gen/datasets", json={"project_id": project["id"], "name": f"d{i}"}
                )
            ).json()["id"]
            for i in range((count + 199) // 200)
        ]
        for ds in datasets:
            await c.put(
                f"/v1/tailored-gen/datasets/{ds}",
                json={"visual_schema": '{"style_medium": "flat"}'},
            )
        start = time.perf_counter()
        sem = asyncio.Semaphore(4)

        async def upload(i: int) -> None:
            async with sem:
                r = await c.post(
                    f"/v1/tailored-gen/datasets/{datasets[i // 200]}/images",
                    files={"file": (f"{i}.png", _image(i), "image/png")},
                )
                assert r.status_code == 201, r.text

        await asyncio.gather(*(upload(i) for i in range(count)))
        elapsed = time.perf_counter() - start
        blob_bytes = sum(len(v[1]) for v in app.state.mock.store.blobs.values())
        listed = 0
        for ds in datasets:
            listed += len((await c.get(f"/v1/tailored-gen/datasets/{ds}/images")).json())
        assert listed == count
    return elapsed, blob_bytes, app


def memory(count: int) -> None:
    gc.collect()
    before = _rss_mib()
    tracemalloc.start()
    # the app is kept alive until measured: its store holds the images
    elapsed, blob_bytes, app = asyncio.run(_store_images(count))
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = _rss_mib()
    print(f"memory after storing {count} images (1024x1024 PNG uploads, in-memory state)")
    print(f"  upload time:          {elapsed:8.1f} s ({count / elapsed:.0f} images/s, 4 in flight)")
    per_image = blob_bytes / count / 1024
    print(f"  stored image bytes:   {blob_bytes / 2**20:8.1f} MiB ({per_image:.0f} KiB per PNG)")
    print(f"  tracemalloc current:  {current / 2**20:8.1f} MiB (peak {peak / 2**20:.1f} MiB)")
    growth = after - before
    print(
        f"  RSS:                  {after:8.1f} MiB (before {before:.1f} MiB, growth {growth:.1f})"
    )
    del app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--images", type=int, default=1000)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    throughput(args.seconds, args.connections, args.rounds)
    memory(args.images)


if __name__ == "__main__":
    main()
