"""Webhook deliveries as Bria's Python SDK documents and verifies them (bria-client's
``submit(webhook_url=...)`` and ``verify_webhook_signature``; spec/clients/bria-clients.yaml).
The Tailored Generation documents do not mention webhooks: the evidence is the SDK. The rule needs
a listener the target can reach: the embedded mock always has one; other targets need
--webhook-url. It generates: against a live API it runs only with --allow-generation."""

from __future__ import annotations

import time
from typing import Any

import pytest
from bria_tailored.runtime import WebhookVerificationError, parse_webhook, verify_webhook

from bria_conformance.scenario import Scenario, expect, rule

from .test_generation import GEN, _poll

ENTRY = "webhooks.signed-delivery"


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog(ENTRY)
def test_a_job_submitted_with_a_webhook_url_is_delivered_signed(
    scenario: Scenario, webhook_listener: Any
) -> None:
    if webhook_listener is None:
        pytest.skip(
            "the webhook rule needs a URL this target can reach: pass --webhook-url "
            "(and --webhook-listen for where it arrives)"
        )
    model = scenario.trained_model()
    accepted = expect(
        scenario.api.post(
            GEN,
            json={
                "tailored_model_id": model["id"],
                "prompt": "a red cube",
                "webhook_url": webhook_listener.url,
            },
        ),
        202,
        ENTRY,
        "submitting a generation with webhook_url",
    )
    request_id = str(accepted["request_id"])
    final = _poll(scenario, accepted, ENTRY)
    if scenario.target.controls:
        # an in-process mock has no background sender: ask it to send what is due
        scenario._control("/_mock/webhooks/deliver")
    wait = 10.0 if scenario.target.controls else scenario.target.live_wait_seconds
    try:
        delivery = webhook_listener.receiver.wait_for(request_id, timeout=wait)
    except TimeoutError as exc:
        with rule(ENTRY):
            raise AssertionError(
                f"the job ended ({final.get('status')}) but nothing was delivered to the "
                f"webhook_url: {exc}"
            ) from None
    with rule(ENTRY):
        try:
            verify_webhook(delivery.body, delivery.headers, scenario.target.token)
        except WebhookVerificationError as exc:
            raise AssertionError(
                f"the delivery does not verify as bria-client's verify_webhook_signature "
                f"checks it: {exc.message}"
            ) from None
        try:
            status = parse_webhook(delivery.body)
        except WebhookVerificationError as exc:
            raise AssertionError(exc.message) from None
        assert status.request_id == request_id, (
            f"the delivery is for {status.request_id!r}, not the job {request_id!r}"
        )
        assert str(status.status) == final.get("status"), (
            f"the delivery says {status.status}, the status service {final.get('status')}"
        )
    time.sleep(0.5)
    again = [
        d
        for d in webhook_listener.receiver.deliveries
        if d.webhook_id == request_id and 200 <= d.answered < 300
    ]
    with rule(ENTRY):
        assert len(again) == 1, f"a job is delivered once, got {len(again)} deliveries"
