"""Webhook deliveries, as Bria's SDK verifies them: check the signature, then read the body.

A v2 job submitted with ``webhook_url`` is POSTed to that URL when it reaches a terminal state.
Bria's Python SDK (``bria_client.toolkit.verify_webhook_signature``; spec/clients/bria-clients.yaml
``webhooks``) checks three headers:

* ``Bria-Webhook-Id``: the job's request_id;
* ``Bria-Webhook-Timestamp``: Unix seconds;
* ``Bria-Webhook-Signature``: comma-separated ``v1=<base64>`` tokens, one of which must be
  base64(HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")), where the key is
  HMAC-SHA256(key = the api_token, message = "bria-webhook-signing-v1").

:func:`verify_webhook` checks the same, compares in constant time, and also refuses a timestamp
outside ``tolerance`` seconds of now, so a captured delivery cannot be replayed later (the SDK
does not check the time). :func:`parse_webhook` reads the body into the generated client's
:class:`~bria_tailored.models.RequestStatus`, the status service's answer.

::

    from bria_tailored.runtime import parse_webhook, verify_webhook

    def receive(body: bytes, headers: Mapping[str, str]) -> None:
        verify_webhook(body, headers, api_token=os.environ["BRIA_API_TOKEN"])  # raises if forged
        status = parse_webhook(body)
        if status.status is RequestState.COMPLETED: ...
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import BriaError

if TYPE_CHECKING:
    from ..models import RequestStatus

ID_HEADER = "Bria-Webhook-Id"
TIMESTAMP_HEADER = "Bria-Webhook-Timestamp"
SIGNATURE_HEADER = "Bria-Webhook-Signature"
SIGNING_SALT = b"bria-webhook-signing-v1"
#: Seconds a delivery's timestamp may lie from the receiver's clock.
DEFAULT_TOLERANCE = 300.0


class WebhookVerificationError(BriaError):
    """A delivery that is not signed with your api_token, or is too old or too new."""


def signing_key(api_token: str) -> bytes:
    """The key deliveries for ``api_token`` are signed with."""
    return hmac.new(api_token.encode("utf-8"), SIGNING_SALT, hashlib.sha256).digest()


def sign(key: bytes, webhook_id: str, timestamp: str, payload: bytes) -> str:
    """The ``v1=<base64>`` token for one delivery, signed with ``key`` (see :func:`signing_key`)."""
    message = webhook_id.encode("utf-8") + b"." + timestamp.encode("utf-8") + b"." + payload
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return "v1=" + base64.b64encode(digest).decode("ascii")


def signature_headers(key: bytes, webhook_id: str, payload: bytes, now: float) -> dict[str, str]:
    """The three headers of a delivery of ``payload`` signed at ``now`` (Unix seconds)."""
    timestamp = str(int(now))
    return {
        ID_HEADER: webhook_id,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(key, webhook_id, timestamp, payload),
    }


@dataclass(frozen=True)
class VerifiedDelivery:
    webhook_id: str
    timestamp: int


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    raise WebhookVerificationError(f"the delivery has no {name} header; it is not from Bria")


def verify_webhook(
    payload: bytes,
    headers: Mapping[str, str],
    api_token: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> VerifiedDelivery:
    """Check a delivery's signature and age; raise :class:`WebhookVerificationError` if either
    is wrong. ``payload`` is the raw request body, exactly as received."""
    webhook_id = _header(headers, ID_HEADER)
    timestamp = _header(headers, TIMESTAMP_HEADER).strip()
    signatures = _header(headers, SIGNATURE_HEADER)
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        raise WebhookVerificationError(
            f"{TIMESTAMP_HEADER} must be Unix seconds, got {timestamp[:40]!r}"
        )
    expected = sign(signing_key(api_token), webhook_id, timestamp, payload).encode("ascii")
    matched = False
    for token in signatures.split(","):
        candidate = token.strip().encode("utf-8", "replace")
        # every token is compared, so the time taken does not tell which one matched
        matched = hmac.compare_digest(candidate, expected) or matched
    if not matched:
        raise WebhookVerificationError(
            "the signature does not match: the delivery was not signed with this api_token, "
            "or its body was changed on the way"
        )
    age = (time.time() if now is None else now) - int(timestamp)
    if abs(age) > tolerance:
        raise WebhookVerificationError(
            f"the delivery was signed {age:+.0f} s from now, outside the {tolerance:.0f} s "
            "tolerance: a replay, or a clock that is off"
        )
    return VerifiedDelivery(webhook_id, int(timestamp))


def is_valid_signature(
    payload: bytes,
    headers: Mapping[str, str],
    api_token: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """:func:`verify_webhook` as a yes/no answer."""
    try:
        verify_webhook(payload, headers, api_token, tolerance=tolerance, now=now)
    except WebhookVerificationError:
        return False
    return True


def parse_webhook(payload: bytes) -> RequestStatus:
    """The delivered job status as the generated client's ``RequestStatus`` (the status
    service's answer; a digit-string seed is read as an integer)."""
    from ..models import RequestStatus

    try:
        data = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WebhookVerificationError(f"the delivered body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise WebhookVerificationError("the delivered body is not a JSON object")
    try:
        return RequestStatus.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise WebhookVerificationError(
            f"the delivered body is not a job status ({type(exc).__name__}: {exc})"
        ) from None
