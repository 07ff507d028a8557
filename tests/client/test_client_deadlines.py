"""Every timeout is an overall deadline: hung servers, dripping bodies, Retry-After, waiters.

Each test prints "requested vs observed" so the figures can be read with ``pytest -s``.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from bria_tailored import AuthenticatedClient
from bria_tailored.api.model import get_model
from bria_tailored.runtime import (
    APITimeoutError,
    RateLimitError,
    WaitTimeout,
    deadline,
    make_client,
    raise_for_status,
    wait_for_training,
    wait_for_training_async,
)
from client_fakes import TOKEN
from slow_servers import drip, hang, serve, status

# Slack for thread scheduling on a busy 2-core machine; the old per-phase behaviour overshot
# by 3x-25x, far beyond it.
SLACK = 0.6


@pytest.fixture(autouse=True, scope="module")
def _warm_up() -> None:
    # The first request of a process imports parts of httpx/httpcore lazily (about 0.3 s, more on
    # a loaded machine); that is start-up cost, not time a deadline lets slip.
    with serve(status(200, b'{"id": 7}')) as (url, _):
        get_model.sync_detailed(7, client=make_client(TOKEN, base_url=url))

        async def call() -> None:
            await get_model.asyncio_detailed(7, client=make_client(TOKEN, base_url=url))

        asyncio.run(call())


def ready(client: AuthenticatedClient) -> AuthenticatedClient:
    """Build the httpx clients first: loading CA certificates is a one-off cost, not a call's."""
    client.get_httpx_client()
    client.get_async_httpx_client()
    return client


def figure(case: str, requested: float, observed: float) -> None:
    print(f"\nDEADLINE {case}: requested {requested:.2f}s, observed {observed:.2f}s")
    assert observed <= requested + SLACK, f"{case}: {observed:.2f}s for a {requested}s deadline"


def test_hung_get_ends_at_the_deadline_not_after_three_attempts() -> None:
    with serve(hang) as (url, arrivals):
        client = ready(make_client(TOKEN, base_url=url, timeout=1.0))
        start = time.monotonic()
        with pytest.raises(APITimeoutError, match="overall deadline of 1s"):
            get_model.sync_detailed(7, client=client)
        elapsed = time.monotonic() - start
    figure("hung GET, make_client(timeout=1)", 1.0, elapsed)
    assert elapsed >= 0.9
    assert len(arrivals) == 1  # no retry that could not finish in time anyway


def test_hung_get_with_time_for_retries_retries_within_the_deadline() -> None:
    with serve(hang) as (url, arrivals):
        # Per-phase 0.5 s limits and no deadline of its own: the block below sets it.
        client = ready(make_client(TOKEN, base_url=url, timeout=httpx.Timeout(0.5)))
        start = time.monotonic()
        with deadline(2.0), pytest.raises(APITimeoutError):
            get_model.sync_detailed(7, client=client)
        elapsed = time.monotonic() - start
    figure("hung GET, 0.5 s reads inside deadline(2)", 2.0, elapsed)
    assert len(arrivals) >= 2


def test_slow_drip_body_cannot_stretch_the_deadline() -> None:
    with serve(drip(0.5)) as (url, _):
        client = ready(make_client(TOKEN, base_url=url, timeout=1.0))
        start = time.monotonic()
        with pytest.raises(APITimeoutError, match="deadline"):
            get_model.sync_detailed(7, client=client)
        elapsed = time.monotonic() - start
    figure("1 byte / 0.5 s body, make_client(timeout=1)", 1.0, elapsed)


def test_async_hung_and_dripping_servers_keep_the_deadline() -> None:
    async def call(url: str) -> None:
        client = ready(make_client(TOKEN, base_url=url, timeout=1.0))
        await get_model.asyncio_detailed(7, client=client)

    for name, behaviour in (("hung", hang), ("drip", drip(0.5))):
        with serve(behaviour) as (url, _):
            start = time.monotonic()
            with pytest.raises(APITimeoutError):
                asyncio.run(call(url))
            figure(f"async {name}, make_client(timeout=1)", 1.0, time.monotonic() - start)


