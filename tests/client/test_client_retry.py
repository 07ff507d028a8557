"""Retry policy: reads on 429/503 and connection errors, writes only when nothing happened."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from email.utils import formatdate

import httpx
import pytest
from bria_tailored.api.model import get_model, start_training, update_model
from bria_tailored.api.project import delete_project
from bria_tailored.models import ModelUpdate, TrainingRequest
from bria_tailored.runtime import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
    RetryTransport,
    parse_retry_after,
    raise_for_status,
)
from client_fakes import FakeBria, FakeClock, client_for, reply

MODEL_PATH = "/v1/tailored-gen/models/7"
START = f"{MODEL_PATH}/start_training"
MODEL = {"id": 7, "status": "InProgress"}
NOW = 1_700_000_000.0


def bria_error(status: int, message: str = "boom") -> dict[str, object]:
    return {"error": {"code": status, "message": message, "details": "d"}, "request_id": "r"}


def test_get_is_retried_on_503_honouring_retry_after_seconds(
    server: FakeBria, clock: FakeClock
) -> None:
    server.on("GET", MODEL_PATH, reply(503, headers={"Retry-After": "3"}), reply(200, MODEL))
    response = get_model.sync_detailed(7, client=client_for(server, clock))
    assert response.status_code == 200
    assert server.calls("GET", MODEL_PATH) == 2
    assert clock.sleeps == [3.0]


def test_retry_after_as_an_http_date(server: FakeBria, clock: FakeClock) -> None:
    when = formatdate(NOW + 12, usegmt=True)
    server.on("GET", MODEL_PATH, reply(503, headers={"Retry-After": when}), reply(200, MODEL))
    get_model.sync_detailed(7, client=client_for(server, clock))
    assert clock.sleeps == [12.0]


def test_without_retry_after_the_backoff_doubles(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", MODEL_PATH, reply(503), reply(503), reply(503), reply(200, MODEL))
    client = client_for(server, clock, max_retries=3, backoff_base=0.5)
    assert get_model.sync_detailed(7, client=client).status_code == 200
    assert clock.sleeps == [0.5, 1.0, 2.0]


def test_backoff_is_capped_and_jittered(clock: FakeClock) -> None:
    policy = RetryPolicy(backoff_base=1.0, backoff_max=5.0, jitter=0.25, random=lambda: 1.0)
    assert [policy.backoff(n) for n in range(5)] == [0.75, 1.5, 3.0, 3.75, 3.75]


def test_get_is_retried_on_429(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", MODEL_PATH, reply(429, headers={"Retry-After": "2"}), reply(200, MODEL))
    assert get_model.sync_detailed(7, client=client_for(server, clock)).status_code == 200
    assert server.calls("GET", MODEL_PATH) == 2
    assert clock.sleeps == [2.0]


def test_post_is_retried_on_429_because_nothing_was_processed(
    server: FakeBria, clock: FakeClock
) -> None:
    server.on(
        "POST", START, reply(429, bria_error(429), headers={"Retry-After": "1"}), reply(200, MODEL)
    )
    response = start_training.sync_detailed(
        7, client=client_for(server, clock), body=TrainingRequest()
    )
    assert response.status_code == 200
    assert server.calls("POST", START) == 2
    assert clock.sleeps == [1.0]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_post_is_never_retried_on_5xx_by_default(
    server: FakeBria, clock: FakeClock, status: int
) -> None:
    server.on(
        "POST",
        START,
        reply(status, bria_error(status), headers={"Retry-After": "1"}),
        reply(200, MODEL),
    )
    response = start_training.sync_detailed(
        7, client=client_for(server, clock), body=TrainingRequest()
    )
    assert response.status_code == status
    assert server.calls("POST", START) == 1
    assert clock.sleeps == []


def test_post_retry_is_opt_in(server: FakeBria, clock: FakeClock) -> None:
    server.on("POST", START, reply(503), reply(200, MODEL))
    client = client_for(server, clock, retry_non_idempotent=True)
    response = start_training.sync_detailed(7, client=client, body=TrainingRequest())
    assert response.status_code == 200
    assert server.calls("POST", START) == 2


def test_put_and_delete_are_retried_with_the_same_body(server: FakeBria, clock: FakeClock) -> None:
    server.on("PUT", MODEL_PATH, reply(503), reply(200, MODEL))
    server.on("DELETE", "/v1/tailored-gen/projects/3", reply(503), reply(204))
    client = client_for(server, clock)
    update_model.sync_detailed(7, client=client, body=ModelUpdate(name="renamed"))
    delete_project.sync_detailed(3, client=client)
    puts = [r for r in server.requests if r.method == "PUT"]
    assert len(puts) == 2
    assert puts[0].content == puts[1].content == b'{"name":"renamed"}'
    assert server.calls("DELETE", "/v1/tailored-gen/projects/3") == 2


def test_gives_up_after_max_retries_and_returns_the_last_answer(
    server: FakeBria, clock: FakeClock
) -> None:
    server.on("GET", MODEL_PATH, reply(429, bria_error(429, "slow down")))
    response = get_model.sync_detailed(7, client=client_for(server, clock, max_retries=2))
    assert server.calls("GET", MODEL_PATH) == 3
    assert len(clock.sleeps) == 2
    with pytest.raises(RateLimitError, match="slow down"):
        raise_for_status(response)


def test_other_5xx_are_not_retried(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", MODEL_PATH, reply(500, bria_error(500)), reply(200, MODEL))
    response = get_model.sync_detailed(7, client=client_for(server, clock))
    assert server.calls("GET", MODEL_PATH) == 1
    with pytest.raises(InternalServerError):
        raise_for_status(response)


def test_retry_after_beyond_the_cap_is_not_waited_for(server: FakeBria, clock: FakeClock) -> None:
    server.on(
        "GET",
        MODEL_PATH,
        reply(429, bria_error(429), headers={"Retry-After": "3600"}),
        reply(200, MODEL),
    )
    response = get_model.sync_detailed(7, client=client_for(server, clock, max_retry_after=60))
    assert response.status_code == 429
    assert server.calls("GET", MODEL_PATH) == 1
    assert clock.sleeps == []


def test_disabled_policy_sends_once(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", MODEL_PATH, reply(503), reply(200, MODEL))
    client = client_for(server, clock, max_retries=0)
    assert get_model.sync_detailed(7, client=client).status_code == 503
    assert RetryPolicy.disabled().max_retries == 0


def test_connection_errors_are_retried_for_get(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", MODEL_PATH, httpx.ConnectError("refused"), reply(200, MODEL))
    assert get_model.sync_detailed(7, client=client_for(server, clock)).status_code == 200
    assert server.calls("GET", MODEL_PATH) == 2


def test_post_is_retried_when_the_connection_failed_before_sending(
    server: FakeBria, clock: FakeClock
) -> None:
    server.on("POST", START, httpx.ConnectError("refused"), reply(200, MODEL))
    response = start_training.sync_detailed(
        7, client=client_for(server, clock), body=TrainingRequest()
    )
    assert response.status_code == 200
    assert server.calls("POST", START) == 2


@pytest.mark.parametrize(
    "error", [httpx.ReadError("connection reset"), httpx.RemoteProtocolError("reset")]
)
def test_post_is_not_retried_after_a_reset_once_sent(
    server: FakeBria, clock: FakeClock, error: Exception
) -> None:
    server.on("POST", START, error, reply(200, MODEL))
    with pytest.raises(APIConnectionError, match=r"POST https://engine\.test/v1/.*reset") as info:
        start_training.sync_detailed(7, client=client_for(server, clock), body=TrainingRequest())
    assert isinstance(info.value, httpx.TransportError)
    assert not isinstance(info.value, APITimeoutError)
    assert server.calls("POST", START) == 1


def test_persistent_timeouts_end_in_api_timeout_error(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", MODEL_PATH, httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError, match="timed out") as info:
        get_model.sync_detailed(7, client=client_for(server, clock))
    # Code written against plain httpx keeps catching it.
    assert isinstance(info.value, httpx.TimeoutException)
    assert server.calls("GET", MODEL_PATH) == 3


class _BrokenBody(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield b'{"id":'
        raise httpx.ReadError("connection reset")


def test_errors_while_reading_the_body_are_mapped(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", MODEL_PATH, httpx.Response(200, stream=_BrokenBody()))
    with pytest.raises(APIConnectionError, match="connection reset"):
        get_model.sync_detailed(7, client=client_for(server, clock))


def test_async_get_is_retried_and_post_is_not(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", MODEL_PATH, reply(503, headers={"Retry-After": "4"}), reply(200, MODEL))
    server.on("POST", START, reply(503), reply(200, MODEL))
    client = client_for(server, clock)

    async def calls() -> tuple[int, int]:
        got = await get_model.asyncio_detailed(7, client=client)
        posted = await start_training.asyncio_detailed(7, client=client, body=TrainingRequest())
        return int(got.status_code), int(posted.status_code)

    assert asyncio.run(calls()) == (200, 503)
    assert server.calls("GET", MODEL_PATH) == 2
    assert server.calls("POST", START) == 1
    assert clock.sleeps == [4.0]


def test_async_connection_errors_are_mapped(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", MODEL_PATH, httpx.ConnectTimeout("slow"))
    client = client_for(server, clock)

    async def call() -> None:
        await get_model.asyncio_detailed(7, client=client)

    with pytest.raises(APITimeoutError):
        asyncio.run(call())
    assert server.calls("GET", MODEL_PATH) == 3


def test_sync_only_inner_transport_refuses_async_use_clearly() -> None:
    transport = RetryTransport(httpx.HTTPTransport())

    async def call() -> None:
        async with httpx.AsyncClient(transport=transport) as client:
            await client.get("https://engine.test/")

    with pytest.raises(TypeError, match="async_transport="):
        asyncio.run(call())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", 5.0),
        ("1.5", 1.5),
        ("-3", 0.0),
        (formatdate(NOW + 30, usegmt=True), 30.0),
        (formatdate(NOW - 30, usegmt=True), 0.0),
        ("soon", None),
        ("inf", None),
    ],
)
def test_parse_retry_after(value: str, expected: float | None) -> None:
    assert parse_retry_after(httpx.Headers({"Retry-After": value}), now=lambda: NOW) == expected


def test_parse_retry_after_absent() -> None:
    assert parse_retry_after(httpx.Headers({}), now=lambda: NOW) is None


@pytest.mark.parametrize(
    "kwargs",
    [{"max_retries": -1}, {"backoff_base": -1.0}, {"jitter": 1.5}, {"max_retry_after": -1.0}],
)
def test_invalid_policies_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
