from __future__ import annotations

import pytest
from bria_tailored import AuthenticatedClient
from client_fakes import FakeBria, FakeClock, client_for


@pytest.fixture
def server() -> FakeBria:
    return FakeBria()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(server: FakeBria, clock: FakeClock) -> AuthenticatedClient:
    return client_for(server, clock)


@pytest.fixture(autouse=True)
def _no_token_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's real key must never leak into (or change the outcome of) these tests.
    monkeypatch.delenv("BRIA_API_TOKEN", raising=False)
    monkeypatch.delenv("BRIA_BASE_URL", raising=False)
