"""Fixtures for the mock's tests: an in-process mock per test, clients that validate every
response against the normalized spec, and the generated client wired to the same app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from bria_mock import MockConfig, create_app
from bria_tailored import AuthenticatedClient
from mock_helpers import (
    BASE,
    TOKEN_A,
    TOKEN_B,
    Api,
    ClientFactory,
    ResponseValidator,
    ValidatingTransport,
    load_spec,
)
from starlette.applications import Starlette


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def spec_doc() -> dict[str, Any]:
    return load_spec()


@pytest.fixture(scope="session")
def validator(spec_doc: dict[str, Any]) -> ResponseValidator:
    checker = ResponseValidator(spec_doc)
    return checker


@pytest.fixture
def config() -> MockConfig:
    """Override per module/test to change the mock's options."""
    return MockConfig()


@pytest.fixture
def app(config: MockConfig) -> Starlette:
    return create_app(config)


@pytest.fixture
async def client_for(app: Starlette, validator: ResponseValidator) -> AsyncIterator[ClientFactory]:
    opened: list[httpx.AsyncClient] = []

    def make(token: str | None = TOKEN_A, target: Starlette | None = None) -> httpx.AsyncClient:
        transport = ValidatingTransport(httpx.ASGITransport(app=target or app), validator)
        headers = {"api_token": token} if token is not None else {}
        client = httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers)
        opened.append(client)
        return client

    yield make
    for client in opened:
        await client.aclose()


@pytest.fixture
def api(client_for: ClientFactory) -> Api:
    return Api(client_for(TOKEN_A))


@pytest.fixture
def other(client_for: ClientFactory) -> Api:
    return Api(client_for(TOKEN_B))


@pytest.fixture
async def bria(app: Starlette, validator: ResponseValidator) -> AsyncIterator[AuthenticatedClient]:
    """The generated client, talking to the in-process mock through the validating transport."""
    transport = ValidatingTransport(httpx.ASGITransport(app=app), validator)
    client = AuthenticatedClient(
        base_url=BASE,
        token=TOKEN_A,
        auth_header_name="api_token",
        prefix="",
        httpx_args={"transport": transport},
    )
    async with client:
        yield client
