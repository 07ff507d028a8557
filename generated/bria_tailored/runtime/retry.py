"""Retries with exponential backoff, as an httpx transport that wraps the real one.

Retrying at the transport level covers every generated operation without touching generated code.
Only idempotent methods are retried by default: a POST that timed out may already have started a
paid training or generation, so sending it again is the caller's decision
(``RetryPolicy(retry_non_idempotent=True)``).

The transport also turns httpx transport failures into :class:`~.errors.APITimeoutError` /
:class:`~.errors.APIConnectionError` (which still subclass the httpx exceptions).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field

import httpx

from ._redact import redact
from ._retry_after import parse_retry_after
from .errors import APIConnectionError, APITimeoutError, BriaError

__all__ = [
    "IDEMPOTENT_METHODS",
    "RetryPolicy",
    "RetryTransport",
    "parse_retry_after",
]

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

# Failures after which the server cannot have acted on a request twice in a harmful way, for an
# idempotent method. UnsupportedProtocol / LocalProtocolError are caller bugs and never retried.
_RETRYABLE_ERRORS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before sending a request again.

    Args:
        max_retries: retries after the first attempt (0 disables retrying).
        backoff_base: delay before the first retry, in seconds; doubles on each retry.
        backoff_max: upper bound of the computed delay.
        jitter: fraction of the delay removed at random (0.25 → between 75% and 100%), so that
            many clients rate-limited together do not come back in lock step.
        retry_statuses: response statuses that trigger a retry.
        retry_connection_errors: retry timeouts, connection failures and dropped connections.
        retry_non_idempotent: also retry POST/PATCH. Off by default: a repeated POST may start a
            second paid job.
        max_retry_after: longest ``Retry-After`` the client will honour; a longer one returns the
            response (and so raises :class:`~.errors.RateLimitError`) instead of blocking.
        sleep / async_sleep / now / random: injectable for tests.
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
        """Whether requests with ``method`` may be sent more than once."""
        return self.retry_non_idempotent or method.upper() in IDEMPOTENT_METHODS

    def backoff(self, retry_number: int) -> float:
        """Computed delay before retry ``retry_number`` (0-based), jitter applied."""
        delay = min(self.backoff_max, self.backoff_base * (2.0**retry_number))
        return delay * (1.0 - self.jitter * self.random())

    def delay_after_response(self, response: httpx.Response, retry_number: int) -> float | None:
        """Seconds to wait before retrying after ``response``, or ``None`` to not retry."""
        if response.status_code not in self.retry_statuses:
            return None
        hinted = parse_retry_after(response.headers, now=self.now)
        if hinted is None:
            return self.backoff(retry_number)
        if hinted > self.max_retry_after:
            return None
        return hinted

    def delay_after_error(self, error: Exception, retry_number: int) -> float | None:
        """Seconds to wait before retrying after a transport ``error``, or ``None``."""
        if self.retry_connection_errors and isinstance(error, _RETRYABLE_ERRORS):
            return self.backoff(retry_number)
        return None


class RetryTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport that retries through an inner transport according to a policy.

    One object serves both ``httpx.Client`` and ``httpx.AsyncClient`` (like
    ``httpx.MockTransport``), because the generated client hands the same ``httpx_args`` to both.

    Args:
        transport: inner transport for sync requests (default ``httpx.HTTPTransport()``). When it
            is also an async transport (``httpx.MockTransport`` is), it serves async requests too.
        async_transport: inner transport for async requests (default
            ``httpx.AsyncHTTPTransport()`` unless ``transport`` can serve them).
        policy: the :class:`RetryPolicy`.
    """

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        *,
        async_transport: httpx.AsyncBaseTransport | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self._transport = transport
        if async_transport is None and isinstance(transport, httpx.AsyncBaseTransport):
            async_transport = transport
        self._async_transport = async_transport
        self._owns_sync = transport is None
        self._owns_async = async_transport is None

    def __repr__(self) -> str:
        return f"RetryTransport(policy={self.policy!r})"

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
        policy = self.policy
        retry_number = 0
        while True:
            may_retry = retry_number < policy.max_retries and policy.allows_method(request.method)
            try:
                response = inner.handle_request(request)
            except httpx.TransportError as exc:
                delay = policy.delay_after_error(exc, retry_number) if may_retry else None
                if delay is None:
                    raise _map_error(exc, request) from exc
                _log_retry(request, type(exc).__name__, delay, retry_number, policy)
                policy.sleep(delay)
                retry_number += 1
                continue
            delay = policy.delay_after_response(response, retry_number) if may_retry else None
            if delay is None:
                return _with_mapped_stream(response, request)
            response.close()
            _log_retry(request, f"HTTP {response.status_code}", delay, retry_number, policy)
            policy.sleep(delay)
            retry_number += 1

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        inner = self._async_inner()
        policy = self.policy
        retry_number = 0
        while True:
            may_retry = retry_number < policy.max_retries and policy.allows_method(request.method)
            try:
                response = await inner.handle_async_request(request)
            except httpx.TransportError as exc:
                delay = policy.delay_after_error(exc, retry_number) if may_retry else None
                if delay is None:
                    raise _map_error(exc, request) from exc
                _log_retry(request, type(exc).__name__, delay, retry_number, policy)
                await policy.async_sleep(delay)
                retry_number += 1
                continue
            delay = policy.delay_after_response(response, retry_number) if may_retry else None
            if delay is None:
                return _with_mapped_stream(response, request)
            await response.aclose()
            _log_retry(request, f"HTTP {response.status_code}", delay, retry_number, policy)
            await policy.async_sleep(delay)
            retry_number += 1

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    async def aclose(self) -> None:
        if self._async_transport is not None:
            await self._async_transport.aclose()


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

    def __init__(self, inner: httpx.SyncByteStream | httpx.AsyncByteStream, request: httpx.Request):
        self._inner = inner
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        if not isinstance(self._inner, httpx.SyncByteStream):
            raise RuntimeError("attempted to read an async response body synchronously")
        try:
            yield from self._inner
        except httpx.TransportError as exc:
            raise _map_error(exc, self._request) from exc

    def close(self) -> None:
        if isinstance(self._inner, httpx.SyncByteStream):
            self._inner.close()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if not isinstance(self._inner, httpx.AsyncByteStream):
            raise RuntimeError("attempted to read a sync response body asynchronously")
        try:
            async for chunk in self._inner:
                yield chunk
        except httpx.TransportError as exc:
            raise _map_error(exc, self._request) from exc

    async def aclose(self) -> None:
        if isinstance(self._inner, httpx.AsyncByteStream):
            await self._inner.aclose()


def _with_mapped_stream(response: httpx.Response, request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        status_code=response.status_code,
        headers=response.headers,
        stream=_MappedStream(response.stream, request),
        extensions=response.extensions,
    )
