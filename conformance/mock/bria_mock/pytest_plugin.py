"""pytest fixtures for testing your own code against the mock.

Registered through the ``pytest11`` entry point of ``bria-mock``; it only declares fixtures, so
nothing happens (no import of the mock, no server) unless a test requests one:

``bria_mock``
    an :class:`~bria_mock.testing.InProcessMock`: ``clock.advance()``, ``reset()``,
    ``fail_training()``, ``rate_limit()``, ``unsafe_prompt()``, ``host_file()``, ``sleep`` …
``bria_client`` / ``bria_async_client``
    ``bria_tailored`` clients wired to ``bria_mock`` (sync calls go through a sync ASGI
    transport, async ones through ``httpx.ASGITransport``; either client serves both).
``bria_mock_server``
    a :class:`~bria_mock.testing.LoopbackMock` on ``127.0.0.1``, for code that opens its own
    connections; ``BRIA_BASE_URL`` and ``BRIA_API_TOKEN`` point at it for the test's duration.
``bria_mock_config``
    the ``MockConfig`` both mocks are built from; override it in your ``conftest.py``.
``bria_webhooks``
    a :class:`~bria_mock.webhook_receiver.WebhookReceiver` on a loopback port, allowed as a
    ``webhook_url`` on the mocks above (request it before them): submit with
    ``webhook_url=bria_webhooks.url``, then ``bria_webhooks.wait_for(request_id).verify(token)``.
    ``bria_mock_server`` delivers by itself; with ``bria_mock`` call ``deliver_webhooks()``.

A complete example: docs/examples/test_my_integration.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from bria_tailored import AuthenticatedClient

    from .config import MockConfig
    from .testing import InProcessMock, LoopbackMock
    from .webhook_receiver import WebhookReceiver


@pytest.fixture
def bria_mock_config() -> MockConfig:
    """Settings of the ``bria_mock`` and ``bria_mock_server`` fixtures (override to change)."""
    from .config import MockConfig

    return MockConfig()


@pytest.fixture
def bria_mock(bria_mock_config: MockConfig) -> Iterator[InProcessMock]:
    """A fresh in-process mock for one test."""
    from .testing import InProcessMock

    with InProcessMock(bria_mock_config) as mock:
        yield mock


@pytest.fixture
def bria_client(bria_mock: InProcessMock) -> AuthenticatedClient:
    """A client for ``sync`` / ``sync_detailed`` calls against ``bria_mock``."""
    return bria_mock.client()


@pytest.fixture
def bria_async_client(bria_mock: InProcessMock) -> AuthenticatedClient:
    """A client for ``asyncio`` / ``asyncio_detailed`` calls against ``bria_mock``."""
    return bria_mock.client()


@pytest.fixture
def bria_mock_server(
    bria_mock_config: MockConfig, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LoopbackMock]:
    """The mock on a loopback port; ``BRIA_BASE_URL`` / ``BRIA_API_TOKEN`` point at it."""
    from .testing import LoopbackMock

    with LoopbackMock(bria_mock_config) as server:
        monkeypatch.setenv("BRIA_BASE_URL", server.base_url)
        monkeypatch.setenv("BRIA_API_TOKEN", server.token)
        yield server


@pytest.fixture
def bria_webhooks(bria_mock_config: MockConfig) -> Iterator[WebhookReceiver]:
    """Receives the mock's webhook deliveries; its URL is allowed on ``bria_mock_config``."""
    from .webhook_receiver import WebhookReceiver

    with WebhookReceiver() as receiver:
        prefix = receiver.url.rsplit("/", 1)[0]
        bria_mock_config.allow_url_prefixes = (*bria_mock_config.allow_url_prefixes, prefix)
        yield receiver
