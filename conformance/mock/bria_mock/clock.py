"""The mock's notion of time.

Training takes hours at Bria, so long work is scheduled on a clock that tests move by hand
(``POST /_mock/clock/advance``). In real-time mode the clock also runs by itself, ``speed`` times
faster than the wall clock, for interactive use.
"""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime


class Clock:
    def __init__(self, start: float | None = None, realtime: bool = False, speed: float = 1.0):
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.realtime = realtime
        self.speed = speed
        self._origin = time.time() if start is None else start
        self._mono_origin = time.monotonic()
        self._offset = 0.0

    def now(self) -> float:
        running = (time.monotonic() - self._mono_origin) * self.speed if self.realtime else 0.0
        return self._origin + self._offset + running

    def pacing_now(self) -> float:
        """Time for request pacing (rate limits): real seconds, plus any manual advance.

        Rate limits are about how fast a client calls, so they follow the wall clock even when
        the mock's clock is virtual; advancing the clock also ends a window early, for tests.
        """
        return time.monotonic() + self._offset

    def advance(self, seconds: float, *, rewind: bool = False) -> float:
        """Move forward; ``rewind`` only undoes an advance whose effects could not be saved."""
        if seconds < 0 and not rewind:
            raise ValueError("the clock only moves forward")
        self._offset += seconds
        return self.now()

    def restore(self, now: float) -> None:
        """Continue from a persisted instant (a restart never moves time backwards)."""
        self._origin = now
        self._mono_origin = time.monotonic()
        self._offset = 0.0


@functools.lru_cache(maxsize=65536)
def iso(ts: float) -> str:
    """RFC 3339 UTC timestamp with millisecond precision (records repeat theirs: cached)."""
    dt = datetime.fromtimestamp(ts, tz=UTC)
    return (
        f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:"
        f"{dt.second:02d}.{dt.microsecond // 1000:03d}Z"
    )
