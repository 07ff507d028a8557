"""Waiting for Bria's long-running jobs: training, caption regeneration, bulk upload, v2 requests.

Each waiter polls the matching GET operation until the job reaches a terminal state, logs every
poll at DEBUG (logger ``bria_tailored.runtime.waiters``), calls an optional progress callback
after every poll, and gives up with :class:`~.errors.WaitTimeout` after ``timeout`` seconds.
``timeout`` is a deadline: every poll runs under it (:mod:`.deadline`), so a ``Retry-After`` and
a hung or slowly answering server cannot stretch the wait beyond it.

Statuses are matched without regard to case, spaces, ``_`` or ``-`` (``InProgress``,
``IN_PROGRESS`` and ``in progress`` are one status), against every status Bria's documents name
for the job. A job that ends in failure raises :class:`~.errors.JobFailed`; a status no document
names is waited on for at most ``unknown_status_grace`` seconds in a row, then
:class:`~.errors.UnknownJobStatus` is raised instead of waiting forever. HTTP errors raise the
typed errors of :mod:`.errors`.

One retry decision: each poll is sent once (:func:`~.retry.single_attempt`), and whether a failed
poll is repeated, and after how long, is the client's :class:`~.retry.RetryPolicy`
(:meth:`~.retry.RetryPolicy.delay_before_next_poll`: 5xx, the policy's retry statuses and
connection failures are transient, ``Retry-After`` is honoured on any of them). The next poll comes
after that delay or ``poll_interval``, whichever is longer, never past the deadline; at most
``max_transient_errors`` failed polls in a row are tolerated, so a wait sends at most
``max_transient_errors + 1`` requests in a row that fail.

The polling logic is written once, as a generator that says what to do next (poll within a
deadline, or sleep); a synchronous and an asynchronous driver carry it out. Every waiter has an
``async`` twin (``wait_for_training_async`` …) with the same arguments. ``sleep`` and ``clock``
are injectable so tests run without real waiting.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable, Generator, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from ..api.dataset import get_bulk_upload_status, get_dataset_by_id
from ..api.model import get_model
from ..api.status import get_status
from ..client import AuthenticatedClient
from ..models import BulkUploadStatus, Dataset, Model
from ..types import Unset
from .deadline import deadline
from .errors import JobFailed, UnknownJobStatus, WaitTimeout, expect
from .results import GenerationOutput, parse_generation_response
from .retry import RetryPolicy, RetryTransport, single_attempt

__all__ = [
    "DEFAULT_UNKNOWN_STATUS_GRACE",
    "Progress",
    "StatusTable",
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
JobId = TypeVar("JobId", int, str)

# Our choice: long enough to ride out a status Bria adds before the client knows it, short enough
# that an unattended ``timeout=None`` wait ends.
DEFAULT_UNKNOWN_STATUS_GRACE = 300.0


def normalize_status(status: str) -> str:
    """``IN_PROGRESS``, ``InProgress`` and ``in progress`` all become ``inprogress``."""
    return re.sub(r"[\s_\-]", "", status).casefold()


@dataclass(frozen=True)
class StatusTable:
    """Which statuses of one kind of job mean running, done or failed (matched normalized)."""

    pending: frozenset[str]
    done: frozenset[str]
    failed: frozenset[str]

    @classmethod
    def of(
        cls, *, pending: Iterable[str], done: Iterable[str], failed: Iterable[str] = ()
    ) -> StatusTable:
        def norm(values: Iterable[str]) -> frozenset[str]:
            return frozenset(normalize_status(v) for v in values)

        return cls(norm(pending), norm(done), norm(failed))

    def verdict(self, status: str) -> _Verdict:
        key = normalize_status(status)
        if key in self.done:
            return _Verdict.DONE
        if key in self.failed:
            return _Verdict.FAILED
        if key in self.pending:
            return _Verdict.PENDING
        return _Verdict.UNKNOWN


@dataclass(frozen=True)
class Progress(Generic[S]):
    """What one poll saw; passed to the ``on_progress`` callback after every poll.

    Attributes:
        job: ``"training"``, ``"captions"``, ``"bulk_upload"`` or ``"request"``.
        job_id: the model id, dataset id or request id being waited on.
        status: the job status exactly as the server sent it.
        percentage: completion percentage: reported by the server (bulk upload), estimated from
            the last checkpoint step over the total training steps (training, when the model
            carries ``checkpoint_steps`` and ``training_parameters``), else None.
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
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class _Reading:
    status: str
    verdict: _Verdict
    percentage: int | None = None


