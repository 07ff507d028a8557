"""Calls go to the right API version, carry the api_token header, and never leak the token."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from bria_tailored import AuthenticatedClient
from bria_tailored.api.dataset import download_dataset, get_dataset_by_id
from bria_tailored.api.image_generation import image_generate_tailored
from bria_tailored.api.model import get_model, start_training
from bria_tailored.api.status import get_status
from bria_tailored.api.video_generation import generate_video_from_tailored_image
from bria_tailored.models import ImageGenerationRequest, TrainingRequest, VideoGenerationRequest
from bria_tailored.runtime import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    APIStatusError,
    MissingTokenError,
    make_client,
    raise_for_status,
)
from client_fakes import BASE_URL, TOKEN, FakeBria, FakeClock, client_for, reply

MODEL = {"id": 7, "name": "m", "status": "InProgress"}


def test_training_and_management_calls_use_v1(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    server.on("GET", "/v1/tailored-gen/models/7", reply(200, MODEL))
    server.on("POST", "/v1/tailored-gen/models/7/start_training", reply(200, MODEL))
    server.on("GET", "/v1/tailored-gen/datasets/3", reply(200, {"id": 3}))
    server.on("GET", "/v1/datasets/3/download", reply(200, {"url": "https://x"}))

    assert get_model.sync_detailed(7, client=client).status_code == 200
    assert start_training.sync_detailed(7, client=client, body=TrainingRequest()).status_code == 200
    assert get_dataset_by_id.sync_detailed(3, client=client).status_code == 200
    # The upstream oddity: dataset download has no /tailored-gen prefix.
    assert download_dataset.sync_detailed(3, client=client).status_code == 200

    assert [str(r.url) for r in server.requests] == [
        f"{BASE_URL}/v1/tailored-gen/models/7",
        f"{BASE_URL}/v1/tailored-gen/models/7/start_training",
        f"{BASE_URL}/v1/tailored-gen/datasets/3",
        f"{BASE_URL}/v1/datasets/3/download",
    ]


def test_generation_and_status_calls_use_v2(server: FakeBria, client: AuthenticatedClient) -> None:
    accepted = {"request_id": "r1", "status_url": f"{BASE_URL}/v2/status/r1"}
    server.on("POST", "/v2/image/generate/tailored", reply(202, accepted))
    server.on("POST", "/v2/video/generate/tailored/image-to-video", reply(202, accepted))
    server.on("GET", "/v2/status/r1", reply(200, {"request_id": "r1", "status": "IN_PROGRESS"}))

    image = image_generate_tailored.sync_detailed(
        client=client, body=ImageGenerationRequest(tailored_model_id=7, prompt="a cat")
    )
    video = generate_video_from_tailored_image.sync_detailed(
        client=client, body=VideoGenerationRequest(tailored_model_id=7, image="https://i")
    )
    status = get_status.sync_detailed("r1", client=client)

    assert (image.status_code, video.status_code, status.status_code) == (202, 202, 200)
    assert [r.url.path for r in server.requests] == [
        "/v2/image/generate/tailored",
        "/v2/video/generate/tailored/image-to-video",
        "/v2/status/r1",
    ]


def test_default_base_url_is_the_production_root() -> None:
    client = make_client(TOKEN)
    assert client.get_httpx_client().base_url == httpx.URL("https://engine.prod.bria-api.com")
    assert DEFAULT_BASE_URL == "https://engine.prod.bria-api.com"


def test_token_is_sent_as_api_token_header(server: FakeBria, client: AuthenticatedClient) -> None:
    server.on("GET", "/v1/tailored-gen/models/7", reply(200, MODEL))
    get_model.sync_detailed(7, client=client)
    request = server.requests[0]
    assert request.headers["api_token"] == TOKEN
    assert "authorization" not in request.headers


def test_async_calls_send_the_header_through_the_same_client(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    server.on("GET", "/v1/tailored-gen/models/7", reply(200, MODEL))

    async def call() -> int:
        response = await get_model.asyncio_detailed(7, client=client)
        return int(response.status_code)

    assert asyncio.run(call()) == 200
    assert server.requests[0].headers["api_token"] == TOKEN


def test_token_comes_from_the_environment(
    server: FakeBria, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIA_API_TOKEN", "env-token-123456789")
    server.on("GET", "/v1/tailored-gen/models/7", reply(200, MODEL))
    client = make_client(base_url=BASE_URL, transport=server.transport)
    get_model.sync_detailed(7, client=client)
    assert server.requests[0].headers["api_token"] == "env-token-123456789"


def test_explicit_token_wins_over_the_environment(
    server: FakeBria, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIA_API_TOKEN", "env-token-123456789")
    server.on("GET", "/v1/tailored-gen/models/7", reply(200, MODEL))
    client = make_client(TOKEN, base_url=BASE_URL, transport=server.transport)
    get_model.sync_detailed(7, client=client)
    assert server.requests[0].headers["api_token"] == TOKEN


def test_missing_token_names_the_environment_variable() -> None:
    with pytest.raises(MissingTokenError, match="BRIA_API_TOKEN"):
        make_client()


@pytest.mark.parametrize("bad", ["", "   ", "abc def", "tok\nen"])
def test_malformed_token_is_refused_without_echoing_it(bad: str) -> None:
    with pytest.raises(MissingTokenError) as info:
        make_client(bad)
    if bad.strip():
        assert bad.strip() not in str(info.value)


def test_token_absent_from_reprs(server: FakeBria, client: AuthenticatedClient) -> None:
    server.on("GET", "/v1/tailored-gen/models/7", reply(200, MODEL))
    get_model.sync_detailed(7, client=client)  # builds the httpx client, headers included
    for text in (repr(client), str(client), repr(client.get_httpx_client())):
        assert TOKEN not in text


def test_token_absent_from_logs_even_at_debug(
    server: FakeBria, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.on("GET", "/v1/tailored-gen/models/7", reply(503), reply(200, MODEL))
    client = client_for(server, clock)
    get_model.sync_detailed(7, client=client)
    assert server.calls("GET", "/v1/tailored-gen/models/7") == 2
    assert any("retrying GET" in r.getMessage() for r in caplog.records)
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
    assert TOKEN not in caplog.text


def test_token_echoed_by_the_server_is_redacted_from_errors(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    body = {
        "error": {"code": 401, "message": f"bad api_token {TOKEN}", "details": TOKEN},
        "request_id": "q1",
    }
    server.on("GET", "/v1/tailored-gen/models/7", reply(401, body))
    with pytest.raises(APIStatusError) as info:
        raise_for_status(get_model.sync_detailed(7, client=client))
    error = info.value
    for text in (str(error), repr(error), error.message, *map(str, error.args)):
        assert TOKEN not in text
    assert "[REDACTED]" in str(error)


def test_timeout_defaults_and_overrides() -> None:
    # A number is an overall deadline (kept by the retry transport); connecting gets <= 10 s.
    assert make_client(TOKEN).get_httpx_client().timeout == httpx.Timeout(
        DEFAULT_TIMEOUT, connect=10.0
    )
    assert make_client(TOKEN, timeout=3).get_httpx_client().timeout == httpx.Timeout(3.0)
    custom = httpx.Timeout(5.0, connect=1.0)
    assert make_client(TOKEN, timeout=custom).get_httpx_client().timeout == custom


def test_proxy_environment_is_honoured_unless_bypassed(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx ignores proxy variables once a transport is given, so make_client reads them.
    from bria_tailored.runtime.client import _environment_proxy

    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert _environment_proxy(DEFAULT_BASE_URL) is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    assert _environment_proxy(DEFAULT_BASE_URL) == "http://proxy.internal:3128"
    monkeypatch.setenv("NO_PROXY", "engine.prod.bria-api.com")
    assert _environment_proxy(DEFAULT_BASE_URL) is None