def test_retry_after_longer_than_the_time_left_is_not_slept() -> None:
    body = b'{"error":{"code":503,"message":"busy"}}'
    with serve(status(503, body, {"Retry-After": "4"})) as (url, arrivals):
        client = ready(make_client(TOKEN, base_url=url, timeout=1.0))
        start = time.monotonic()
        response = get_model.sync_detailed(7, client=client)
        elapsed = time.monotonic() - start
    assert response.status_code == 503
    assert len(arrivals) == 1
    figure("GET answered 503 Retry-After: 4, make_client(timeout=1)", 1.0, elapsed)
    assert elapsed < 0.5


def test_waiter_timeout_includes_retry_after_sleeps() -> None:
    body = b'{"error":{"code":429,"message":"slow down"}}'
    with serve(status(429, body, {"Retry-After": "4"})) as (url, _):
        client = ready(make_client(TOKEN, base_url=url))  # default 120 s per call
        start = time.monotonic()
        with pytest.raises(WaitTimeout) as info:
            wait_for_training(client, 7, timeout=1.0, poll_interval=0.2, max_transient_errors=10)
        elapsed = time.monotonic() - start
    figure("wait_for_training(timeout=1) vs 429 Retry-After: 4", 1.0, elapsed)
    assert elapsed >= 0.9
    assert isinstance(info.value.__cause__ or info.value, Exception)


def test_waiter_timeout_bounds_a_hung_poll() -> None:
    with serve(hang) as (url, _):
        client = ready(make_client(TOKEN, base_url=url))  # 120 s per call: the waiter wins
        start = time.monotonic()
        with pytest.raises(WaitTimeout):
            wait_for_training(client, 7, timeout=1.5, poll_interval=0.2)
        elapsed = time.monotonic() - start
    figure("wait_for_training(timeout=1.5) vs hung server", 1.5, elapsed)
    assert elapsed >= 1.4


def test_async_waiter_timeout_bounds_a_dripping_poll() -> None:
    async def wait(url: str) -> None:
        client = ready(make_client(TOKEN, base_url=url))
        await wait_for_training_async(client, 7, timeout=1.0, poll_interval=0.2)

    with serve(drip(0.3)) as (url, _):
        start = time.monotonic()
        with pytest.raises(WaitTimeout):
            asyncio.run(wait(url))
        figure("wait_for_training_async(timeout=1) vs drip", 1.0, time.monotonic() - start)


def test_rate_limit_inside_the_deadline_is_waited_for_once_then_reported() -> None:
    body = b'{"error":{"code":429,"message":"slow down"}}'
    with serve(status(429, body, {"Retry-After": "0.3"})) as (url, arrivals):
        client = ready(make_client(TOKEN, base_url=url, timeout=1.0))
        start = time.monotonic()
        response = get_model.sync_detailed(7, client=client)
        elapsed = time.monotonic() - start
    assert len(arrivals) == 3  # the unread 429 bodies close each connection: one per attempt
    with pytest.raises(RateLimitError):
        raise_for_status(response)
    assert 0.55 <= elapsed <= 1.0 + SLACK  # two 0.3 s sleeps (max_retries=2) fit in 1 s


def test_deadline_blocks_nest_and_refuse_nonsense() -> None:
    from bria_tailored.runtime import current_deadline

    assert current_deadline() is None
    with deadline(10):
        outer = current_deadline()
        with deadline(100):
            assert current_deadline() == outer  # the earlier deadline wins
        with deadline(1):
            inner = current_deadline()
            assert inner is not None and outer is not None and inner < outer
    assert current_deadline() is None
    with pytest.raises(ValueError, match="finite number of seconds"), deadline(float("nan")):
        pass
