"""The suite's webhook listener: where a target delivers the jobs the webhook rule submits.

Bria's Python SDK documents webhook deliveries (spec/clients/bria-clients.yaml ``webhooks``); the
suite checks them with a :class:`bria_mock.webhook_receiver.WebhookReceiver`. The embedded mock
delivers to it on loopback (its URL is allowed on the mock for the run); any other target needs a
URL it can reach that arrives at the listener (``--webhook-url``, with ``--webhook-listen`` for
where the listener binds, e.g. behind a tunnel).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from .target import Target


@dataclass(frozen=True)
class Listener:
    #: what the target is told to deliver to
    url: str
    receiver: Any


def _bind(listen: str | None) -> tuple[str, int]:
    if not listen:
        return "127.0.0.1", 0
    host, _, port = listen.rpartition(":")
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise pytest.UsageError(f"--webhook-listen must be HOST:PORT, got {listen!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def _embedded_mock(target: Target) -> Any:
    """The mock inside an in-process target (through any middleware wrapped around it)."""
    app: Any = target.app
    while app is not None and not hasattr(app, "state"):
        app = getattr(app, "app", None)
    return getattr(getattr(app, "state", None), "mock", None)


@contextlib.contextmanager
def listener(target: Target, url: str | None, listen: str | None) -> Iterator[Listener | None]:
    mock = _embedded_mock(target) if target.app is not None else None
    if url is None and mock is None:
        yield None
        return
    from bria_mock.webhook_receiver import WebhookReceiver

    host, port = _bind(listen)
    with WebhookReceiver(host, port) as receiver:
        public = url or receiver.url
        if mock is not None:
            prefix = public.rsplit("/", 1)[0]
            mock.config.allow_url_prefixes = (*mock.config.allow_url_prefixes, prefix)
        yield Listener(public, receiver)
