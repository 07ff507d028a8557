"""Overall deadlines: one point in time that retries, ``Retry-After`` sleeps, polls and slow
responses all count against.

httpx's own timeouts limit each phase (connect, each socket read …), so a server that drips one
byte per second, or three retries of a hung request, can take many times the configured value.
The runtime instead keeps a deadline: the retry transport never sleeps past it, gives every
attempt only the time that is left, and limits every socket read to the remaining time.

Deadlines nest through a context variable (per thread, per asyncio task)::

    from bria_tailored.runtime import deadline

    with deadline(5.0):                 # everything inside finishes within 5 s or raises
        get_model.sync_detailed(42, client=client)

The waiters use the same mechanism, so ``wait_for_training(..., timeout=60)`` returns or raises
within 60 s even when a poll hangs or the server asks to come back later.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["current_deadline", "deadline", "remaining"]

# Monotonic time (time.monotonic) at which the innermost enclosing deadline expires.
_current: ContextVar[float | None] = ContextVar("bria_tailored_deadline", default=None)


def _check_seconds(seconds: float) -> None:
    if not (seconds >= 0 and math.isfinite(seconds)):
        raise ValueError(f"a deadline must be a finite number of seconds >= 0, got {seconds!r}")


@contextmanager
def deadline(
    seconds: float | None, *, clock: Callable[[], float] = time.monotonic
) -> Iterator[None]:
    """Run the block under an overall deadline of ``seconds`` (``None``: no new limit).

    An enclosing, earlier deadline still applies; the earlier of the two wins.
    """
    if seconds is None:
        yield
        return
    _check_seconds(seconds)
    yield from _scope(clock() + seconds)


@contextmanager
def deadline_at(when: float | None) -> Iterator[None]:
    """Like :func:`deadline`, with the expiry given as a ``time.monotonic()`` value."""
    if when is None:
        yield
        return
    yield from _scope(when)


def _scope(when: float) -> Iterator[None]:
    outer = _current.get()
    token = _current.set(when if outer is None else min(outer, when))
    try:
        yield
    finally:
        _current.reset(token)


def current_deadline() -> float | None:
    """The innermost deadline in force (a ``time.monotonic()`` value), or ``None``."""
    return _current.get()


def remaining(when: float | None, clock: Callable[[], float] = time.monotonic) -> float | None:
    """Seconds left until ``when`` (negative once passed), ``None`` for no deadline."""
    return None if when is None else when - clock()


# The shortest timeout handed to a socket: 0 would make the socket non-blocking instead.
_MIN_SOCKET_TIMEOUT = 0.001


class DeadlineTimeouts(dict[str, Any]):
    """The ``timeout`` request extension of httpx, capped at the time left before a deadline.

    httpcore looks the timeout up again before every connect, write and read, so computing it on
    each lookup limits every single socket read to the remaining time: a server that drips its
    answer byte by byte cannot stretch the call past the deadline.
    """

    __slots__ = ("clock", "when")

    def __init__(
        self, phases: dict[str, Any], when: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        dict.__init__(self, phases)
        self.when = when
        self.clock = clock

    def _capped(self, value: Any) -> Any:
        left = max(_MIN_SOCKET_TIMEOUT, self.when - self.clock())
        return left if value is None else min(float(value), left)

    def get(self, key: str, default: Any = None) -> Any:
        return self._capped(super().get(key, default))

    def __getitem__(self, key: str) -> Any:
        return self._capped(super().__getitem__(key))
