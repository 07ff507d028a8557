"""Waiting out 429 Too Many Requests, for every request the suite sends.

A rate limit is the target protecting itself, not an answer to the request: whatever phase sent
it (a scenario, the world, the state machine, a Schemathesis case or one of Schemathesis' own
auth probes), a 429 is waited out and the same request sent again, so it is never judged and
never reported as a violation. Only the rate-limit rule's own test looks at 429s (it sends with
``retry_429=False``).

Bria's documents promise no ``Retry-After``; when the header is there it is honoured, otherwise
the wait doubles from the target's base delay. A request still refused after
``MAX_WAIT_SECONDS`` of waiting ends its test as skipped (the rule could not be observed),
never as failed — and the run does not hammer a limit it cannot outwait.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from bria_tailored.runtime import parse_retry_after

#: Longest single wait, whether the server asked for it or the doubling reached it.
MAX_DELAY_SECONDS = 60.0
#: Longest total wait for one request before its test is skipped as "rate limited".
MAX_WAIT_SECONDS = 300.0

R = TypeVar("R")


class Throttle:
    """How long to wait after each 429, and how many were waited out in this run."""

    def __init__(self, base_delay: float = 1.0) -> None:
        self.base_delay = base_delay
        self.waited = 0
        self.seconds = 0.0

    def delay(self, attempt: int, headers: Any) -> float:
        hinted = parse_retry_after(headers)
        if hinted is None:
            # Doubling with a little jitter, so parallel runs on one account do not retry in step.
            hinted = self.base_delay * 2**attempt * random.uniform(1.0, 1.25)
        return min(max(hinted, 0.0), MAX_DELAY_SECONDS)

    def send(
        self,
        send: Callable[[], R],
        status: Callable[[R], int],
        headers: Callable[[R], Any],
        what: str,
    ) -> R:
        """``send()`` until its answer is not a 429; skip the running test if it never is."""
        spent = 0.0
        attempt = 0
        while True:
            response = send()
            if status(response) != 429:
                return response
            wait = self.delay(attempt, headers(response))
            if spent + wait > MAX_WAIT_SECONDS:
                pytest.skip(
                    f"rate limited: {what} was answered 429 for {spent:.0f} s of waiting; the "
                    "rules it checks were not observed (run again when the limit has reset)"
                )
            self.waited += 1
            self.seconds += wait
            time.sleep(wait)
            spent += wait
            attempt += 1


class RetryingTransport:
    """A Schemathesis transport that waits out 429s (see `Throttle`), wrapping another one.

    Schemathesis sends its own requests too (the ``ignored_auth`` check probes each operation
    without and with a wrong token): they go through the schema's transport, so wrapping it is
    what keeps them from being judged on a 429.
    """

    def __init__(self, inner: Any, throttle: Throttle) -> None:
        self._inner = inner
        self._throttle = throttle

    def send(self, case: Any, *args: Any, **kwargs: Any) -> Any:
        return self._throttle.send(
            lambda: self._inner.send(case, *args, **kwargs),
            lambda r: int(r.status_code),
            schemathesis_headers,
            f"{case.method.upper()} {case.formatted_path}",
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def schemathesis_headers(response: Any) -> dict[str, str]:
    """Schemathesis keeps a list of values per lower-case header name; take the first."""
    return {
        str(k).lower(): (v[0] if isinstance(v, list) and v else v)
        for k, v in dict(response.headers).items()
    }


def wrap_schema_transport(schema: Any, throttle: Throttle) -> None:
    """Make every request ``schema`` sends (cases and Schemathesis' probes) wait out 429s."""
    from schemathesis import transport

    base = type(schema)

    def retrying(self: Any) -> RetryingTransport:
        return RetryingTransport(transport.get(self.app), throttle)

    schema.__class__ = type(base.__name__, (base,), {"transport": property(retrying)})
