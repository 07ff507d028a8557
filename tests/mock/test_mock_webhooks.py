"""Webhook deliveries (catalog entry webhooks.signed-delivery; domain/webhooks.py, webhooks.py):
a v2 job submitted with webhook_url is POSTed, signed as Bria's SDK verifies it, once it ends."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from bria_mock import MockConfig
from bria_mock.testing import InProcessMock, LoopbackMock
from bria_mock.webhook_receiver import WebhookReceiver
from bria_tailored.models import RequestState
from bria_tailored.runtime import WebhookVerificationError, parse_webhook, verify_webhook
from mock_helpers import TOKEN_A, Api, trained_sync

pytestmark = pytest.mark.anyio

GEN = "/v2/image/generate/tailored"


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as rx:
        yield rx


def _prefix(url: str) -> str:
    return url.rsplit("/", 1)[0]


@pytest.fixture
def config(receiver: WebhookReceiver) -> MockConfig:
    return MockConfig(allow_url_prefixes=(_prefix(receiver.url),), webhook_backoff_seconds=1.0)


async def _submit(api: Api, model_id: int, url: str) -> str:
    r = await api.c.post(
        GEN, json={"tailored_model_id": model_id, "prompt": "a fox", "webhook_url": url}
    )
    assert r.status_code == 202, r.text
    return str(r.json()["request_id"])


async def _deliver(api: Api) -> list[dict[str, Any]]:
    r = await api.c.post("/_mock/webhooks/deliver")
    assert r.status_code == 200, r.text
    return list(r.json()["deliveries"])


async def _listing(api: Api) -> dict[str, dict[str, Any]]:
    r = await api.c.get("/_mock/webhooks")
    return {d["request_id"]: d for d in r.json()["deliveries"]}


async def test_a_finished_job_is_delivered_once_signed_with_the_token(
    api: Api, receiver: WebhookReceiver
) -> None:
    model = await api.trained()
    request_id = await _submit(api, model["id"], receiver.url)
    assert await _deliver(api) == [], "nothing is sent while the job runs"
    assert (await _listing(api))[request_id]["state"] == "waiting"
    await api.advance(3600)
    sent = await _deliver(api)
    assert [d["request_id"] for d in sent] == [request_id] and sent[0]["state"] == "delivered"
    delivery = receiver.wait_for(request_id, timeout=5)
    verified = verify_webhook(delivery.body, delivery.headers, TOKEN_A)
    assert verified.webhook_id == request_id
    assert abs(verified.timestamp - time.time()) < 60
    status = parse_webhook(delivery.body)
    assert status.request_id == request_id and status.status is RequestState.COMPLETED
    polled = (await api.c.get(f"/v2/status/{request_id}")).json()
    assert json.loads(delivery.body) == polled, "the delivery is the status service's answer"
    with pytest.raises(WebhookVerificationError, match="signature"):
        verify_webhook(delivery.body, delivery.headers, "another-token")
    with pytest.raises(WebhookVerificationError, match="signature"):
        verify_webhook(delivery.body + b" ", delivery.headers, TOKEN_A)
    with pytest.raises(WebhookVerificationError, match="tolerance"):
        verify_webhook(delivery.body, delivery.headers, TOKEN_A, now=time.time() + 3600)
    await api.advance(60)
    assert await _deliver(api) == [] and len(receiver.deliveries) == 1, "sent once"
    listed = (await _listing(api))[request_id]
    assert listed["state"] == "delivered" and len(listed["attempts"]) == 1
    assert "signing_key" not in listed and TOKEN_A not in json.dumps(listed)
    await api.advance(2 * 24 * 3600)
    assert await _listing(api) == {}, "forgotten with its job"


async def test_retried_with_backoff_on_5xx_then_delivered(
    api: Api, receiver: WebhookReceiver
) -> None:
    model = await api.trained()
    receiver.answer_next(500, 503)
    request_id = await _submit(api, model["id"], receiver.url)
    await api.advance(3600)
    for _ in range(3):
        await _deliver(api)
    attempts = (await _listing(api))[request_id]["attempts"]
    assert [a["status"] for a in attempts] == [500, 503, 200]
    assert [a["outcome"] for a in attempts] == ["retry", "retry", "delivered"]
    assert [d.answered for d in receiver.deliveries] == [500, 503, 200]
    bodies = {d.body for d in receiver.deliveries}
    assert len(bodies) == 1, "every attempt sends the same body"


async def test_a_4xx_fails_at_once_and_connection_errors_are_retried_until_the_limit(
    client_for: Any, receiver: WebhookReceiver, tmp_path: Path
) -> None:
    dead = WebhookReceiver()
    dead_url = dead.url
    dead.close()  # nothing listens there any more: a connection error
    config = MockConfig(
        allow_url_prefixes=(_prefix(receiver.url), _prefix(dead_url)), webhook_attempts=3
    )
    with InProcessMock(config, token=TOKEN_A) as mock:
        api = Api(
            httpx.AsyncClient(
                transport=mock.async_transport,
                base_url=mock.base_url,
                headers={"api_token": TOKEN_A},
            )
        )
        model = await api.trained()
        receiver.answer_next(410)
        gone = await _submit(api, model["id"], receiver.url)
        unreachable = await _submit(api, model["id"], dead_url)
        await api.advance(3600)
        for _ in range(4):
            await _deliver(api)
        listed = await _listing(api)
        assert listed[gone]["state"] == "failed" and len(listed[gone]["attempts"]) == 1
        attempts = listed[unreachable]["attempts"]
        assert listed[unreachable]["state"] == "failed" and len(attempts) == 3
        assert all(a["status"] is None and "connection" in a["error"] for a in attempts)
        await api.c.aclose()


async def test_the_url_must_be_allowed_and_a_refused_submit_keeps_nothing(api: Api) -> None:
    model = await api.trained()
    for url, words in (("http://203.0.113.9/hook", "--allow-url"), ("not a url", "http(s)")):
        r = await api.c.post(
            GEN, json={"tailored_model_id": model["id"], "prompt": "a fox", "webhook_url": url}
        )
        assert r.status_code == 400 and words in r.json()["error"]["message"], r.text
    assert await _listing(api) == {}


@pytest.mark.parametrize("config", [MockConfig(webhook_queue_size=1)])
async def test_the_queue_is_bounded(
    api: Api, receiver: WebhookReceiver, config: MockConfig
) -> None:
    config.allow_url_prefixes = (_prefix(receiver.url),)
    model = await api.trained()
    first = await _submit(api, model["id"], receiver.url)
    r = await api.c.post(
        GEN, json={"tailored_model_id": model["id"], "prompt": "b", "webhook_url": receiver.url}
    )
    assert r.status_code == 429 and "webhook" in r.text
    assert list(await _listing(api)) == [first]


def test_nothing_lost_or_sent_twice_across_a_restart(
    receiver: WebhookReceiver, tmp_path: Path
) -> None:
    config = MockConfig(
        allow_url_prefixes=(_prefix(receiver.url),), state_path=str(tmp_path / "state.db")
    )
    with InProcessMock(config, token=TOKEN_A) as mock:
        client = httpx.Client(
            transport=mock.sync_transport, base_url=mock.base_url, headers={"api_token": TOKEN_A}
        )
        model_id = trained_sync(mock, client)
        r = client.post(
            GEN, json={"tailored_model_id": model_id, "prompt": "a", "webhook_url": receiver.url}
        )
        request_id = r.json()["request_id"]
        mock.clock.advance(3600)
    with InProcessMock(config, token=TOKEN_A) as mock:
        assert [d["state"] for d in mock.webhooks()] == ["pending"], "kept across the restart"
        mock.deliver_webhooks()
        assert receiver.wait_for(request_id, timeout=5)
    with InProcessMock(config, token=TOKEN_A) as mock:
        assert [d["state"] for d in mock.webhooks()] == ["delivered"]
        assert mock.deliver_webhooks() == []
    assert len(receiver.deliveries) == 1


def test_a_running_server_delivers_by_itself(receiver: WebhookReceiver) -> None:
    config = MockConfig(allow_url_prefixes=(_prefix(receiver.url),), profile="documented")
    with LoopbackMock(config, token=TOKEN_A) as server:
        client = httpx.Client(base_url=server.base_url, headers={"api_token": TOKEN_A})
        model_id = trained_sync(server, client)
        r = client.post(
            GEN, json={"tailored_model_id": model_id, "prompt": "a", "webhook_url": receiver.url}
        )
        request_id = r.json()["request_id"]
        server.clock.advance(3600)
        delivery = receiver.wait_for(request_id, timeout=10)
        status = delivery.verify(TOKEN_A)
        assert status.status is RequestState.COMPLETED
        # the documented profile writes the status service's seed as a digit string
        assert isinstance(json.loads(delivery.body)["result"]["seed"], str)
        client.close()
