"""Scheduled work by kind: each kind is registered once, by the domain module that handles it.

A transaction schedules work by kind (``tx.schedule(due, CAPTIONS_DONE, data)``); the state runs
the kind's handler once the clock reaches ``due``. The state refuses to schedule, or to load
from a state file, a kind nobody registered, so no work is ever dropped unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..state import EventHandler

F = TypeVar("F", bound=Callable[..., None])

#: Every kind of scheduled work, with the function that does it.
HANDLERS: dict[str, EventHandler] = {}


def handles(kind: str) -> Callable[[F], F]:
    """Register the decorated function as the one handler of ``kind``."""

    def register(fn: F) -> F:
        if kind in HANDLERS:
            raise RuntimeError(f"two handlers for scheduled work of kind {kind!r}")
        HANDLERS[kind] = fn
        return fn

    return register
