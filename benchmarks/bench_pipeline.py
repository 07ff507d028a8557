"""Spec pipeline figures in one run: `bria-build` and `bria-build --check` wall time without the
build cache, the same check served from the cache, then the generated client's per-call overhead
as a ratio against raw httpx on the same local server.

The build runs on a temporary copy of the project so the working tree is never touched; each
figure is the median of several runs, printed next to its goal (build and check <= 2 s each,
client overhead <= 1.2x).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_client  # the sibling script; benchmarks/ is on sys.path when run as a script
from bria_build.layout import BUILD_TREE

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    return elapsed


def main() -> None:
    bria_build = str(Path(sys.executable).with_name("bria-build"))
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        for rel in BUILD_TREE:
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(ROOT / rel, Path(tmp) / rel, ignore=ignore)
        fresh = [bria_build, "--root", tmp, "--no-cache", "-q"]
        build = [timed(fresh) for _ in range(RUNS)]
        check = [timed([*fresh, "--check"]) for _ in range(RUNS)]
        with tempfile.TemporaryDirectory(prefix="bench-build-cache-") as cache_dir:
            cached_cmd = [bria_build, "--root", tmp, "--check", "-q"]
            env = {**os.environ, "BRIA_BUILD_CACHE_DIR": cache_dir}
            timed(cached_cmd, env)  # fills the cache
            cached = [timed(cached_cmd, env) for _ in range(RUNS)]
    # A bare interpreter start is the floor every console-script run pays.
    floor = [timed([sys.executable, "-c", "pass"]) for _ in range(RUNS)]
    print(f"bria-build          median {statistics.median(build):.2f} s  (goal <= 2 s)")
    print(f"bria-build --check  median {statistics.median(check):.2f} s  (goal <= 2 s)")
    print(f"  ... from the cache median {statistics.median(cached):.2f} s")
    start = statistics.median(floor)
    print(f"python -c pass      median {start:.2f} s  (interpreter start, baseline)")
    ratio = statistics.median(build) / statistics.median(floor)
    print(f"build / interpreter-start ratio {ratio:.1f}x over {RUNS} runs each")
    print()
    bench_client.main()


if __name__ == "__main__":
    main()
