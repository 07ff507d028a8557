"""What the suite talks to: the embedded mock, a mock server, or the live API.

A `Target` says how to reach the server, with which credentials, and what the suite may do there.
Against the live API the suite is read-only unless writes are allowed, and never starts a paid
training or generation without its own explicit permission.
"""

from __future__ import annotations

import secrets
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

ASGIApp = Any

#: Host name used for in-process (ASGI) targets; requests never leave the process.
ASGI_BASE_URL = "http://bria-mock.invalid"


class TargetUnreachable(Exception):
    """The target did not answer at all (connection refused, DNS failure, timeout)."""


@dataclass(frozen=True)
class Permissions:
    writes: bool = False
    training: bool = False
    generation: bool = False

    @classmethod
    def everything(cls) -> Permissions:
        return cls(writes=True, training=True, generation=True)


@dataclass(frozen=True)
class Target:
    label: str
    base_url: str
    token: str
    #: A second organization's token, for isolation tests (None: those tests are skipped).
    other_token: str | None = None
    app: ASGIApp | None = None
    #: The target offers the mock's control endpoints (virtual clock, reset).
    controls: bool = False
    permissions: Permissions = field(default_factory=Permissions)
    #: Every resource the suite creates is named with this prefix, so leftovers are recognisable.
    name_prefix: str = "bria-conformance-"
    #: Builds a twin of this target whose rate limit is small enough to observe a 429.
    rate_limited: Callable[[int], Target] | None = None
    #: Virtual seconds a mock may take to finish long work before the suite calls it stuck.
    virtual_timeout: float = 2 * 24 * 3600.0
    #: Wall-clock seconds a live run waits for asynchronous work before skipping the rule.
    live_wait_seconds: float = 60.0
    #: A prompt this target's moderation refuses (known for the mock only).
    moderation_probe: str | None = None
    #: Where the suite's file server listens, as the target reaches it (None: 127.0.0.1, any
    #: free port). Archives of bulk uploads are fetched from it when multipart is refused.
    serve_files_url: str | None = None
    #: First wait after a 429 without `Retry-After`, in seconds (it doubles; see throttle.py).
    rate_limit_backoff: float = 1.0
    #: Minimum images to complete a dataset (the bundle: 5; the older bria-guide-v1.md: 1).
    completion_min_images: int = 5

    @property
    def is_live(self) -> bool:
        return not self.controls

    def http_client(self, timeout: float = 30.0) -> httpx.Client:
        if self.app is not None:
            return asgi_client(self.app, self.base_url)
        return httpx.Client(base_url=self.base_url, timeout=timeout, follow_redirects=False)


def asgi_client(app: Any, base_url: str = ASGI_BASE_URL) -> httpx.Client:
    """A synchronous client of an in-process ASGI app (Starlette's test client; entered with
    ``with``, it runs the app's lifespan). Server exceptions become 500 responses: a crash is a
    finding, not a suite error."""
    with warnings.catch_warnings():
        # Starlette announces a future switch to httpx2; httpx is what this project pins.
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    return TestClient(app, base_url=base_url, raise_server_exceptions=False)


def random_token(label: str) -> str:
    return f"{label}-{secrets.token_hex(12)}"


def probe(target: Target) -> None:
    """Raise TargetUnreachable unless the target answers HTTP at all."""
    if target.app is not None:
        return
    try:
        with httpx.Client(base_url=target.base_url, timeout=10.0) as client:
            client.get("/v1/tailored-gen/projects")
    except httpx.HTTPError as exc:
        raise TargetUnreachable(
            f"{target.base_url} did not answer: {type(exc).__name__}: {exc}"
        ) from exc


def has_mock_controls(base_url: str) -> bool:
    """True when the server offers the mock's virtual clock (read with a harmless GET)."""
    try:
        with httpx.Client(base_url=base_url, timeout=10.0) as client:
            response = client.get("/_mock/clock")
    except httpx.HTTPError:
        return False
    if response.status_code != 200:
        return False
    try:
        return isinstance(response.json(), dict) and "now" in response.json()
    except ValueError:
        return False
