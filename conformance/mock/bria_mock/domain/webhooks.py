"""Webhook deliveries: a v2 job submitted with ``webhook_url`` is POSTed to it when it ends.

Bria's Python SDK documents the behaviour (spec/clients/bria-clients.yaml ``webhooks``): the job's
final status, signed so ``bria_client.toolkit.verify_webhook_signature`` accepts it, answered
2xx within 10 seconds. The rules here are the mock's:

* the URL must be a well-formed http(s) URL under an ``--allow-url`` prefix (400 otherwise, so
  the mock never becomes a way to reach arbitrary hosts);
* one delivery per job, keyed by its request_id, held in the state (a restart loses none and
  sends none twice); it waits while the job runs and becomes due when the job is COMPLETED or
  ERROR (asynchronous jobs only: a sync answer already carries the result);
* at most ``webhook_queue_size`` deliveries wait or are due at once; a submit beyond that is 429;
* an attempt answered 2xx delivers it; 5xx, a timeout or a connection error is retried after
  ``webhook_backoff_seconds`` doubling per attempt, up to ``webhook_attempts`` attempts; any other
  answer (a 4xx, a redirect) fails it at once;
* the signing key is derived from the submitting api_token and kept; the token itself is not;
* a delivered or failed delivery is forgotten when its job expires from the status service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Literal

from ..config import MockConfig
from ..errors import ApiError
from ..fetch import parse_url
from ..records import Stored
from ..state import Transaction

Outcome = Literal["delivered", "retry", "failed"]


class DeliveryStatus(StrEnum):
    WAITING = "waiting"  # the job runs
    PENDING = "pending"  # due, or awaiting a retry
    DELIVERED = "delivered"
    FAILED = "failed"


OPEN = (DeliveryStatus.WAITING, DeliveryStatus.PENDING)


@dataclass
class WebhookDelivery(Stored):
    """A job's final status to POST to its ``webhook_url``: one per job, keyed by its request_id.
    ``signing_key`` is the key derived from the submitting api_token (hex); the token itself is
    not kept. Times in ``attempts`` and ``next_attempt_at`` are wall-clock Unix seconds:
    deliveries cross the real network."""

    KIND: ClassVar[str] = "webhook"
    INT_KEY: ClassVar[bool] = False
    id: str
    org: str
    url: str
    base_url: str
    signing_key: str
    created_at: float
    state: DeliveryStatus = DeliveryStatus.WAITING
    # the JSON sent, fixed at the first attempt so every attempt sends the same bytes
    body: str | None = None
    attempts: list[dict[str, Any]] = field(default_factory=list)
    next_attempt_at: float | None = None

    def __post_init__(self) -> None:
        self.state = DeliveryStatus(self.state)


def admitted(url: str, config: MockConfig) -> bool:
    parts = parse_url(url)
    if parts is None:
        return False
    prefixes = (parse_url(p) for p in config.allow_url_prefixes)
    return any(prefix is not None and parts.under(prefix) for prefix in prefixes)


def signed_delivery(url: Any, config: MockConfig) -> str:
    """``url`` when the mock may deliver to it, else the 400 that says how to allow it."""
    if not isinstance(url, str) or parse_url(url.strip()) is None:
        raise ApiError(
            400, f"webhook_url must be an http(s) URL with a host, got {str(url)[:80]!r}"
        )
    clean = str(url).strip()
    if not admitted(clean, config):
        raise ApiError(
            400,
            f"webhook_url {clean[:120]!r} is not under an allowed prefix: start bria-mock with "
            "--allow-url <prefix> (MockConfig.allow_url_prefixes) to let it deliver there",
        )
    return clean


def enqueue(
    tx: Transaction,
    *,
    request_id: str,
    org: str,
    url: str,
    base_url: str,
    key: bytes,
    config: MockConfig,
) -> WebhookDelivery:
    """Keep the delivery of a just-submitted job; 429 when the queue is full."""
    waiting = sum(1 for d in tx.all(WebhookDelivery) if d.state in OPEN)
    if waiting >= config.webhook_queue_size:
        raise ApiError(
            429,
            f"{waiting} webhook deliveries are already waiting (the mock's limit, "
            "webhook_queue_size); retry when some have been delivered",
        )
    return tx.put(
        WebhookDelivery(
            id=request_id,
            org=org,
            url=url,
            base_url=base_url,
            signing_key=key.hex(),
            created_at=tx.now,
        )
    )


def job_finished(tx: Transaction, request_id: str, wall_now: float) -> None:
    """The job ended: its delivery, if it has one, is due now."""
    delivery = tx.get(WebhookDelivery, request_id)
    if delivery is not None and delivery.state == DeliveryStatus.WAITING:
        delivery.state = DeliveryStatus.PENDING
        delivery.next_attempt_at = wall_now
        tx.put(delivery)


def forget(tx: Transaction, request_id: str) -> None:
    """The job expired: its delivery goes too, once it is delivered or failed (the listing
    keeps what the status service still knows)."""
    delivery = tx.get(WebhookDelivery, request_id)
    if delivery is not None and delivery.state not in OPEN:
        tx.delete(WebhookDelivery, request_id)


def is_due(delivery: WebhookDelivery, wall_now: float, *, force: bool = False) -> bool:
    if delivery.state != DeliveryStatus.PENDING:
        return False
    return force or (delivery.next_attempt_at or 0.0) <= wall_now


def outcome(status: int | None) -> Outcome:
    """What an attempt answered with ``status`` (None: timeout or connection error) means."""
    if status is not None and 200 <= status < 300:
        return "delivered"
    if status is None or status >= 500:
        return "retry"
    return "failed"


def backoff(attempt: int, config: MockConfig) -> float:
    """Seconds before attempt ``attempt + 1`` after attempt ``attempt`` (1-based) failed."""
    return float(config.webhook_backoff_seconds * 2 ** (attempt - 1))


def record_attempt(
    delivery: WebhookDelivery,
    *,
    at: float,
    status: int | None,
    error: str | None,
    config: MockConfig,
) -> Outcome:
    """Add one attempt to ``delivery`` and move it on; returns what the attempt meant."""
    result = outcome(status)
    delivery.attempts.append({"at": at, "status": status, "error": error, "outcome": result})
    attempt = len(delivery.attempts)
    if result == "retry" and attempt >= config.webhook_attempts:
        result = "failed"
    if result == "retry":
        delivery.next_attempt_at = at + backoff(attempt, config)
    else:
        delivery.state = DeliveryStatus(result)
        delivery.next_attempt_at = None
    return result


def refuse(delivery: WebhookDelivery, *, at: float, reason: str) -> None:
    """Fail a delivery without sending it (its URL is no longer admitted)."""
    delivery.attempts.append({"at": at, "status": None, "error": reason, "outcome": "failed"})
    delivery.state = DeliveryStatus.FAILED
    delivery.next_attempt_at = None


def view(delivery: WebhookDelivery) -> dict[str, Any]:
    """A delivery as the control endpoint lists it (never the signing key)."""
    return {
        "request_id": delivery.id,
        "url": delivery.url,
        "state": delivery.state,
        "attempts": [dict(a) for a in delivery.attempts],
        "next_attempt_at": delivery.next_attempt_at,
        "body": delivery.body,
    }
