"""Waiting for Bria's long-running jobs: training, caption regeneration, bulk upload, v2 requests.

Each waiter polls the matching GET operation until the job reaches a terminal state, calls an
optional progress callback after every poll, and gives up with :class:`~.errors.WaitTimeout`
after ``timeout`` seconds. A job that ends in failure raises :class:`~.errors.JobFailed`; HTTP
errors raise the typed errors of :mod:`.errors`. Short server hiccups during a long wait (5xx,
429, dropped connections) are tolerated up to ``max_transient_errors`` polls in a row.

Every waiter has an ``async`` twin (``wait_for_training_async`` …) with the same arguments.
``sleep`` and ``clock`` are injectable so tests run without real waiting.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from ..api.dataset import get_bulk_upload_status, get_dataset_by_id
from ..api.model import get_model
from ..api.status import get_status
from ..client import AuthenticatedClient
from ..models import BulkUploadStatus, Dataset, Model
from ..types import Unset
from .errors import (
    APIConnectionError,
    InternalServerError,
    JobFailed,
    RateLimitError,
    WaitTimeout,
    expect,
)
from .results import GenerationOutput, parse_generation_response

__all__ = [
    "Progress",
    "wait_for_bulk_upload",
    "wait_for_bulk_upload_async",
    "wait_for_captions",
    "wait_for_captions_async",
    "wait_for_request",
    "wait_for_request_async",
    "wait_for_training",
    "wait_for_training_async",
]

logger = logging.getLogger(__name__)

S = TypeVar("S")

# Failures that say nothing about the job itself; the next poll may well succeed.
_TRANSIENT = (InternalServerError, RateLimitError, APIConnectionError)


@dataclass(frozen=True)
class Progress(Generic[S]):
    """What one poll saw; passed to the ``on_progress`` callback after every poll.

    Attributes:
        job: ``"training"``, ``"captions"``, ``"bulk_upload"`` or ``"request"``.
        job_id: the model id, dataset id or request id being waited on.
        status: the job status exactly as the server sent it.
        percentage: completion percentage when the server reports one (bulk upload), else None.
        elapsed: seconds since the waiter started.
        polls: successful polls so far, this one included.
        snapshot: the object fetched (``Model``, ``Dataset``, ``BulkUploadStatus`` or
            :class:`~.results.GenerationOutput`).
    """

    job: str
    job_id: int | str
    status: str
    percentage: int | None
    elapsed: float
    polls: int
    snapshot: S


class _Verdict(Enum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class _Reading:
    status: str
    verdict: _Verdict
    percentage: int | None = None


@dataclass(frozen=True)
class _Job(Generic[S]):
    name: str
    noun: str
    read: Callable[[S], _Reading]
    # Builds the exception for a failed job; the default names the status only.
    failure: Callable[[S, _Reading, str], JobFailed] | None = None


class _PollState(Generic[S]):
    """The loop logic shared by the sync and async waiters; only fetching and sleeping differ."""

    def __init__(
        self,
        job: _Job[S],
        job_id: int | str,
        timeout: float | None,
        poll_interval: float,
        on_progress: Callable[[Progress[S]], object] | None,
        clock: Callable[[], float],
        max_transient_errors: int,
    ) -> None:
        if timeout is not None and not (timeout >= 0 and math.isfinite(timeout)):
            raise ValueError(f"timeout must be a finite number of seconds >= 0, got {timeout!r}")
        if not (poll_interval > 0 and math.isfinite(poll_interval)):
            raise ValueError(f"poll_interval must be a positive number, got {poll_interval!r}")
        if max_transient_errors < 0:
            raise ValueError(f"max_transient_errors must be >= 0, got {max_transient_errors}")
        self.job = job
        self.job_id = job_id
        self.subject = f"{job.name} of {job.noun} {job_id}"
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.on_progress = on_progress
        self.clock = clock
        self.max_transient_errors = max_transient_errors
        self.start = clock()
        self.polls = 0
        self.errors_in_a_row = 0
        self.last_status = "not yet polled"
        self.last_snapshot: S | None = None

    def record(self, snapshot: S) -> bool:
        """Account for one successful poll; True when the job finished successfully."""
        self.errors_in_a_row = 0
        self.polls += 1
        reading = self.job.read(snapshot)
        self.last_status = reading.status
        self.last_snapshot = snapshot
        if self.on_progress is not None:
            self.on_progress(
                Progress(
                    job=self.job.name,
                    job_id=self.job_id,
                    status=reading.status,
                    percentage=reading.percentage,
                    elapsed=self.clock() - self.start,
                    polls=self.polls,
                    snapshot=snapshot,
                )
            )
        if reading.verdict is _Verdict.FAILED:
            if self.job.failure is not None:
                raise self.job.failure(snapshot, reading, self.subject)
            raise JobFailed(
                f"{self.subject} failed (status {reading.status})",
                status=reading.status,
                snapshot=snapshot,
            )
        return reading.verdict is _Verdict.DONE

    def record_error(self, error: Exception) -> None:
        """Account for a transient failure; re-raises once too many happened in a row."""
        self.errors_in_a_row += 1
        if self.errors_in_a_row > self.max_transient_errors:
            raise error
        logger.warning(
            "polling %s failed (%s); polling again (%d of %d tolerated failures in a row)",
            self.subject,
            error,
            self.errors_in_a_row,
            self.max_transient_errors,
        )

    def next_delay(self) -> float:
        """Seconds to sleep before the next poll; raises WaitTimeout when time is up."""
        if self.timeout is None:
            return self.poll_interval
        elapsed = self.clock() - self.start
        remaining = self.timeout - elapsed
        if remaining <= 0:
            raise WaitTimeout(
                f"{self.subject} did not finish within {self.timeout:g}s "
                f"(last status: {self.last_status}); wait again to keep waiting",
                last_status=self.last_status,
                elapsed=elapsed,
                snapshot=self.last_snapshot,
            )
        # The last sleep is cut short so that one final poll happens right at the deadline.
        return min(self.poll_interval, remaining)


def _run_sync(state: _PollState[S], fetch: Callable[[], S], sleep: Callable[[float], None]) -> S:
    while True:
        try:
            snapshot = fetch()
        except _TRANSIENT as exc:
            state.record_error(exc)
        else:
            if state.record(snapshot):
                return snapshot
        sleep(state.next_delay())


async def _run_async(
    state: _PollState[S],
    fetch: Callable[[], Awaitable[S]],
    sleep: Callable[[float], Awaitable[None]],
) -> S:
    while True:
        try:
            snapshot = await fetch()
        except _TRANSIENT as exc:
            state.record_error(exc)
        else:
            if state.record(snapshot):
                return snapshot
        await sleep(state.next_delay())


def _enum_text(value: object) -> str:
    if value is None or isinstance(value, Unset):
        return "missing"
    return str(value)


# --- training -------------------------------------------------------------------------------

_TRAINING_DONE = frozenset({"Completed", "Stopped"})
_TRAINING_FAILED = frozenset({"Failed"})


def _read_model(model: Model) -> _Reading:
    status = _enum_text(model.status)
    if status in _TRAINING_DONE:
        return _Reading(status, _Verdict.DONE)
    if status in _TRAINING_FAILED:
        return _Reading(status, _Verdict.FAILED)
    return _Reading(status, _Verdict.PENDING)


_TRAINING: _Job[Model] = _Job("training", "model", _read_model)


def wait_for_training(
    client: AuthenticatedClient,
    model_id: int,
    *,
    timeout: float | None = 6 * 3600.0,
    poll_interval: float = 30.0,
    on_progress: Callable[[Progress[Model]], object] | None = None,
    max_transient_errors: int = 3,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Model:
    """Poll ``GET /v1/tailored-gen/models/{model_id}`` until training ends.

    Returns the model once its status is ``Completed`` or ``Stopped`` (after ``stop_training``;
    check ``model.status``). Raises :class:`~.errors.JobFailed` on ``Failed`` and
    :class:`~.errors.WaitTimeout` after ``timeout`` seconds (``None`` waits forever). Training
    typically takes 2-4 hours, hence the generous defaults.
    """
    state = _PollState(
        _TRAINING, model_id, timeout, poll_interval, on_progress, clock, max_transient_errors
    )

    def fetch() -> Model:
        return expect(get_model.sync_detailed(model_id, client=client), Model)

    return _run_sync(state, fetch, sleep)


async def wait_for_training_async(
    client: AuthenticatedClient,
    model_id: int,
    *,
    timeout: float | None = 6 * 3600.0,
    poll_interval: float = 30.0,
    on_progress: Callable[[Progress[Model]], object] | None = None,
    max_transient_errors: int = 3,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Model:
    """Async twin of :func:`wait_for_training`."""
    state = _PollState(
        _TRAINING, model_id, timeout, poll_interval, on_progress, clock, max_transient_errors
    )

    async def fetch() -> Model:
        return expect(await get_model.asyncio_detailed(model_id, client=client), Model)

    return await _run_async(state, fetch, sleep)


# --- caption regeneration -------------------------------------------------------------------


def _read_dataset(dataset: Dataset) -> _Reading:
    status = _enum_text(dataset.captions_update_status)
    # bria-guide-v1.md: "Get Dataset by ID should be sampled until the captions_update_status changes to
    # 'completed'". There is no failure state; "empty" means no caption job has been seen yet.
    if status == "completed":
        return _Reading(status, _Verdict.DONE)
    return _Reading(status, _Verdict.PENDING)


_CAPTIONS: _Job[Dataset] = _Job("caption regeneration", "dataset", _read_dataset)


def wait_for_captions(
    client: AuthenticatedClient,
    dataset_id: int,
    *,
    timeout: float | None = 1800.0,
    poll_interval: float = 5.0,
    on_progress: Callable[[Progress[Dataset]], object] | None = None,
    max_transient_errors: int = 3,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Dataset:
    """Poll ``GET /v1/tailored-gen/datasets/{dataset_id}`` until caption regeneration completes.

    Call it after ``regenerate_all_captions`` (202). Returns the dataset once
    ``captions_update_status`` is ``completed``; raises :class:`~.errors.WaitTimeout` after
    ``timeout`` seconds.
    """
    state = _PollState(
        _CAPTIONS, dataset_id, timeout, poll_interval, on_progress, clock, max_transient_errors
    )

    def fetch() -> Dataset:
        return expect(get_dataset_by_id.sync_detailed(dataset_id, client=client), Dataset)

    return _run_sync(state, fetch, sleep)


async def wait_for_captions_async(
    client: AuthenticatedClient,
    dataset_id: int,
    *,
    timeout: float | None = 1800.0,
    poll_interval: float = 5.0,
    on_progress: Callable[[Progress[Dataset]], object] | None = None,
    max_transient_errors: int = 3,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Dataset:
    """Async twin of :func:`wait_for_captions`."""
    state = _PollState(
        _CAPTIONS, dataset_id, timeout, poll_interval, on_progress, clock, max_transient_errors
    )

    async def fetch() -> Dataset:
        response = await get_dataset_by_id.asyncio_detailed(dataset_id, client=client)
        return expect(response, Dataset)

    return await _run_async(state, fetch, sleep)


# --- bulk upload ----------------------------------------------------------------------------


def _read_bulk(upload: BulkUploadStatus) -> _Reading:
    status = _enum_text(upload.status)
    pct = upload.progress_percentage
    percentage = None if isinstance(pct, Unset) else pct
    if status == "completed":
        return _Reading(status, _Verdict.DONE, percentage)
    if status == "failed":
        return _Reading(status, _Verdict.FAILED, percentage)
    return _Reading(status, _Verdict.PENDING, percentage)


def _bulk_failure(upload: BulkUploadStatus, reading: _Reading, subject: str) -> JobFailed:
    failures = [] if isinstance(upload.failed_images, Unset) else upload.failed_images
    parts = []
    for item in failures[:5]:
        name = "?" if isinstance(item.filename, Unset) else item.filename
        text = "" if isinstance(item.error_message, Unset) else item.error_message
        parts.append(f"{name}: {text}" if text else name)
    if len(failures) > 5:
        parts.append(f"and {len(failures) - 5} more")
    details = "; ".join(parts) or None
    message = f"{subject} failed"
    if details:
        message += f" ({details})"
    return JobFailed(message, status=reading.status, snapshot=upload, details=details)


_BULK: _Job[BulkUploadStatus] = _Job("bulk upload", "dataset", _read_bulk, _bulk_failure)


def wait_for_bulk_upload(
    client: AuthenticatedClient,
    dataset_id: int,
    *,
    timeout: float | None = 3600.0,
    poll_interval: float = 5.0,
    on_progress: Callable[[Progress[BulkUploadStatus]], object] | None = None,
    max_transient_errors: int = 3,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> BulkUploadStatus:
    """Poll ``GET /v1/tailored-gen/datasets/{dataset_id}/images/bulk-upload/status``.

    Returns the upload status once it is ``completed`` (some images may still have failed; see
    ``failed`` and ``failed_images``). Raises :class:`~.errors.JobFailed` when the upload as a
    whole is ``failed`` and :class:`~.errors.WaitTimeout` after ``timeout`` seconds. The
    progress callback receives ``progress_percentage`` as ``Progress.percentage``.
    """
    state = _PollState(
        _BULK, dataset_id, timeout, poll_interval, on_progress, clock, max_transient_errors
    )

    def fetch() -> BulkUploadStatus:
        response = get_bulk_upload_status.sync_detailed(dataset_id, client=client)
        return expect(response, BulkUploadStatus)

    return _run_sync(state, fetch, sleep)


async def wait_for_bulk_upload_async(
    client: AuthenticatedClient,
    dataset_id: int,
    *,
    timeout: float | None = 3600.0,
    poll_interval: float = 5.0,
    on_progress: Callable[[Progress[BulkUploadStatus]], object] | None = None,
    max_transient_errors: int = 3,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> BulkUploadStatus:
    """Async twin of :func:`wait_for_bulk_upload`."""
    state = _PollState(
        _BULK, dataset_id, timeout, poll_interval, on_progress, clock, max_transient_errors
    )

    async def fetch() -> BulkUploadStatus:
        response = await get_bulk_upload_status.asyncio_detailed(dataset_id, client=client)
        return expect(response, BulkUploadStatus)

    return await _run_async(state, fetch, sleep)


# --- v2 requests (Status Service) -----------------------------------------------------------

_REQUEST_FAILED = frozenset({"ERROR", "UNKNOWN"})


def _read_request(output: GenerationOutput) -> _Reading:
    if output.status == "COMPLETED":
        return _Reading(output.status, _Verdict.DONE)
    if output.status in _REQUEST_FAILED:
        return _Reading(output.status, _Verdict.FAILED)
    return _Reading(output.status, _Verdict.PENDING)


def _request_failure(output: GenerationOutput, reading: _Reading, subject: str) -> JobFailed:
    if reading.status == "UNKNOWN" and not output.error_message:
        text = "an unexpected internal error at Bria; contact support@bria.ai with the request_id"
    else:
        text = output.error_message or "no error details given"
        if output.error_details and output.error_details != output.error_message:
            text += f": {output.error_details}"
    return JobFailed(
        f"{subject} ended with status {reading.status}: {text}",
        status=reading.status,
        snapshot=output,
        code=output.error_code,
        details=output.error_details,
        request_id=output.request_id,
    )


_REQUEST: _Job[GenerationOutput] = _Job("request", "id", _read_request, _request_failure)


def wait_for_request(
    client: AuthenticatedClient,
    request_id: str,
    *,
    timeout: float | None = 600.0,
    poll_interval: float = 2.0,
    on_progress: Callable[[Progress[GenerationOutput]], object] | None = None,
    max_transient_errors: int = 3,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> GenerationOutput:
    """Poll ``GET /v2/status/{request_id}`` until an async v2 request finishes.

    Returns a :class:`~.results.GenerationOutput` (``image_url``/``video_url``/
    ``structured_prompt``, ``seed`` …) once the status is ``COMPLETED``. Raises
    :class:`~.errors.JobFailed` carrying Bria's error code and details on ``ERROR`` or
    ``UNKNOWN``, :class:`~.errors.NotFoundError` when the id does not exist or expired, and
    :class:`~.errors.WaitTimeout` after ``timeout`` seconds.
    """
    state = _PollState(
        _REQUEST, request_id, timeout, poll_interval, on_progress, clock, max_transient_errors
    )

    def fetch() -> GenerationOutput:
        return parse_generation_response(get_status.sync_detailed(request_id, client=client))

    return _run_sync(state, fetch, sleep)


async def wait_for_request_async(
    client: AuthenticatedClient,
    request_id: str,
    *,
    timeout: float | None = 600.0,
    poll_interval: float = 2.0,
    on_progress: Callable[[Progress[GenerationOutput]], object] | None = None,
    max_transient_errors: int = 3,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> GenerationOutput:
    """Async twin of :func:`wait_for_request`."""
    state = _PollState(
        _REQUEST, request_id, timeout, poll_interval, on_progress, clock, max_transient_errors
    )

    async def fetch() -> GenerationOutput:
        response = await get_status.asyncio_detailed(request_id, client=client)
        return parse_generation_response(response)

    return await _run_async(state, fetch, sleep)
