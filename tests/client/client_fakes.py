"""A scripted in-memory Bria for client tests: httpx.MockTransport, a fake clock, recorded calls."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import httpx
from bria_tailored import AuthenticatedClient
from bria_tailored.runtime import RetryPolicy, make_client

TOKEN = "bria-secret-token-7Qx9Lm2Vz"
BASE_URL = "https://engine.test"

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def reply(
    status: int, body: Any = None, *, headers: dict[str, str] | None = None
) -> httpx.Response:
    """A JSON response (``body=None`` gives an empty body)."""
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


class FakeClock:
    """Monotonic time that only moves when something sleeps on it."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


class FakeBria:
    """Answers each (method, path) from a script; the last scripted reply repeats.

    Unscripted requests get 599 so that a test never passes by accident on a wrong route.
    """

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self._script: dict[tuple[str, str], list[Reply]] = defaultdict(list)
        self._served: dict[tuple[str, str], int] = defaultdict(int)

    def on(self, method: str, path: str, *replies: Reply) -> FakeBria:
        self._script[(method.upper(), path)].extend(replies)
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = (request.method, request.url.path)
        script = self._script.get(key)
        if not script:
            return reply(599, {"unscripted": f"{request.method} {request.url.path}"})
        index = min(self._served[key], len(script) - 1)
        self._served[key] += 1
        answer = script[index]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)

    def calls(self, method: str, path: str) -> int:
        return sum(1 for r in self.requests if r.method == method and r.url.path == path)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def no_jitter_policy(clock: FakeClock, **overrides: Any) -> RetryPolicy:
    options: dict[str, Any] = {
        "sleep": clock.sleep,
        "async_sleep": clock.async_sleep,
        "now": lambda: 1_700_000_000.0,
        "random": lambda: 0.0,
        "clock": clock.monotonic,
        **overrides,
    }
    return RetryPolicy(**options)


def client_for(server: FakeBria, clock: FakeClock, **policy: Any) -> AuthenticatedClient:
    return make_client(
        TOKEN,
        base_url=BASE_URL,
        transport=server.transport,
        retry=no_jitter_policy(clock, **policy),
    )
