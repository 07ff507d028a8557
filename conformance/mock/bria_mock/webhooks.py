"""Sending webhook deliveries (the rules are in ``domain/webhooks.py``).

A running server (``bria-mock``, ``LoopbackMock``) sends due deliveries from a background task
started with the app; in-process mocks, which have no background task, send them when asked
(``POST /_mock/webhooks/deliver``, ``InProcessMock.deliver_webhooks()``). Every attempt is
signed afresh (``bria_tailored.runtime.webhooks``), has ``webhook_timeout_seconds``, follows no
redirect, and is recorded in the state before the next one is considered; each is logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from typing import TYPE_CHECKING, Any

import httpx
from bria_tailored.runtime.webhooks import signature_headers

from .domain import generation
from .domain import webhooks as rules
from .domain.generation import GenerationRequest
from .domain.webhooks import DeliveryStatus, WebhookDelivery
from .profiles import STATUS_OPERATION, profile_for

if TYPE_CHECKING:
    from .core import Mock

log = logging.getLogger("bria_mock.webhooks")
USER_AGENT = "bria-mock webhooks"
#: how often the background task looks for due deliveries (and, in real time, finished jobs)
TICK_SECONDS = 0.2
#: attempts sent at once
CONCURRENCY = 8


class _Signs:
    """What the status view needs to sign result URLs, without a request."""

    def __init__(self, mock: Mock, base_url: str) -> None:
        self.mock, self.base_url = mock, base_url

    def signed(self, artefact: str, now: float) -> str:
        return self.mock.signed_url(self.base_url, artefact, now)


class WebhookSender:
    def __init__(self, mock: Mock) -> None:
        self.mock = mock
        self._stopping = False
        # ids being attempted: a forced pass and the background task never send one twice at once
        self._in_flight: set[str] = set()
        self._lock = threading.Lock()
        # an attribute, so the suite's tests can build a mock that signs wrongly and see it caught
        self.sign = signature_headers

    def listing(self) -> list[dict[str, Any]]:
        with self.mock.store.transaction() as tx:
            deliveries = sorted(tx.all(WebhookDelivery), key=lambda d: (d.created_at, d.id))
            return [rules.view(d) for d in deliveries]

    def _take_due(self, force: bool) -> list[WebhookDelivery]:
        """Due deliveries, each with its body fixed (the first attempt's body is every one's)."""
        now = time.time()
        taken = []
        with self.mock.store.transaction() as tx:
            for delivery in tx.all(WebhookDelivery):
                if delivery.id in self._in_flight or not rules.is_due(delivery, now, force=force):
                    continue
                if not rules.admitted(delivery.url, self.mock.config):
                    rules.refuse(delivery, at=now, reason="the URL is not under --allow-url")
                    tx.put(delivery)
                    log.warning(
                        "webhook for %s not sent: %s is not allowed", delivery.id, delivery.url
                    )
                    continue
                if delivery.body is None:
                    delivery.body = self._body(
                        tx.get(GenerationRequest, delivery.id), delivery, tx.now
                    )
                    tx.put(delivery)
                taken.append(delivery)
            with self._lock:
                taken = [d for d in taken if d.id not in self._in_flight]
                self._in_flight.update(d.id for d in taken)
        return taken

    def _body(self, job: GenerationRequest | None, delivery: WebhookDelivery, now: float) -> str:
        if job is None:  # expired before its first attempt: the status service says the same
            view: dict[str, Any] = {"request_id": delivery.id, "status": "UNKNOWN"}
        else:
            signs = _Signs(self.mock, delivery.base_url)
            view = generation.status_view(job, lambda artefact: signs.signed(artefact, now))
        body, _ = profile_for(self.mock.config).render(200, view, None, STATUS_OPERATION)
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False)

    async def deliver_due(self, *, force: bool = False) -> list[dict[str, Any]]:
        """Send every due delivery once (``force``: also those waiting for a retry)."""
        taken = self._take_due(force)
        if taken:
            limit = asyncio.Semaphore(CONCURRENCY)
            timeout = httpx.Timeout(self.mock.config.webhook_timeout_seconds)
            async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:

                async def one(delivery: WebhookDelivery) -> None:
                    try:
                        async with limit:
                            await self._attempt(client, delivery)
                    finally:
                        with self._lock:
                            self._in_flight.discard(delivery.id)

                await asyncio.gather(*(one(d) for d in taken))
        return [d for d in self.listing() if d["request_id"] in {t.id for t in taken}]

    async def _attempt(self, client: httpx.AsyncClient, delivery: WebhookDelivery) -> None:
        payload = (delivery.body or "").encode("utf-8")
        sent_at = time.time()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            **self.sign(bytes.fromhex(delivery.signing_key), delivery.id, payload, sent_at),
        }
        status: int | None = None
        error: str | None = None
        try:
            response = await client.post(delivery.url, content=payload, headers=headers)
            status = response.status_code
        except httpx.TimeoutException:
            error = f"no answer within {self.mock.config.webhook_timeout_seconds:g} s"
        except httpx.HTTPError as exc:
            error = f"connection failed ({type(exc).__name__})"
        with self.mock.store.transaction() as tx:
            current = tx.get(WebhookDelivery, delivery.id)
            if current is None or current.state != DeliveryStatus.PENDING:
                return
            result = rules.record_attempt(
                current, at=sent_at, status=status, error=error, config=self.mock.config
            )
            tx.put(current)
        answer = f"HTTP {status}" if status is not None else error
        attempt = len(current.attempts)
        if result == DeliveryStatus.DELIVERED.value:
            log.info(
                "webhook %s delivered to %s (attempt %d, %s)",
                delivery.id,
                delivery.url,
                attempt,
                answer,
            )
        elif result == "retry":
            log.warning(
                "webhook %s to %s: attempt %d got %s; retrying in %.1f s",
                delivery.id,
                delivery.url,
                attempt,
                answer,
                rules.backoff(attempt, self.mock.config),
            )
        else:
            log.warning(
                "webhook %s to %s failed after %d attempt(s): %s",
                delivery.id,
                delivery.url,
                attempt,
                answer,
            )

    async def run(self) -> None:
        """The background task of a running server, until :meth:`stop`."""
        while not self._stopping:
            try:
                await self.deliver_due()
            except Exception:  # a broken delivery must not stop the others
                log.exception("webhook delivery pass failed")
            await asyncio.sleep(TICK_SECONDS)

    def stop(self) -> None:
        """Let the current pass finish (its attempts are recorded), then end :meth:`run`."""
        self._stopping = True
