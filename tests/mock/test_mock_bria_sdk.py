"""Bria's own Python SDK, bria-client (a development dependency), against bria-mock on both
profiles, unmodified: run, submit + poll, the recreate round trip, error shapes, and a webhook
delivery that the SDK's own ``verify_webhook_signature`` accepts (spec/clients/bria-clients.yaml).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from bria_client import BriaSyncClient
from bria_client.toolkit import BriaResponse, Status, verify_webhook_signature
from bria_client.toolkit.errors import BriaException
from bria_mock import MockConfig
from bria_mock.testing import LoopbackMock
from bria_mock.webhook_receiver import WebhookReceiver
from mock_helpers import trained_sync

TOKEN = "sdk-org-token"
IMAGE = "image/generate/tailored"


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as rx:
        yield rx


@pytest.fixture(scope="module", params=["canonical", "documented"])
def server(request: pytest.FixtureRequest, receiver: WebhookReceiver) -> Iterator[LoopbackMock]:
    config = MockConfig(
        profile=request.param,
        tokens=(TOKEN,),
        # the SDK polls on the wall clock: jobs take generation_seconds / speed real seconds
        realtime=True,
        speed=200.0,
        allow_url_prefixes=(receiver.url.rsplit("/", 1)[0],),
    )
    with LoopbackMock(config, token=TOKEN) as mock:
        yield mock


@pytest.fixture(scope="module")
def model_id(server: LoopbackMock) -> int:
    with httpx.Client(base_url=server.base_url, headers={"api_token": TOKEN}) as client:
        return trained_sync(server, client)


@pytest.fixture
def sdk(server: LoopbackMock) -> Iterator[BriaSyncClient]:
    with BriaSyncClient(base_url=server.base_url, api_token=TOKEN) as client:
        yield client


def _image(url: str) -> bytes:
    response = httpx.get(url)
    assert response.status_code == 200, url
    return response.content


def test_run_answers_a_completed_result(sdk: BriaSyncClient, model_id: int) -> None:
    response = sdk.run(IMAGE, {"tailored_model_id": model_id, "prompt": "a fox"})
    assert response.error is None, response
    assert response.status == Status.COMPLETED and isinstance(response.request_id, str)
    assert response.result is not None
    assert response.result.image_url.startswith("http") and response.result.structured_prompt


def test_submit_then_poll(sdk: BriaSyncClient, model_id: int) -> None:
    submitted = sdk.submit(IMAGE, {"tailored_model_id": model_id, "prompt": "a fox"})
    assert submitted.status == Status.RUNNING and submitted.status_url, submitted
    assert sdk.status(submitted.request_id) in (Status.RUNNING, Status.COMPLETED)
    final = sdk.poll(submitted, interval=0.05, timeout=30)
    assert final.status == Status.COMPLETED and final.result is not None
    assert final.result.image_url.startswith("http")


def test_recreate_round_trip(sdk: BriaSyncClient, model_id: int, server: LoopbackMock) -> None:
    """Recreate from a result's structured prompt and seed, sent back as the SDK received them
    (the documented profile's status service writes the seed as a digit string)."""
    first = sdk.poll(
        sdk.submit(IMAGE, {"tailored_model_id": model_id, "prompt": "a red cube"}),
        interval=0.05,
        timeout=30,
    )
    assert first.result is not None
    seed = first.result.seed
    if server.config.profile == "documented":
        assert isinstance(seed, str) and seed.isdigit(), seed
    again = sdk.run(
        IMAGE,
        {
            "tailored_model_id": str(model_id),
            "structured_prompt": first.result.structured_prompt,
            "seed": seed,
        },
        raise_for_status=True,
    )
    assert again.result is not None
    assert _image(again.result.image_url) == _image(first.result.image_url)


def test_error_shapes(server: LoopbackMock, sdk: BriaSyncClient) -> None:
    missing = sdk.run(IMAGE, {"tailored_model_id": 987654, "prompt": "a fox"})
    assert missing.status == Status.FAILED and missing.error is not None
    # the v2 generation operations declare no 404: an unknown model is their 400
    assert missing.error.code == 400 and "987654" in missing.error.message
    with pytest.raises(BriaException):
        missing.raise_for_status()
    invalid = sdk.run(IMAGE, {"tailored_model_id": 1, "prompt": 5})
    assert invalid.error is not None and invalid.error.code == 400
    assert "prompt" in invalid.error.message
    with BriaSyncClient(base_url=server.base_url, api_token="not-a-token") as stranger:
        refused = stranger.run(IMAGE, {"tailored_model_id": 1, "prompt": "a fox"})
    assert refused.error is not None and refused.error.code == 401


def test_a_webhook_verified_by_the_sdk(
    sdk: BriaSyncClient, model_id: int, receiver: WebhookReceiver
) -> None:
    submitted = sdk.submit(
        IMAGE, {"tailored_model_id": model_id, "prompt": "a fox"}, webhook_url=receiver.url
    )
    assert submitted.error is None, submitted
    delivery = receiver.wait_for(submitted.request_id, timeout=30)
    headers = {k.lower(): v for k, v in delivery.headers.items()}
    assert verify_webhook_signature(
        payload=delivery.body,
        webhook_id=headers["bria-webhook-id"],
        timestamp=headers["bria-webhook-timestamp"],
        signature_header=headers["bria-webhook-signature"],
        api_token=TOKEN,
    )
    assert not verify_webhook_signature(
        payload=delivery.body,
        webhook_id=headers["bria-webhook-id"],
        timestamp=headers["bria-webhook-timestamp"],
        signature_header=headers["bria-webhook-signature"],
        api_token="another-token",
    )
    delivered: Any = BriaResponse.model_validate_json(delivery.body)
    assert delivered.request_id == submitted.request_id and delivered.status == Status.COMPLETED
