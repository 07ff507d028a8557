"""Retries with exponential backoff and an overall deadline, as an httpx transport.

Retrying at the transport level covers every generated operation without touching generated code.
What may be sent again depends on what the request does (:func:`request_kind`):

* reads (GET, HEAD, OPTIONS, and PUTs that overwrite a resource with the same body) are retried
  on 429, 503, timeouts and dropped connections;
* writes (POST, PATCH, and PUTs that start a job such as ``PUT …/datasets/{id}/images``, which
  regenerates every caption) are retried only when the server cannot have acted on them: on 429
  (the request was refused, not processed) and when the connection failed before the request was
  sent. Never on 5xx, a timeout or a reset after sending: that may have started a paid job;
* a DELETE is retried like a read; when an attempt failed after the request may have reached the
  server and the retry answers 404, the first attempt did the deleting, so the transport reports
  the delete as done (204, header ``X-Bria-Client-Note``).

``RetryPolicy(retry_non_idempotent=True)`` treats writes like reads.

The waiters (:mod:`.waiters`) take the same policy's decisions: inside a wait each poll is sent
once (:func:`single_attempt`), and whether and when a failed poll is repeated is
:meth:`RetryPolicy.delay_before_next_poll`, so a wait never multiplies the transport's retries by
its own.

Every call has an overall deadline (:mod:`.deadline`): the transport never sleeps past it, caps
each attempt's connect/read/write timeouts at the time left and stops reading a response body
that is still arriving when the deadline passes.

The transport also turns httpx transport failures into :class:`~.errors.APITimeoutError` /
:class:`~.errors.APIConnectionError` (which still subclass the httpx exceptions).
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import httpx

from ._redact import redact
from ._retry_after import parse_retry_after
from .deadline import DeadlineTimeouts, current_deadline
from .errors import APIConnectionError, APIStatusError, APITimeoutError, BriaError

__all__ = [
    "IDEMPOTENT_METHODS",
    "JOB_STARTING_PUTS",
    "RequestKind",
    "RetryPolicy",
    "RetryTransport",
    "parse_retry_after",
    "request_kind",
    "single_attempt",
]

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

# PUTs that start work rather than overwrite a resource: sending one twice starts the job twice.
# PUT /v1/tailored-gen/datasets/{dataset_id}/images regenerates every caption (202, the
# regenerate-all-captions operation of tailored-generation.openapi.json).
JOB_STARTING_PUTS: tuple[re.Pattern[str], ...] = (re.compile(r"/datasets/[^/]+/images/?$"),)


class RequestKind(enum.Enum):
    """What sending a request again could do (see the module docstring)."""

    READ = "read"
    WRITE = "write"
    DELETE = "delete"


def request_kind(method: str, path: str) -> RequestKind:
    """Classify a request by ``method`` and URL ``path`` for the retry rules."""
    method = method.upper()
    if method in ("GET", "HEAD", "OPTIONS"):
        return RequestKind.READ
    if method == "PUT":
        if any(p.search(path) for p in JOB_STARTING_PUTS):
            return RequestKind.WRITE
        return RequestKind.READ
    if method == "DELETE":
        return RequestKind.DELETE
    return RequestKind.WRITE


# Failures after which the server cannot have acted on a request twice in a harmful way, for an
# idempotent method. UnsupportedProtocol / LocalProtocolError are caller bugs and never retried.
_RETRYABLE_ERRORS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)
# Failures that happen before a byte of the request left: safe to retry for any request.
_BEFORE_SENDING: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)


# Set inside single_attempt(): the transport sends each request once and leaves the decision to
# send it again to the caller (a waiter), which asks the same policy.
_single_attempt: ContextVar[bool] = ContextVar("bria_tailored_single_attempt", default=False)


@contextmanager
def single_attempt() -> Iterator[None]:
    """Inside the block the retry transport sends every request once: no retries, no sleeps.

    The overall deadline, the error mapping and the DELETE rule still apply. The waiters poll
    inside it and repeat a failed poll themselves, by :meth:`RetryPolicy.delay_before_next_poll`.
    """
    token = _single_attempt.set(True)
    try:
        yield
    finally:
        _single_attempt.reset(token)


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before sending a request again.

    Args:
        max_retries: retries after the first attempt (0 disables retrying).
        backoff_base: delay before the first retry, in seconds; doubles on each retry.
        backoff_max: upper bound of the computed delay.
        jitter: fraction of the delay removed at random (0.25 → between 75% and 100%), so that
            many clients rate-limited together do not come back in lock step.
        retry_statuses: response statuses that trigger a retry (a write: only 429).
        retry_connection_errors: retry timeouts, connection failures and dropped connections
            (a write: only failures before the request was sent).
        retry_non_idempotent: retry writes (POST, PATCH, job-starting PUTs) like reads. Off by
            default: a repeated POST may start a second paid job.
        max_retry_after: longest ``Retry-After`` the client will honour; a longer one returns the
            response (and so raises :class:`~.errors.RateLimitError`) instead of blocking.
        sleep / async_sleep / now / random / clock: injectable for tests (``now`` is wall-clock
            time for ``Retry-After`` dates, ``clock`` the monotonic time deadlines use).
    """

    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    jitter: float = 0.25
    retry_statuses: frozenset[int] = frozenset({429, 503})
    retry_connection_errors: bool = True
    retry_non_idempotent: bool = False
    max_retry_after: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    async_sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False)
    now: Callable[[], float] = field(default=time.time, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {self.max_retries}")
        if self.backoff_base < 0 or self.backoff_max < 0:
            raise ValueError("backoff_base and backoff_max must not be negative")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"jitter must be between 0 and 1, got {self.jitter}")
        if self.max_retry_after < 0:
            raise ValueError(f"max_retry_after must not be negative, got {self.max_retry_after}")

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """A policy that never retries (errors are still mapped to the runtime's exceptions)."""
        return cls(max_retries=0)

    def allows_method(self, method: str) -> bool:
        """Whether requests with ``method`` may be sent again after a 503 or a timeout."""
        return self.retry_non_idempotent or method.upper() in IDEMPOTENT_METHODS

    def _as_read(self, kind: RequestKind) -> bool:
        return self.retry_non_idempotent or kind is not RequestKind.WRITE

    def backoff(self, retry_number: int) -> float:
        """Computed delay before retry ``retry_number`` (0-based), jitter applied."""
        delay = min(self.backoff_max, self.backoff_base * (2.0**retry_number))
        return delay * (1.0 - self.jitter * self.random())

    def delay_after_response(
        self, response: httpx.Response, retry_number: int, kind: RequestKind = RequestKind.READ
    ) -> float | None:
        """Seconds to wait before retrying after ``response``, or ``None`` to not retry."""
        status = response.status_code
        if status not in self.retry_statuses:
            return None
        # 429 means the request was refused before anything happened; other statuses may not.
        if status != 429 and not self._as_read(kind):
            return None
        hinted = parse_retry_after(response.headers, now=self.now)
        if hinted is None:
            return self.backoff(retry_number)
        if hinted > self.max_retry_after:
            return None
        return hinted

    def delay_before_next_poll(self, error: Exception, retry_number: int) -> float | None:
        """Seconds a waiter waits before polling again after a failed poll, or ``None`` when
        ``error`` says nothing will change by asking again (it is raised).

        A poll is a read the waiter repeats anyway, so every 5xx counts besides
        ``retry_statuses``, and a ``Retry-After`` is honoured however long it is: the wait's own
        timeout bounds it, not ``max_retry_after``. Transport failures follow
        :meth:`delay_after_error` for a read. ``max_retries`` does not apply: how many failed
        polls in a row a wait tolerates is the waiter's ``max_transient_errors``.
        """
        if isinstance(error, APIStatusError):
            status = error.status_code
            if status not in self.retry_statuses and not 500 <= status <= 599:
                return None
            hinted = parse_retry_after(error.headers, now=self.now)
            return self.backoff(retry_number) if hinted is None else hinted
        # A mapped transport error keeps the httpx exception it came from as its cause.
        cause = error.__cause__
        original = cause if isinstance(cause, httpx.TransportError) else error
        return self.delay_after_error(original, retry_number, RequestKind.READ)

    def delay_after_error(
        self, error: Exception, retry_number: int, kind: RequestKind = RequestKind.READ
    ) -> float | None:
        """Seconds to wait before retrying after a transport ``error``, or ``None``."""
        if not (self.retry_connection_errors and isinstance(error, _RETRYABLE_ERRORS)):
            return None
        if not self._as_read(kind) and not isinstance(error, _BEFORE_SENDING):
            return None
        return self.backoff(retry_number)


class RetryTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport that retries through an inner transport within an overall deadline.

    One object serves both ``httpx.Client`` and ``httpx.AsyncClient`` (like
    ``httpx.MockTransport``), because the generated client hands the same ``httpx_args`` to both.

    Args:
        transport: inner transport for sync requests (default ``httpx.HTTPTransport()``). When it
            is also an async transport (``httpx.MockTransport`` is), it serves async requests too.
        async_transport: inner transport for async requests (default
            ``httpx.AsyncHTTPTransport()`` unless ``transport`` can serve them).
        policy: the :class:`RetryPolicy`.
        timeout: overall seconds per call, retries and their sleeps included (``None``: only
            an enclosing :func:`~.deadline.deadline` limits it).
    """

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        *,
        async_transport: httpx.AsyncBaseTransport | None = None,
        policy: RetryPolicy | None = None,
        timeout: float | None = None,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.timeout = timeout
        self._transport = transport
        if async_transport is None and isinstance(transport, httpx.AsyncBaseTransport):
            async_transport = transport
        self._async_transport = async_transport
        self._owns_sync = transport is None
        self._owns_async = async_transport is None

    def __repr__(self) -> str:
        return f"RetryTransport(policy={self.policy!r}, timeout={self.timeout!r})"

    def _sync_inner(self) -> httpx.BaseTransport:
        if self._transport is None:
            self._transport = httpx.HTTPTransport()
        return self._transport

    def _async_inner(self) -> httpx.AsyncBaseTransport:
        if self._async_transport is None:
            if not self._owns_sync:
                raise TypeError(
                    "RetryTransport was given a sync-only transport; pass async_transport= "
                    "to use it with async calls"
                )
            self._async_transport = httpx.AsyncHTTPTransport()
        return self._async_transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        inner = self._sync_inner()
        call = _Call(request, self.policy, self.timeout)
        while True:
            call.before_attempt()
            try:
                response = inner.handle_request(request)
            except httpx.TransportError as exc:
                delay = call.after_error(exc)
                self.policy.sleep(delay)
                continue
            delay, final = call.after_response(response)
            if final is not None:
                return final
            response.close()
            self.policy.sleep(delay)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        inner = self._async_inner()
        call = _Call(request, self.policy, self.timeout)
        while True:
            call.before_attempt()
            try:
                response = await inner.handle_async_request(request)
            except httpx.TransportError as exc:
                delay = call.after_error(exc)
                await self.policy.async_sleep(delay)
                continue
            delay, final = call.after_response(response)
            if final is not None:
                return final
            await response.aclose()
            await self.policy.async_sleep(delay)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    async def aclose(self) -> None:
        if self._async_transport is not None:
            await self._async_transport.aclose()


class _Call:
    """The retry and deadline bookkeeping of one call; sync and async differ only in I/O."""

    def __init__(self, request: httpx.Request, policy: RetryPolicy, timeout: float | None):
        self.request = request
        self.policy = policy
        self._kind: RequestKind | None = None
        self.retry_number = 0
        self.attempts = 0
        # Set once an attempt failed after the request may have reached the server.
        self.maybe_carried_out = False
        start = policy.clock()
        # An enclosing deadline() is kept in time.monotonic(); convert it to the policy's clock
        # through the seconds left, so an injected clock and the real one agree.
        enclosing = current_deadline()
        own = None if timeout is None else start + timeout
        if enclosing is None:
            self.deadline = own
        else:
            inherited = start + (enclosing - time.monotonic())
            self.deadline = inherited if own is None else min(own, inherited)
        self.budget = None if self.deadline is None else max(0.0, self.deadline - start)
        # httpx's per-phase timeouts capped at the time left, handed to every attempt (the
        # deadline does not move between attempts, so one object serves them all).
        self.timeouts = (
            None
            if self.deadline is None
            else DeadlineTimeouts(
                request.extensions.get("timeout") or {}, self.deadline, policy.clock
            )
        )

    @property
    def kind(self) -> RequestKind:
        # Needed only once a retry or the DELETE rule is considered: most calls never read it.
        if self._kind is None:
            self._kind = request_kind(self.request.method, self.request.url.path)
        return self._kind

    @property
    def what(self) -> str:
        return f"{self.request.method} {self.request.url}"

    def _left(self) -> float | None:
        return None if self.deadline is None else self.deadline - self.policy.clock()

    def _deadline_error(self) -> APITimeoutError:
        tries = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        return APITimeoutError(
            f"{self.what} did not complete within its overall deadline of {self.budget:g}s "
            f"({tries})",
            request=self.request,
        )

    def before_attempt(self) -> None:
        if self.timeouts is not None:
            if self.timeouts.when <= self.policy.clock():
                raise self._deadline_error()
            self.request.extensions["timeout"] = self.timeouts
        self.attempts += 1

    def _fits(self, delay: float) -> bool:
        left = self._left()
        return left is None or delay < left

    def _may_retry(self) -> bool:
        return self.retry_number < self.policy.max_retries and not _single_attempt.get()

    def after_error(self, exc: httpx.TransportError) -> float:
        """The delay before the next attempt, or raises the mapped error."""
        if not isinstance(exc, _BEFORE_SENDING):
            self.maybe_carried_out = True
        delay = (
            self.policy.delay_after_error(exc, self.retry_number, self.kind)
            if self._may_retry()
            else None
        )
        if delay is None or not self._fits(delay):
            left = self._left()
            if isinstance(exc, httpx.TimeoutException) and left is not None and left <= 0.001:
                raise self._deadline_error() from exc
            raise _map_error(exc, self.request) from exc
        _log_retry(self.request, type(exc).__name__, delay, self.retry_number, self.policy)
        self.retry_number += 1
        return delay

    def after_response(self, response: httpx.Response) -> tuple[float, httpx.Response | None]:
        """``(delay, None)`` to retry, or ``(0, response)`` to hand back."""
        status = response.status_code
        if status in self.policy.retry_statuses and self._may_retry():
            delay = self.policy.delay_after_response(response, self.retry_number, self.kind)
            if delay is not None and self._fits(delay):
                _log_retry(self.request, f"HTTP {status}", delay, self.retry_number, self.policy)
                self.retry_number += 1
                return delay, None
        if status == 404 and self.maybe_carried_out and self.kind is RequestKind.DELETE:
            response.close()
            logger.info(
                "%s",
                redact(
                    f"{self.what}: an earlier attempt failed after sending and the retry found "
                    "nothing to delete; reporting the delete as done"
                ),
            )
            return 0.0, httpx.Response(
                204,
                headers={"X-Bria-Client-Note": "deleted by an earlier attempt (retry saw 404)"},
                request=self.request,
            )
        # The body has not been read yet: errors and the deadline while reading it are mapped.
        response.stream = _MappedStream(response.stream, self.request, self)
        return 0.0, response


def _log_retry(
    request: httpx.Request, reason: str, delay: float, retry_number: int, policy: RetryPolicy
) -> None:
    # Only method, URL and reason: request headers carry the API token.
    logger.info(
        "%s",
        redact(
            f"retrying {request.method} {request.url} in {delay:.2f}s after {reason} "
            f"(retry {retry_number + 1} of {policy.max_retries})"
        ),
    )


def _map_error(exc: httpx.TransportError, request: httpx.Request) -> Exception:
    if isinstance(exc, BriaError):
        return exc
    what = f"{request.method} {request.url}"
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{what} timed out ({type(exc).__name__})", request=request)
    detail = str(exc) or type(exc).__name__
    return APIConnectionError(f"{what} failed: {detail}", request=request)


class _MappedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Maps transport errors raised while the body is read, after the transport returned."""

    def __init__(
        self,
        inner: httpx.SyncByteStream | httpx.AsyncByteStream,
        request: httpx.Request,
        call: _Call | None = None,
    ):
        self._inner = inner
        self._request = request
        self._call = call

    def _check_deadline(self) -> None:
        # Socket reads are already capped at the time left; this catches a body that keeps
        # arriving in small pieces right up to the deadline.
        call = self._call
        if call is not None:
            left = call._left()
            if left is not None and left <= 0:
                raise call._deadline_error()

    def _mapped(self, exc: httpx.TransportError) -> Exception:
        call = self._call
        if isinstance(exc, httpx.TimeoutException) and call is not None:
            left = call._left()
            if left is not None and left <= 0.001:
                return call._deadline_error()
        return _map_error(exc, self._request)

    def __iter__(self) -> Iterator[bytes]:
        if not isinstance(self._inner, httpx.SyncByteStream):
            raise RuntimeError("attempted to read an async response body synchronously")
        try:
            for chunk in self._inner:
                self._check_deadline()
                yield chunk
        except httpx.TransportError as exc:
            raise self._mapped(exc) from exc

    def close(self) -> None:
        if isinstance(self._inner, httpx.SyncByteStream):
            self._inner.close()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if not isinstance(self._inner, httpx.AsyncByteStream):
            raise RuntimeError("attempted to read a sync response body asynchronously")
        try:
            async for chunk in self._inner:
                self._check_deadline()
                yield chunk
        except httpx.TransportError as exc:
            raise self._mapped(exc) from exc

    async def aclose(self) -> None:
        if isinstance(self._inner, httpx.AsyncByteStream):
            await self._inner.aclose()
