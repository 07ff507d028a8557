"""Per-call overhead of the generated client against raw httpx on the same local server.

A bare Starlette app answering ``GET /v1/tailored-gen/models/{model_id}`` with a realistic model
body runs under uvicorn in a child process (so it does not compete for the GIL with the client).
In one run, interleaved in rounds, the script times:

* raw ``httpx.Client.get`` (the baseline),
* raw ``httpx.Client.get`` + ``response.json()``,
* ``get_model.sync_detailed`` on a plain generated ``AuthenticatedClient``,
* ``get_model.sync_detailed`` on ``make_client`` (retry transport, error mapping),

and prints the median per-call time of each and its ratio to the baseline (goal <= 1.2x for
``make_client``). The same calls then run on an in-memory transport, timed in CPU time of this
process (``time.process_time``), so that other processes sharing the machine's cores do not
blur what the client itself costs. Nothing is asserted: the figures are for reading.

The generated operations join their path to the client's already parsed base URL
(``bria_tailored.types.request_url``), where ``raw.get(path)`` has httpx parse the path and the
joined URL on every call; that saving can outweigh parsing the body and the model, so the
generated cases may come out below 1.0x. The baseline stays what a hand-written httpx call does.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import httpx
import uvicorn
from bria_tailored import AuthenticatedClient
from bria_tailored.api.model import get_model
from bria_tailored.models import Model
from bria_tailored.runtime import make_client
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

MODEL_BODY = {
    "id": 42,
    "name": "Lora character",
    "description": "A tailored model trained on 40 images of Lora",
    "status": "Completed",
    "training_mode": "fully_automated",
    "training_version": "fibo",
    "project_id": 7,
    "dataset_id": 9,
    "created_at": "2025-05-26T12:00:00Z",
    "updated_at": "2025-05-26T14:30:00Z",
    "active_model_version": "3",
    "training_parameters": {
        "learning_rate": 0.0001,
        "lr_scheduler": "constant_with_warmup",
        "rank": 128,
        "total_training_steps": 750,
        "checkpoint_interval": 500,
        "lr_warmup_steps": 100,
    },
    "checkpoint_steps": [500, 750],
    "custom_metadata": "{}",
    "generation_prefix": None,
}
PATH = "/v1/tailored-gen/models/42"
TOKEN = "bench-token-0123456789"
WARMUP = 200
ROUNDS = 7
CALLS_PER_ROUND = 300
BASELINE = "raw httpx.Client.get"
RUNTIME = "generated, make_client (runtime)"


def serve(fd: int) -> None:
    """Child process: serve the app on the inherited listening socket."""

    async def model_endpoint(request: Request) -> JSONResponse:
        if "api_token" not in request.headers:
            return JSONResponse({"message": "missing api_token"}, status_code=401)
        return JSONResponse({**MODEL_BODY, "id": int(request.path_params["model_id"])})

    app = Starlette(routes=[Route("/v1/tailored-gen/models/{model_id:int}", model_endpoint)])
    sock = socket.socket(fileno=fd)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve-fd", str(sock.fileno())], pass_fds=[sock.fileno()]
    )
    sock.close()
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            if httpx.get(base_url + PATH, headers={"api_token": TOKEN}).status_code == 200:
                return proc, base_url
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            sys.exit("the benchmark server did not start")
        time.sleep(0.05)


def per_call(
    fn: Callable[[], object], calls: int, timer: Callable[[], float] = time.perf_counter
) -> float:
    started = timer()
    for _ in range(calls):
        fn()
    return (timer() - started) / calls


def measure(
    raw: httpx.Client,
    plain: AuthenticatedClient,
    runtime: AuthenticatedClient,
    timer: Callable[[], float] = time.perf_counter,
) -> dict[str, list[float]]:
    """Per-call seconds of each case, one sample per round."""

    def call_raw() -> object:
        return raw.get(PATH)

    def call_raw_json() -> object:
        return raw.get(PATH).json()

    def call_plain() -> object:
        return get_model.sync_detailed(42, client=plain)

    def call_runtime() -> object:
        response = get_model.sync_detailed(42, client=runtime)
        if not isinstance(response.parsed, Model):
            sys.exit(f"unexpected answer {response.status_code}: {response.content[:200]!r}")
        return response

    cases: dict[str, Callable[[], object]] = {
        BASELINE: call_raw,
        "raw httpx get + .json()": call_raw_json,
        "generated, plain AuthenticatedClient": call_plain,
        RUNTIME: call_runtime,
    }
    for fn in cases.values():
        per_call(fn, WARMUP, timer)
    samples: dict[str, list[float]] = {name: [] for name in cases}
    # Interleaved rounds so that drift (CPU frequency, other load) hits every case alike.
    for _ in range(ROUNDS):
        for name, fn in cases.items():
            samples[name].append(per_call(fn, CALLS_PER_ROUND, timer))
    return samples


def report(title: str, samples: dict[str, list[float]]) -> float:
    baseline = statistics.median(samples[BASELINE])
    print(f"{title}, {ROUNDS} rounds x {CALLS_PER_ROUND} calls, median per call")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"  {name:<38} {median * 1e6:8.1f} us/call   {median / baseline:5.2f}x")
    return statistics.median(samples[RUNTIME]) / baseline


def main() -> None:
    proc, base_url = start_server()
    try:
        with (
            httpx.Client(base_url=base_url, headers={"api_token": TOKEN}) as raw,
            AuthenticatedClient(base_url=base_url, token=TOKEN) as plain,
            make_client(TOKEN, base_url=base_url) as runtime,
        ):
            served = measure(raw, plain, runtime)
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    # The same calls without a server show what the client itself costs in CPU per call.
    body = json.dumps(MODEL_BODY).encode()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    memory = httpx.MockTransport(answer)
    base = "http://bench.invalid"
    with (
        httpx.Client(base_url=base, headers={"api_token": TOKEN}, transport=memory) as raw,
        AuthenticatedClient(base_url=base, token=TOKEN, httpx_args={"transport": memory}) as plain,
        make_client(TOKEN, base_url=base, transport=memory) as runtime,
    ):
        in_memory = measure(raw, plain, runtime, time.process_time)

    overhead = report(f"GET {PATH} on a local uvicorn server", served)
    print(f"client overhead ratio (make_client vs raw httpx): {overhead:.2f}x (goal <= 1.2x)")
    cpu = report("same calls on an in-memory transport, CPU time (client CPU only)", in_memory)
    print(f"client CPU ratio (make_client vs raw httpx, in memory): {cpu:.2f}x (goal <= 1.2x)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve-fd", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fd is not None:
        serve(args.serve_fd)
    else:
        main()