@dataclass(frozen=True)
class _Options(Generic[S]):
    """A waiter's keyword arguments other than ``sleep``, checked once."""

    timeout: float | None
    poll_interval: float
    on_progress: Callable[[Progress[S]], object] | None
    max_transient_errors: int
    unknown_status_grace: float
    clock: Callable[[], float]

    def __post_init__(self) -> None:
        timeout = self.timeout
        if timeout is not None and not (timeout >= 0 and math.isfinite(timeout)):
            raise ValueError(f"timeout must be a finite number of seconds >= 0, got {timeout!r}")
        interval = self.poll_interval
        if not (interval > 0 and math.isfinite(interval)):
            raise ValueError(f"poll_interval must be a positive number, got {interval!r}")
        if self.max_transient_errors < 0:
            raise ValueError(f"max_transient_errors must be >= 0, got {self.max_transient_errors}")
        grace = self.unknown_status_grace
        if not (grace >= 0 and math.isfinite(grace)):
            raise ValueError(
                f"unknown_status_grace must be a finite number of seconds >= 0, got {grace!r}"
            )


@dataclass(frozen=True)
class _Poll:
    """Step of the polling core: fetch a snapshot within ``within`` seconds (``None``: no limit)."""

    within: float | None


@dataclass(frozen=True)
class _Sleep:
    """Step of the polling core: sleep ``seconds`` before the next step."""

    seconds: float


_Steps = Generator[_Poll | _Sleep, S, S]


@dataclass(frozen=True)
class _Job(Generic[S, JobId]):
    """One kind of job: how to read its status, how to fetch it (sync and async), how it fails."""

    name: str
    noun: str
    read: Callable[[S], _Reading]
    fetch: Callable[[AuthenticatedClient, JobId], S]
    fetch_async: Callable[[AuthenticatedClient, JobId], Awaitable[S]]
    # Builds the exception for a failed job; the default names the status only.
    failure: Callable[[S, _Reading, str], JobFailed] | None = None

    def wait(
        self,
        client: AuthenticatedClient,
        job_id: JobId,
        options: _Options[S],
        sleep: Callable[[float], None],
    ) -> S:
        steps = _Waiting(self, job_id, options, _policy_of(client)).steps()
        step = next(steps)
        try:
            while True:
                if isinstance(step, _Sleep):
                    sleep(step.seconds)
                    step = next(steps)
                    continue
                try:
                    with deadline(step.within), single_attempt():
                        snapshot = self.fetch(client, job_id)
                except Exception as exc:  # the core decides: transient, or raised as is
                    step = steps.throw(exc)
                else:
                    step = steps.send(snapshot)
        except StopIteration as done:
            result: S = done.value
            return result

    async def wait_async(
        self,
        client: AuthenticatedClient,
        job_id: JobId,
        options: _Options[S],
        sleep: Callable[[float], Awaitable[None]],
    ) -> S:
        steps = _Waiting(self, job_id, options, _policy_of(client)).steps()
        step = next(steps)
        try:
            while True:
                if isinstance(step, _Sleep):
                    await sleep(step.seconds)
                    step = next(steps)
                    continue
                try:
                    with deadline(step.within), single_attempt():
                        snapshot = await self.fetch_async(client, job_id)
                except Exception as exc:  # the core decides: transient, or raised as is
                    step = steps.throw(exc)
                else:
                    step = steps.send(snapshot)
        except StopIteration as done:
            result: S = done.value
            return result


def _policy_of(client: AuthenticatedClient) -> RetryPolicy:
    """The retry policy of ``client``'s transport (:func:`~.client.make_client`), else the
    default one."""
    transport = client._httpx_args.get("transport")
    return transport.policy if isinstance(transport, RetryTransport) else RetryPolicy()


