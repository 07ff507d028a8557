"""bria_tailored.runtime.webhooks: the verifier accepts what Bria's SDK accepts, nothing else."""

from __future__ import annotations

import json

import pytest
from bria_tailored.models import RequestState
from bria_tailored.runtime import (
    WebhookVerificationError,
    is_valid_signature,
    parse_webhook,
    verify_webhook,
)
from bria_tailored.runtime.webhooks import sign, signature_headers, signing_key

# The cross-repository contract vector of Bria's SDK (Bria-AI/bria-client at 28736cd,
# tests/unit/toolkit/test_webhook_verification.py): token, id, timestamp, body and the
# signature its verify_webhook_signature accepts.
VECTOR_TOKEN = "contract-test-shared-token"
VECTOR_ID = "req_contract_test_001"
VECTOR_TIMESTAMP = "1700000000"
VECTOR_BODY = (
    b'{"status":"COMPLETED","result":{"url":"https://cdn.bria.ai/final.png"},'
    b'"request_id":"req_contract_test_001"}'
)
VECTOR_SIGNATURE = "v1=muClfnkuIXEqW69htILKVEwJdzC0LWB1tP53ptLm7SM="


def _headers(signature: str = VECTOR_SIGNATURE) -> dict[str, str]:
    return {
        "Bria-Webhook-Id": VECTOR_ID,
        "Bria-Webhook-Timestamp": VECTOR_TIMESTAMP,
        "Bria-Webhook-Signature": signature,
    }


def test_the_sdk_contract_vector_verifies_and_is_signed_alike() -> None:
    verified = verify_webhook(VECTOR_BODY, _headers(), VECTOR_TOKEN, now=1_700_000_010)
    assert verified.webhook_id == VECTOR_ID and verified.timestamp == 1_700_000_000
    key = signing_key(VECTOR_TOKEN)
    assert sign(key, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY) == VECTOR_SIGNATURE
    assert signature_headers(key, VECTOR_ID, VECTOR_BODY, 1_700_000_000.7) == _headers()


def test_header_names_are_case_insensitive_and_one_good_token_suffices() -> None:
    headers = {k.lower(): v for k, v in _headers(f"v1=bad, {VECTOR_SIGNATURE}").items()}
    assert is_valid_signature(VECTOR_BODY, headers, VECTOR_TOKEN, now=1_700_000_000)


@pytest.mark.parametrize(
    ("body", "headers", "token", "now", "message"),
    [
        (VECTOR_BODY, _headers(), "another-token", 1_700_000_000, "does not match"),
        (VECTOR_BODY + b" ", _headers(), VECTOR_TOKEN, 1_700_000_000, "does not match"),
        (VECTOR_BODY, _headers("v1=" + "A" * 44), VECTOR_TOKEN, 1_700_000_000, "does not match"),
        (VECTOR_BODY, _headers(VECTOR_SIGNATURE[3:]), VECTOR_TOKEN, 1_700_000_000, "not match"),
        (VECTOR_BODY, _headers(), VECTOR_TOKEN, 1_700_000_000 + 301, "tolerance"),
        (VECTOR_BODY, _headers(), VECTOR_TOKEN, 1_700_000_000 - 301, "tolerance"),
        (VECTOR_BODY, {"Bria-Webhook-Id": VECTOR_ID}, VECTOR_TOKEN, 1_700_000_000, "Timestamp"),
        (
            VECTOR_BODY,
            {**_headers(), "Bria-Webhook-Timestamp": "17e8"},
            VECTOR_TOKEN,
            1_700_000_000,
            "Unix seconds",
        ),
    ],
)
def test_anything_else_is_refused_with_a_reason(
    body: bytes, headers: dict[str, str], token: str, now: float, message: str
) -> None:
    with pytest.raises(WebhookVerificationError, match=message):
        verify_webhook(body, headers, token, now=now)
    assert not is_valid_signature(body, headers, token, now=now)


def test_the_delivered_body_parses_into_the_status_model() -> None:
    body = {
        "request_id": "r1",
        "status": "COMPLETED",
        "result": {"image_url": "https://x/a.png", "seed": "42", "structured_prompt": "{}"},
    }
    status = parse_webhook(json.dumps(body).encode())
    assert status.status is RequestState.COMPLETED and status.result
    assert status.result.seed == 42, "the status service's digit-string seed is read as an int"
    failed = parse_webhook(
        b'{"request_id": "r2", "status": "ERROR", '
        b'"error": {"code": 422, "message": "blocked", "details": "x"}}'
    )
    assert failed.status is RequestState.ERROR and failed.error and failed.error.code == 422
    for bad in (b"not json", b"[]", b'{"status": "COMPLETED"}'):
        with pytest.raises(WebhookVerificationError):
            parse_webhook(bad)
