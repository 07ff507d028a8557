"""Waiters: success, failure, timeout and progress for training, captions, bulk upload, requests."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx
import pytest
from bria_tailored import AuthenticatedClient
from bria_tailored.models import BulkUploadStatus, Dataset, Model
from bria_tailored.runtime import (
    APIConnectionError,
    GenerationOutput,
    InternalServerError,
    JobFailed,
    NotFoundError,
    Progress,
    WaitTimeout,
    wait_for_bulk_upload,
    wait_for_bulk_upload_async,
    wait_for_captions,
    wait_for_captions_async,
    wait_for_request,
    wait_for_request_async,
    wait_for_training,
    wait_for_training_async,
)
from client_fakes import FakeBria, FakeClock, client_for, reply

T = TypeVar("T")

MODEL_PATH = "/v1/tailored-gen/models/7"
DATASET_PATH = "/v1/tailored-gen/datasets/3"
BULK_PATH = "/v1/tailored-gen/datasets/3/images/bulk-upload/status"
STATUS_PATH = "/v2/status/req-1"


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def model(status: str) -> Any:
    return reply(200, {"id": 7, "name": "m", "status": status})


def dataset(captions: str) -> Any:
    return reply(200, {"id": 3, "status": "completed", "captions_update_status": captions})


def bulk(status: str, pct: int, **extra: Any) -> Any:
    return reply(200, {"status": status, "progress_percentage": pct, **extra})


def request_status(status: str, **extra: Any) -> Any:
    return reply(200, {"request_id": "req-1", "status": status, **extra})


def error_envelope(status: int) -> dict[str, Any]:
    return {"error": {"code": status, "message": "oops", "details": "d"}, "request_id": "x"}


# --- training ---------------------------------------------------------------------------------


def test_training_success_reports_progress_on_every_poll(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on(
        "GET",
        MODEL_PATH,
        model("Created"),
        model("InProgress"),
        model("InProgress"),
        model("Completed"),
    )
    seen: list[Progress[Model]] = []
    result = wait_for_training(
        client,
        7,
        poll_interval=30,
        on_progress=seen.append,
        sleep=clock.sleep,
        clock=clock.monotonic,
    )
    assert isinstance(result, Model) and str(result.status) == "Completed"
    assert [p.status for p in seen] == ["Created", "InProgress", "InProgress", "Completed"]
    assert [p.polls for p in seen] == [1, 2, 3, 4]
    assert [p.elapsed for p in seen] == [0, 30, 60, 90]
    assert {(p.job, p.job_id) for p in seen} == {("training", 7)}
    assert clock.sleeps == [30, 30, 30]


def test_training_failure_raises_job_failed(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on("GET", MODEL_PATH, model("InProgress"), model("Failed"))
    with pytest.raises(JobFailed, match="training of model 7 failed") as info:
        wait_for_training(client, 7, sleep=clock.sleep, clock=clock.monotonic)
    assert info.value.status == "Failed"
    assert isinstance(info.value.snapshot, Model)


def test_training_stopped_is_terminal_without_error(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on("GET", MODEL_PATH, model("Stopping"), model("Stopped"))
    result = wait_for_training(client, 7, sleep=clock.sleep, clock=clock.monotonic)
    assert str(result.status) == "Stopped"


def test_training_timeout_never_sleeps_past_the_deadline(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on("GET", MODEL_PATH, model("InProgress"))
    with pytest.raises(WaitTimeout, match=r"within 100s .*last status: InProgress") as info:
        wait_for_training(
            client, 7, timeout=100, poll_interval=30, sleep=clock.sleep, clock=clock.monotonic
        )
    assert clock.sleeps == [30, 30, 30, 10]
    assert server.calls("GET", MODEL_PATH) == 4
    assert info.value.elapsed == 100
    assert info.value.last_status == "InProgress"
    assert isinstance(info.value, TimeoutError)


def test_unknown_training_status_keeps_waiting(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on("GET", MODEL_PATH, model("Queued"), model("Completed"))
    result = wait_for_training(client, 7, sleep=clock.sleep, clock=clock.monotonic)
    assert str(result.status) == "Completed"


def test_transient_server_errors_are_tolerated(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on(
        "GET",
        MODEL_PATH,
        reply(500, error_envelope(500)),
        reply(500, error_envelope(500)),
        model("Completed"),
    )
    seen: list[str] = []
    result = wait_for_training(
        client,
        7,
        on_progress=lambda p: seen.append(p.status),
        sleep=clock.sleep,
        clock=clock.monotonic,
    )
    assert str(result.status) == "Completed"
    assert seen == ["Completed"]


def test_too_many_transient_errors_in_a_row_raise(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on("GET", MODEL_PATH, reply(500, error_envelope(500)))
    with pytest.raises(InternalServerError):
        wait_for_training(
            client, 7, max_transient_errors=2, sleep=clock.sleep, clock=clock.monotonic
        )
    assert server.calls("GET", MODEL_PATH) == 3


def test_missing_model_raises_not_found_at_once(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on("GET", MODEL_PATH, reply(404, error_envelope(404)))
    with pytest.raises(NotFoundError):
        wait_for_training(client, 7, sleep=clock.sleep, clock=clock.monotonic)
    assert server.calls("GET", MODEL_PATH) == 1


def test_training_async(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", MODEL_PATH, model("InProgress"), model("Completed"))
    client = client_for(server, clock)
    seen: list[str] = []
    result = run(
        wait_for_training_async(
            client,
            7,
            poll_interval=5,
            on_progress=lambda p: seen.append(p.status),
            sleep=clock.async_sleep,
            clock=clock.monotonic,
        )
    )
    assert str(result.status) == "Completed"
    assert seen == ["InProgress", "Completed"]
    assert clock.sleeps == [5]


def test_training_async_failure_and_timeout(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", MODEL_PATH, model("Failed"))
    client = client_for(server, clock)
    with pytest.raises(JobFailed):
        run(wait_for_training_async(client, 7, sleep=clock.async_sleep, clock=clock.monotonic))

    other = FakeBria().on("GET", MODEL_PATH, model("InProgress"))
    with pytest.raises(WaitTimeout):
        run(
            wait_for_training_async(
                client_for(other, clock),
                7,
                timeout=60,
                poll_interval=30,
                sleep=clock.async_sleep,
                clock=clock.monotonic,
            )
        )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"poll_interval": 0},
        {"poll_interval": -1},
        {"timeout": -5},
        {"max_transient_errors": -1},
        {"poll_interval": float("nan")},
    ],
)
def test_bad_waiter_arguments_are_refused(
    client: AuthenticatedClient, kwargs: dict[str, float]
) -> None:
    with pytest.raises(ValueError, match="must be"):
        wait_for_training(client, 7, **kwargs)  # type: ignore[arg-type]


# --- captions ---------------------------------------------------------------------------------


def test_captions_success(server: FakeBria, clock: FakeClock, client: AuthenticatedClient) -> None:
    server.on(
        "GET", DATASET_PATH, dataset("in_progress"), dataset("in_progress"), dataset("completed")
    )
    seen: list[str] = []
    result = wait_for_captions(
        client,
        3,
        poll_interval=5,
        on_progress=lambda p: seen.append(p.status),
        sleep=clock.sleep,
        clock=clock.monotonic,
    )
    assert isinstance(result, Dataset)
    assert seen == ["in_progress", "in_progress", "completed"]
    assert clock.sleeps == [5, 5]


def test_captions_timeout(server: FakeBria, clock: FakeClock, client: AuthenticatedClient) -> None:
    server.on("GET", DATASET_PATH, dataset("in_progress"))
    with pytest.raises(WaitTimeout, match="caption regeneration of dataset 3"):
        wait_for_captions(
            client, 3, timeout=12, poll_interval=5, sleep=clock.sleep, clock=clock.monotonic
        )
    assert clock.sleeps == [5, 5, 2]


def test_captions_async(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", DATASET_PATH, dataset("empty"), dataset("completed"))
    result = run(
        wait_for_captions_async(
            client_for(server, clock), 3, sleep=clock.async_sleep, clock=clock.monotonic
        )
    )
    assert str(result.captions_update_status) == "completed"


# --- bulk upload ------------------------------------------------------------------------------


def test_bulk_upload_success_reports_percentage(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on(
        "GET",
        BULK_PATH,
        bulk("pending", 0),
        bulk("processing", 40),
        bulk("completed", 100, done=20, failed=0),
    )
    seen: list[Progress[BulkUploadStatus]] = []
    result = wait_for_bulk_upload(
        client, 3, on_progress=seen.append, sleep=clock.sleep, clock=clock.monotonic
    )
    assert isinstance(result, BulkUploadStatus) and result.done == 20
    assert [(p.status, p.percentage) for p in seen] == [
        ("pending", 0),
        ("processing", 40),
        ("completed", 100),
    ]


def test_bulk_upload_failure_names_failed_images(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    failed_images = [
        {"filename": "a.png", "error_code": 415, "error_message": "not an image"},
        {"filename": "b.png", "error_code": 413, "error_message": "too large"},
    ]
    server.on(
        "GET",
        BULK_PATH,
        bulk("processing", 50),
        bulk("failed", 100, failed=2, failed_images=failed_images),
    )
    with pytest.raises(JobFailed, match=re.escape("a.png: not an image; b.png: too large")) as info:
        wait_for_bulk_upload(client, 3, sleep=clock.sleep, clock=clock.monotonic)
    assert info.value.status == "failed"
    assert isinstance(info.value.snapshot, BulkUploadStatus)


def test_bulk_upload_timeout(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on("GET", BULK_PATH, bulk("processing", 10))
    with pytest.raises(WaitTimeout, match="bulk upload of dataset 3"):
        wait_for_bulk_upload(
            client, 3, timeout=10, poll_interval=5, sleep=clock.sleep, clock=clock.monotonic
        )


def test_bulk_upload_async(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", BULK_PATH, bulk("processing", 50), bulk("failed", 100))
    with pytest.raises(JobFailed, match="bulk upload of dataset 3 failed"):
        run(
            wait_for_bulk_upload_async(
                client_for(server, clock), 3, sleep=clock.async_sleep, clock=clock.monotonic
            )
        )


# --- v2 requests ------------------------------------------------------------------------------


def test_request_success_returns_the_result(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    result = {"image_url": "https://img/1.png", "seed": "123456", "structured_prompt": "{}"}
    server.on(
        "GET",
        STATUS_PATH,
        request_status("IN_PROGRESS"),
        request_status("COMPLETED", result=result),
    )
    seen: list[str] = []
    output = wait_for_request(
        client,
        "req-1",
        on_progress=lambda p: seen.append(p.status),
        sleep=clock.sleep,
        clock=clock.monotonic,
    )
    assert isinstance(output, GenerationOutput)
    assert (output.image_url, output.seed, output.request_id) == (
        "https://img/1.png",
        123456,
        "req-1",
    )
    assert output.done
    assert seen == ["IN_PROGRESS", "COMPLETED"]


def test_request_error_raises_job_failed_with_details(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    error = {"code": 500, "message": "Internal Server Error", "details": "GPU fell over"}
    server.on(
        "GET", STATUS_PATH, request_status("IN_PROGRESS"), request_status("ERROR", error=error)
    )
    with pytest.raises(JobFailed) as info:
        wait_for_request(client, "req-1", sleep=clock.sleep, clock=clock.monotonic)
    failure = info.value
    assert (failure.status, failure.code, failure.details, failure.request_id) == (
        "ERROR",
        500,
        "GPU fell over",
        "req-1",
    )
    assert "request of id req-1 ended with status ERROR: Internal Server Error: GPU fell over" in (
        str(failure)
    )


def test_request_unknown_status_raises_job_failed(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on("GET", STATUS_PATH, request_status("UNKNOWN"))
    with pytest.raises(JobFailed, match=re.escape("support@bria.ai")) as info:
        wait_for_request(client, "req-1", sleep=clock.sleep, clock=clock.monotonic)
    assert info.value.status == "UNKNOWN"


def test_request_expired_raises_not_found(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on("GET", STATUS_PATH, reply(404, {"status": "NOT_FOUND"}))
    with pytest.raises(NotFoundError, match="NOT_FOUND"):
        wait_for_request(client, "req-1", sleep=clock.sleep, clock=clock.monotonic)


def test_request_timeout(server: FakeBria, clock: FakeClock, client: AuthenticatedClient) -> None:
    server.on("GET", STATUS_PATH, request_status("IN_PROGRESS"))
    with pytest.raises(WaitTimeout, match="request of id req-1") as info:
        wait_for_request(
            client, "req-1", timeout=5, poll_interval=2, sleep=clock.sleep, clock=clock.monotonic
        )
    assert isinstance(info.value.snapshot, GenerationOutput)
    assert clock.sleeps == [2, 2, 1]


def test_request_async(server: FakeBria, clock: FakeClock) -> None:
    server.on(
        "GET",
        STATUS_PATH,
        request_status("IN_PROGRESS"),
        request_status("COMPLETED", result={"video_url": "https://v/1.mp4"}),
    )
    output = run(
        wait_for_request_async(
            client_for(server, clock), "req-1", sleep=clock.async_sleep, clock=clock.monotonic
        )
    )
    assert output.url == "https://v/1.mp4"


def test_request_async_failure(server: FakeBria, clock: FakeClock) -> None:
    server.on(
        "GET",
        STATUS_PATH,
        request_status("ERROR", error={"code": 422, "message": "NSFW", "details": "blocked"}),
    )
    with pytest.raises(JobFailed, match="NSFW"):
        run(
            wait_for_request_async(
                client_for(server, clock), "req-1", sleep=clock.async_sleep, clock=clock.monotonic
            )
        )


# --- one retry decision -----------------------------------------------------------------------


def test_a_wait_never_multiplies_the_transport_retries(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    # Each poll is sent once; the waiter repeats failed polls itself, as the client's policy says.
    server.on("GET", MODEL_PATH, reply(503, error_envelope(503)))
    with pytest.raises(InternalServerError):
        wait_for_training(client, 7, poll_interval=5, sleep=clock.sleep, clock=clock.monotonic)
    assert server.calls("GET", MODEL_PATH) == 4  # max_transient_errors=3: 1 + 3 polls
    assert clock.sleeps == [5, 5, 5]


def test_a_wait_honours_retry_after_on_503_too(
    server: FakeBria, clock: FakeClock, client: AuthenticatedClient
) -> None:
    server.on(
        "GET",
        MODEL_PATH,
        reply(503, error_envelope(503), headers={"Retry-After": "90"}),
        reply(429, error_envelope(429), headers={"Retry-After": "9"}),
        model("Completed"),
    )
    # 90 s is beyond max_retry_after (60), which bounds one call; the timeout bounds a wait.
    wait_for_training(client, 7, poll_interval=5, sleep=clock.sleep, clock=clock.monotonic)
    assert clock.sleeps == [90, 9]
    assert server.calls("GET", MODEL_PATH) == 3


def test_a_wait_follows_the_policy_on_connection_errors(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", MODEL_PATH, httpx.ConnectError("refused"), model("Completed"))
    tolerant = client_for(server, clock)
    assert str(wait_for_training(tolerant, 7, sleep=clock.sleep, clock=clock.monotonic).status)
    strict = client_for(
        FakeBria().on("GET", MODEL_PATH, httpx.ConnectError("refused"), model("Completed")),
        clock,
        retry_connection_errors=False,
    )
    with pytest.raises(APIConnectionError):
        wait_for_training(strict, 7, sleep=clock.sleep, clock=clock.monotonic)


def test_an_async_wait_sends_one_request_per_poll(server: FakeBria, clock: FakeClock) -> None:
    server.on("GET", STATUS_PATH, reply(503, error_envelope(503)))
    with pytest.raises(InternalServerError):
        run(
            wait_for_request_async(
                client_for(server, clock),
                "req-1",
                max_transient_errors=1,
                sleep=clock.async_sleep,
                clock=clock.monotonic,
            )
        )
    assert server.calls("GET", STATUS_PATH) == 2