class _Waiting(Generic[S, JobId]):
    """The state of one wait and its polling logic, free of I/O: :meth:`steps` yields what to do
    next and is sent each snapshot (or thrown each failure) by a driver in :class:`_Job`."""

    def __init__(
        self, job: _Job[S, JobId], job_id: JobId, options: _Options[S], policy: RetryPolicy
    ) -> None:
        self.job: _Job[S, JobId] = job
        self.job_id: JobId = job_id
        self.subject = f"{job.name} of {job.noun} {job_id}"
        self.options = options
        self.policy = policy
        self.clock = options.clock
        self.start = self.clock()
        self.polls = 0
        self.errors_in_a_row = 0
        self.unknown_since: float | None = None
        self.last_status = "not yet polled"
        self.last_snapshot: S | None = None

    def steps(self) -> _Steps[S]:
        while True:
            self.check_deadline()
            left = self.remaining()
            try:
                snapshot = yield _Poll(None if left is None else max(0.0, left))
            except Exception as exc:
                delay = self.after_failure(exc)
            else:
                if self.record(snapshot):
                    return snapshot
                delay = self.options.poll_interval
            yield _Sleep(self.bounded(delay))

    def remaining(self) -> float | None:
        """Seconds left before the deadline (``None`` without one)."""
        timeout = self.options.timeout
        if timeout is None:
            return None
        return timeout - (self.clock() - self.start)

    def record(self, snapshot: S) -> bool:
        """Account for one successful poll; True when the job finished successfully."""
        self.errors_in_a_row = 0
        self.polls += 1
        reading = self.job.read(snapshot)
        self.last_status = reading.status
        self.last_snapshot = snapshot
        elapsed = self.clock() - self.start
        logger.debug(
            "%s: poll %d after %.1fs: status %r (%s%s)",
            self.subject,
            self.polls,
            elapsed,
            reading.status,
            reading.verdict.value,
            "" if reading.percentage is None else f", {reading.percentage}%",
        )
        on_progress = self.options.on_progress
        if on_progress is not None:
            on_progress(
                Progress(
                    job=self.job.name,
                    job_id=self.job_id,
                    status=reading.status,
                    percentage=reading.percentage,
                    elapsed=elapsed,
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
        if reading.verdict is _Verdict.UNKNOWN:
            self.check_unknown(reading, snapshot)
        else:
            self.unknown_since = None
        return reading.verdict is _Verdict.DONE

    def check_unknown(self, reading: _Reading, snapshot: S) -> None:
        now = self.clock()
        grace = self.options.unknown_status_grace
        if self.unknown_since is None:
            self.unknown_since = now
            logger.warning(
                "%s: status %r is not one Bria's documents name; waiting at most %gs "
                "for a known one",
                self.subject,
                reading.status,
                grace,
            )
        if now - self.unknown_since >= grace:
            raise UnknownJobStatus(
                f"{self.subject} reported the undocumented status {reading.status!r} for "
                f"{now - self.unknown_since:g}s (grace {grace:g}s); "
                "stopped waiting rather than wait forever. Check the job yourself, or pass "
                "a larger unknown_status_grace if this status is a legitimate new one",
                status=reading.status,
                elapsed=now - self.start,
                snapshot=snapshot,
            )

    def after_failure(self, error: Exception) -> float:
        """The delay before polling again after a failed poll; raises ``error`` when the retry
        policy calls it permanent or too many polls failed in a row, :class:`WaitTimeout` when
        the deadline passed."""
        delay = self.policy.delay_before_next_poll(error, self.errors_in_a_row)
        if delay is None:
            raise error
        left = self.remaining()
        if left is not None and left <= 0:
            raise self.timed_out() from error
        self.errors_in_a_row += 1
        if self.errors_in_a_row > self.options.max_transient_errors:
            raise error
        logger.warning(
            "polling %s failed (%s); polling again (%d of %d tolerated failures in a row)",
            self.subject,
            error,
            self.errors_in_a_row,
            self.options.max_transient_errors,
        )
        return max(self.options.poll_interval, delay)

    def bounded(self, delay: float) -> float:
        """``delay``, cut to the time left: the next step raises WaitTimeout when it wakes."""
        left = self.remaining()
        if left is None:
            return delay
        if left <= 0:
            raise self.timed_out()
        return min(delay, left)

    def check_deadline(self) -> None:
        """Raise WaitTimeout once the deadline has passed (checked before each poll)."""
        left = self.remaining()
        if left is not None and left <= 0:
            raise self.timed_out()

    def timed_out(self) -> WaitTimeout:
        elapsed = self.clock() - self.start
        return WaitTimeout(
            f"{self.subject} did not finish within {self.options.timeout:g}s "
            f"(last status: {self.last_status}); wait again to keep waiting",
            last_status=self.last_status,
            elapsed=elapsed,
            snapshot=self.last_snapshot,
        )


def _enum_text(value: object) -> str:
    if value is None or isinstance(value, Unset):
        return "missing"
    return str(value)


# --- training -------------------------------------------------------------------------------

# bria-guide-v1.md and the bundle's ModelStatus: Created, InProgress, Completed, Failed, Stopping,
# Stopped; an uploaded model: "syncing" then "completed" (bria-guide-v1.md) / "Completed" (the
# bundle's example); "Delete a specific model. Changes status to Deleted" (bria-guide-v1.md).
TRAINING_STATUSES = StatusTable.of(
    pending=("Created", "InProgress", "Stopping", "syncing"),
    done=("Completed", "Stopped"),
    failed=("Failed", "Deleted"),
)


def training_percentage(model: Model) -> int | None:
    """Training progress estimated from the newest checkpoint step over the total steps.

    A checkpoint is saved every ``checkpoint_interval`` steps, so this lags the true progress by
    at most one interval. ``None`` when the model does not carry both figures.
    """
    steps = model.checkpoint_steps
    params = model.training_parameters
    if isinstance(steps, Unset) or steps is None or isinstance(params, Unset) or params is None:
        return None
    total = getattr(params, "total_training_steps", None)
    if not isinstance(total, int) or isinstance(total, bool) or total <= 0:
        return None
    done = max((s for s in steps if isinstance(s, int)), default=0)
    return max(0, min(100, (100 * done) // total))


def _read_model(model: Model) -> _Reading:
    status = _enum_text(model.status)
    verdict = TRAINING_STATUSES.verdict(status)
    percentage = training_percentage(model)
    if verdict is _Verdict.DONE and normalize_status(status) == "completed":
        percentage = 100
    return _Reading(status, verdict, percentage)


def _fetch_model(client: AuthenticatedClient, model_id: int) -> Model:
    return expect(get_model.sync_detailed(model_id, client=client), Model)


async def _fetch_model_async(client: AuthenticatedClient, model_id: int) -> Model:
    return expect(await get_model.asyncio_detailed(model_id, client=client), Model)


_TRAINING: _Job[Model, int] = _Job(
    "training", "model", _read_model, _fetch_model, _fetch_model_async
)


def wait_for_training(
    client: AuthenticatedClient,
    model_id: int,
    *,
    timeout: float | None = 6 * 3600.0,
    poll_interval: float = 30.0,
    on_progress: Callable[[Progress[Model]], object] | None = None,
    max_transient_errors: int = 3,
    unknown_status_grace: float = DEFAULT_UNKNOWN_STATUS_GRACE,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Model:
    """Poll ``GET /v1/tailored-gen/models/{model_id}`` until training ends.

    Returns the model once its status is ``Completed`` or ``Stopped`` (after ``stop_training``;
    check ``model.status``). Raises :class:`~.errors.JobFailed` on ``Failed`` and
    :class:`~.errors.WaitTimeout` after ``timeout`` seconds (``None`` waits forever). Training
    typically takes 2-4 hours, hence the generous defaults.
    """
    options = _Options(
        timeout, poll_interval, on_progress, max_transient_errors, unknown_status_grace, clock
    )
    return _TRAINING.wait(client, model_id, options, sleep)


async def wait_for_training_async(
    client: AuthenticatedClient,
    model_id: int,
    *,
    timeout: float | None = 6 * 3600.0,
    poll_interval: float = 30.0,
    on_progress: Callable[[Progress[Model]], object] | None = None,
    max_transient_errors: int = 3,
    unknown_status_grace: float = DEFAULT_UNKNOWN_STATUS_GRACE,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Model:
    """Async twin of :func:`wait_for_training`."""
    options = _Options(
        timeout, poll_interval, on_progress, max_transient_errors, unknown_status_grace, clock
    )
    return await _TRAINING.wait_async(client, model_id, options, sleep)


# --- caption regeneration -------------------------------------------------------------------


# bria-guide-v1.md: "Get Dataset by ID should be sampled until the captions_update_status changes
# to 'completed'"; the bundle's CaptionsUpdateStatus: empty, in_progress, completed. No failure
# state is documented; "empty" means no caption job has been seen yet.
CAPTION_STATUSES = StatusTable.of(pending=("empty", "in_progress"), done=("completed",))


def _read_dataset(dataset: Dataset) -> _Reading:
    status = _enum_text(dataset.captions_update_status)
    return _Reading(status, CAPTION_STATUSES.verdict(status))


def _fetch_dataset(client: AuthenticatedClient, dataset_id: int) -> Dataset:
    return expect(get_dataset_by_id.sync_detailed(dataset_id, client=client), Dataset)


async def _fetch_dataset_async(client: AuthenticatedClient, dataset_id: int) -> Dataset:
    return expect(await get_dataset_by_id.asyncio_detailed(dataset_id, client=client), Dataset)


_CAPTIONS: _Job[Dataset, int] = _Job(
    "caption regeneration", "dataset", _read_dataset, _fetch_dataset, _fetch_dataset_async
)


def wait_for_captions(
    client: AuthenticatedClient,
    dataset_id: int,
    *,
    timeout: float | None = 1800.0,
    poll_interval: float = 5.0,
    on_progress: Callable[[Progress[Dataset]], object] | None = None,
    max_transient_errors: int = 3,
    unknown_status_grace: float = DEFAULT_UNKNOWN_STATUS_GRACE,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Dataset:
    """Poll ``GET /v1/tailored-gen/datasets/{dataset_id}`` until caption regeneration completes.

    Call it after ``regenerate_all_captions`` (202). Returns the dataset once
    ``captions_update_status`` is ``completed``; raises :class:`~.errors.WaitTimeout` after
    ``timeout`` seconds.
    """
    options = _Options(
        timeout, poll_interval, on_progress, max_transient_errors, unknown_status_grace, clock
    )
    return _CAPTIONS.wait(client, dataset_id, options, sleep)


async def wait_for_captions_async(
    client: AuthenticatedClient,
    dataset_id: int,
    *,
    timeout: float | None = 1800.0,
    poll_interval: float = 5.0,
    on_progress: Callable[[Progress[Dataset]], object] | None = None,
    max_transient_errors: int = 3,
    unknown_status_grace: float = DEFAULT_UNKNOWN_STATUS_GRACE,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Dataset:
    """Async twin of :func:`wait_for_captions`."""
    options = _Options(
        timeout, poll_interval, on_progress, max_transient_errors, unknown_status_grace, clock
    )
    return await _CAPTIONS.wait_async(client, dataset_id, options, sleep)


# --- bulk upload ----------------------------------------------------------------------------


# The bundle's BulkUploadState: pending, processing, completed, failed.
BULK_STATUSES = StatusTable.of(
    pending=("pending", "processing"), done=("completed",), failed=("failed",)
)


def _read_bulk(upload: BulkUploadStatus) -> _Reading:
    status = _enum_text(upload.status)
    pct = upload.progress_percentage
    percentage = None if isinstance(pct, Unset) else pct
    return _Reading(status, BULK_STATUSES.verdict(status), percentage)


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


def _fetch_bulk(client: AuthenticatedClient, dataset_id: int) -> BulkUploadStatus:
    response = get_bulk_upload_status.sync_detailed(dataset_id, client=client)
    return expect(response, BulkUploadStatus)


async def _fetch_bulk_async(client: AuthenticatedClient, dataset_id: int) -> BulkUploadStatus:
    response = await get_bulk_upload_status.asyncio_detailed(dataset_id, client=client)
    return expect(response, BulkUploadStatus)


_BULK: _Job[BulkUploadStatus, int] = _Job(
    "bulk upload", "dataset", _read_bulk, _fetch_bulk, _fetch_bulk_async, _bulk_failure
)


def wait_for_bulk_upload(
    client: AuthenticatedClient,
    dataset_id: int,
    *,
    timeout: float | None = 3600.0,
    poll_interval: float = 5.0,
    on_progress: Callable[[Progress[BulkUploadStatus]], object] | None = None,
    max_transient_errors: int = 3,
    unknown_status_grace: float = DEFAULT_UNKNOWN_STATUS_GRACE,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> BulkUploadStatus:
    """Poll ``GET /v1/tailored-gen/datasets/{dataset_id}/images/bulk-upload/status``.

    Returns the upload status once it is ``completed`` (some images may still have failed; see
    ``failed`` and ``failed_images``). Raises :class:`~.errors.JobFailed` when the upload as a
    whole is ``failed`` and :class:`~.errors.WaitTimeout` after ``timeout`` seconds. The
    progress callback receives ``progress_percentage`` as ``Progress.percentage``.
    """
    options = _Options(
        timeout, poll_interval, on_progress, max_transient_errors, unknown_status_grace, clock
    )
    return _BULK.wait(client, dataset_id, options, sleep)


async def wait_for_bulk_upload_async(
    client: AuthenticatedClient,
    dataset_id: int,
    *,
    timeout: float | None = 3600.0,
    poll_interval: float = 5.0,
    on_progress: Callable[[Progress[BulkUploadStatus]], object] | None = None,
    max_transient_errors: int = 3,
    unknown_status_grace: float = DEFAULT_UNKNOWN_STATUS_GRACE,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> BulkUploadStatus:
    """Async twin of :func:`wait_for_bulk_upload`."""
    options = _Options(
        timeout, poll_interval, on_progress, max_transient_errors, unknown_status_grace, clock
    )
    return await _BULK.wait_async(client, dataset_id, options, sleep)


# --- v2 requests (Status Service) -----------------------------------------------------------

# status.openapi.yaml: IN_PROGRESS, COMPLETED, ERROR, UNKNOWN ("should not occur under normal
# circumstances ... contact Support"). CANCELLED / CANCELED are named by no document; treating
# them as a terminal failure rather than an unknown status is our choice (nothing can follow).
REQUEST_STATUSES = StatusTable.of(
    pending=("IN_PROGRESS",),
    done=("COMPLETED",),
    failed=("ERROR", "UNKNOWN", "CANCELLED", "CANCELED", "FAILED"),
)


def _read_request(output: GenerationOutput) -> _Reading:
    return _Reading(output.status, REQUEST_STATUSES.verdict(output.status))


def _request_failure(output: GenerationOutput, reading: _Reading, subject: str) -> JobFailed:
    if normalize_status(reading.status) == "unknown" and not output.error_message:
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


def _fetch_request(client: AuthenticatedClient, request_id: str) -> GenerationOutput:
    return parse_generation_response(get_status.sync_detailed(request_id, client=client))


async def _fetch_request_async(client: AuthenticatedClient, request_id: str) -> GenerationOutput:
    return parse_generation_response(await get_status.asyncio_detailed(request_id, client=client))


_REQUEST: _Job[GenerationOutput, str] = _Job(
    "request", "id", _read_request, _fetch_request, _fetch_request_async, _request_failure
)


def wait_for_request(
    client: AuthenticatedClient,
    request_id: str,
    *,
    timeout: float | None = 600.0,
    poll_interval: float = 2.0,
    on_progress: Callable[[Progress[GenerationOutput]], object] | None = None,
    max_transient_errors: int = 3,
    unknown_status_grace: float = DEFAULT_UNKNOWN_STATUS_GRACE,
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
    options = _Options(
        timeout, poll_interval, on_progress, max_transient_errors, unknown_status_grace, clock
    )
    return _REQUEST.wait(client, request_id, options, sleep)


async def wait_for_request_async(
    client: AuthenticatedClient,
    request_id: str,
    *,
    timeout: float | None = 600.0,
    poll_interval: float = 2.0,
    on_progress: Callable[[Progress[GenerationOutput]], object] | None = None,
    max_transient_errors: int = 3,
    unknown_status_grace: float = DEFAULT_UNKNOWN_STATUS_GRACE,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> GenerationOutput:
    """Async twin of :func:`wait_for_request`."""
    options = _Options(
        timeout, poll_interval, on_progress, max_transient_errors, unknown_status_grace, clock
    )
    return await _REQUEST.wait_async(client, request_id, options, sleep)
