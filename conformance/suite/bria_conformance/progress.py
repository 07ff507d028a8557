"""Progress a person can follow on a long run: each check as it starts, and what it waits for.

Lines go to the terminal as they happen (pytest's capture does not hold them back): the phase and
catalog entries of each check, and while it waits, what for (training of model N, status of
request R) and for how long, at most every `EVERY` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: Seconds between two lines about the same wait.
EVERY = 10.0


@dataclass
class Progress:
    write: Callable[[str], None] | None = None
    _waits: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return self.write is not None

    def say(self, line: str) -> None:
        if self.write is not None:
            self.write(line)

    def check_started(self, phase: str, name: str, entries: tuple[str, ...]) -> None:
        self._waits.clear()
        shown = ", ".join(entries[:4]) + (f" (+{len(entries) - 4})" if len(entries) > 4 else "")
        self.say(f"[{phase}] {shown or name}  ({name})")

    def waiting(self, what: str, since: float, status: object = None) -> None:
        """Report a wait: the first time, then every `EVERY` seconds while it lasts."""
        now = time.monotonic()
        first, last = self._waits.get(what, (since, 0.0))
        if last and now - last < EVERY:
            return
        self._waits[what] = (first, now)
        seen = f"; last seen {status}" if status is not None else ""
        self.say(f"    waiting for {what}: {now - first:.0f} s{seen}")

    def done_waiting(self, what: str, status: object) -> None:
        started = self._waits.pop(what, None)
        if started is not None:
            self.say(f"    {what}: {status} after {time.monotonic() - started[0]:.0f} s")
