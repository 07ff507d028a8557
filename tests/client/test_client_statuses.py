"""Waiters know every documented status in any casing, stop on unknown ones, log and estimate."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from bria_tailored import AuthenticatedClient
from bria_tailored.models import CaptionsUpdateStatus, ModelStatus
from bria_tailored.runtime import (
    JobFailed,
    Progress,
    UnknownJobStatus,
    wait_for_bulk_upload,
    wait_for_captions,
    wait_for_request,
    wait_for_training,
    wait_for_training_async,
)
from client_fakes import FakeBria, FakeClock, reply

MODEL_PATH = "/v1/tailored-gen/models/7"
DATASET_PATH = "/v1/tailored-gen/datasets/3"
BULK_PATH = "/v1/tailored-gen/datasets/3/images/bulk-upload/status"
STATUS_PATH = "/v2/status/req-1"


def model(status: str, **extra: Any) -> Any:
    return reply(200, {"id": 7, "name": "m", "status": status, **extra})


def waiter_kwargs(clock: FakeClock, **extra: Any) -> dict[str, Any]:
    return {"sleep": clock.sleep, "clock": clock.monotonic, "poll_interval": 30, **extra}


@pytest.mark.parametrize("done", ["Completed", "completed", "COMPLETED", "Stopped", "stopped"])
def test_training_ends_on_done_statuses_in_any_casing(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient, done: str
) -> None:
    server.on("GET", MODEL_PATH, model("InProgress"), model("in_progress"), model(done))
    result = wait_for_training(client, 7, timeout=None, **waiter_kwargs(clock))
    # A case-only variant is the known member (docs/contract.md).
    assert result.status is ModelStatus(done) and str(result.status).casefold() == done.casefold()
    assert server.calls("GET", MODEL_PATH) == 3


@pytest.mark.parametrize("failed", ["Failed", "failed", "FAILED", "Deleted", "deleted"])
def test_training_fails_on_failed_and_deleted_in_any_casing(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient, failed: str
) -> None:
    server.on("GET", MODEL_PATH, model("Created"), model(failed))
    with pytest.raises(JobFailed) as info:
        wait_for_training(client, 7, timeout=None, **waiter_kwargs(clock))
    assert info.value.status.casefold() == failed.casefold()


@pytest.mark.parametrize("odd", ["Queued", "", "exploded"])
def test_unknown_status_ends_after_the_grace_even_without_timeout(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient, odd: str
) -> None:
    server.on("GET", MODEL_PATH, model(odd))
    with pytest.raises(UnknownJobStatus, match="undocumented status") as info:
        wait_for_training(client, 7, timeout=None, unknown_status_grace=90, **waiter_kwargs(clock))
    assert info.value.status == odd
    assert sum(clock.sleeps) == 90
    assert server.calls("GET", MODEL_PATH) == 4


def test_unknown_status_within_the_grace_is_waited_through(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on("GET", MODEL_PATH, model("Queued"), model("Queued"), model("InProgress"))
    server.on("GET", MODEL_PATH, model("Queued"), model("Completed"))
    result = wait_for_training(client, 7, unknown_status_grace=60, **waiter_kwargs(clock))
    assert str(result.status) == "Completed"


def test_training_progress_is_estimated_from_checkpoints(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    params = {"total_training_steps": 2000, "checkpoint_interval": 500}
    server.on(
        "GET",
        MODEL_PATH,
        model("InProgress", training_parameters=params, checkpoint_steps=[]),
        model("InProgress", training_parameters=params, checkpoint_steps=[1000, 500]),
        model("InProgress"),
        model("Completed", training_parameters=params, checkpoint_steps=[2000, 1500]),
    )
    seen: list[int | None] = []
    wait_for_training(
        client, 7, on_progress=lambda p: seen.append(p.percentage), **waiter_kwargs(clock)
    )
    assert seen == [0, 50, None, 100]


def test_every_poll_is_logged_at_debug(
    server: FakeBria,
    clock: FakeClock,
    client: AuthenticatedClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="bria_tailored.runtime.waiters")
    server.on("GET", MODEL_PATH, model("Created"), model("InProgress"), model("Completed"))
    wait_for_training(client, 7, **waiter_kwargs(clock))
    polls = [r for r in caplog.records if r.levelno == logging.DEBUG and "poll" in r.getMessage()]
    assert [r.getMessage().split(": status ")[1].split(" ")[0] for r in polls] == [
        "'Created'",
        "'InProgress'",
        "'Completed'",
    ]


def test_async_waiter_shares_the_status_table(server: FakeBria, clock: FakeClock) -> None:
    from client_fakes import client_for

    server.on("GET", MODEL_PATH, model("InProgress"), model("completed"))
    client = client_for(server, clock)

    async def wait() -> str:
        result = await wait_for_training_async(
            client, 7, sleep=clock.async_sleep, clock=clock.monotonic, poll_interval=5
        )
        return str(result.status)

    assert asyncio.run(wait()) == "Completed"


@pytest.mark.parametrize("status", ["CANCELLED", "cancelled", "Canceled", "ERROR", "unknown"])
def test_request_terminal_failures_in_any_casing(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient, status: str
) -> None:
    server.on(
        "GET",
        STATUS_PATH,
        reply(200, {"request_id": "req-1", "status": "in_progress"}),
        reply(200, {"request_id": "req-1", "status": status}),
    )
    with pytest.raises(JobFailed) as info:
        wait_for_request(client, "req-1", timeout=None, **waiter_kwargs(clock))
    assert info.value.status == status


def test_request_unknown_status_is_bounded(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on("GET", STATUS_PATH, reply(200, {"request_id": "req-1", "status": "PAUSED"}))
    with pytest.raises(UnknownJobStatus):
        wait_for_request(client, "req-1", timeout=None, **waiter_kwargs(clock))
    assert sum(clock.sleeps) == 300  # the default grace


def test_bulk_statuses_in_any_casing_and_unknown_ones_bounded(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on(
        "GET",
        BULK_PATH,
        reply(200, {"status": "Pending", "progress_percentage": 0}),
        reply(200, {"status": "PROCESSING", "progress_percentage": 40}),
        reply(200, {"status": "Completed", "progress_percentage": 100}),
    )
    seen: list[Progress[Any]] = []
    wait_for_bulk_upload(client, 3, on_progress=seen.append, **waiter_kwargs(clock))
    assert [p.percentage for p in seen] == [0, 40, 100]
    other = FakeBria().on("GET", BULK_PATH, reply(200, {"status": "archived"}))
    from client_fakes import client_for

    with pytest.raises(UnknownJobStatus):
        wait_for_bulk_upload(
            client_for(other, clock),
            3,
            timeout=None,
            unknown_status_grace=0,
            **waiter_kwargs(clock),
        )


def test_caption_statuses_in_any_casing(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on(
        "GET",
        DATASET_PATH,
        reply(200, {"id": 3, "status": "completed", "captions_update_status": "IN_PROGRESS"}),
        reply(200, {"id": 3, "status": "completed", "captions_update_status": "Completed"}),
    )
    result = wait_for_captions(client, 3, **waiter_kwargs(clock))
    assert result.captions_update_status is CaptionsUpdateStatus.COMPLETED
